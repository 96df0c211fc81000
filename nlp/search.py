"""Search the quotes of every run kept in the store, by meaning and by words together.

Meaning: cosine similarity between the query's sentence embedding and each quote's, with the quotes'
vectors read from the embedding cache (the runs embedded them already, so only the query is encoded).
Words: TF-IDF cosine over the quotes' words (scikit-learn), which finds rare exact words (a product
name, "Okta") that a sentence embedding blurs. The two rankings are merged by reciprocal rank fusion,
which needs no weighting of two unlike scales. A phrase in double quotes must appear as written.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime
from typing import Callable

import numpy as np

from nlp.schema import KINDS, Quote
from nlp.store import StoredQuote

RRF_K = 60  # the usual constant of reciprocal rank fusion (Cormack et al. 2009): damps the top ranks' lead
PHRASE = re.compile(r'"([^"]+)"')


@dataclass
class Hit:
    quote: Quote
    run_id: str
    first_seen: str
    score: float  # fused: higher is better
    meaning: float  # cosine similarity of the sentence embeddings
    words: float  # TF-IDF cosine similarity (0: no word in common)


@dataclass
class SearchFilter:
    kind: str | None = None
    customer: str | None = None  # a part of the customer's name, any case
    since: date | None = None  # quotes first heard in a run started on or after this day

    def __post_init__(self):
        if self.kind is not None and self.kind not in KINDS:
            raise ValueError(f"unknown kind {self.kind!r}; use one of {', '.join(KINDS)}")

    def keeps(self, stored: StoredQuote) -> bool:
        q = stored.quote
        return ((self.kind is None or q.kind == self.kind)
                and (self.customer is None or self.customer.lower() in q.customer.lower())
                and (self.since is None or _day(stored.first_seen) >= self.since))


def _day(iso: str) -> date:
    return datetime.fromisoformat(iso).date()


def phrases(query: str) -> list[str]:
    """The parts of the query in double quotes, lower-cased: each must appear in a hit as written."""
    return [p.strip().lower() for p in PHRASE.findall(query) if p.strip()]


def word_scores(query: str, texts: list[str]) -> np.ndarray:
    """TF-IDF cosine similarity of the query to each text (English stop words left out)."""
    from sklearn.feature_extraction.text import TfidfVectorizer

    vectorizer = TfidfVectorizer(stop_words="english", sublinear_tf=True)
    try:
        matrix = vectorizer.fit_transform(texts)
    except ValueError:  # nothing but stop words in every text
        return np.zeros(len(texts))
    return (matrix @ vectorizer.transform([query]).T).toarray().ravel()


def fused_ranks(meaning: np.ndarray, words: np.ndarray) -> np.ndarray:
    """Reciprocal rank fusion of the two scores; a text sharing no word with the query gets no word rank."""
    fused = np.zeros(len(meaning))
    for scores, counts in ((meaning, np.ones(len(meaning), bool)), (words, words > 0)):
        order = np.argsort(-scores, kind="stable")
        ranks = np.empty(len(scores))
        ranks[order] = np.arange(1, len(scores) + 1)
        fused += np.where(counts, 1.0 / (RRF_K + ranks), 0.0)
    return fused


def search(query: str, stored: list[StoredQuote], embed: Callable[[list[str]], np.ndarray],
           where: SearchFilter | None = None, limit: int = 10) -> list[Hit]:
    """The `limit` best quotes for the query among `stored` that pass the filter. `embed(texts)` gives unit
    vectors (nlp.themes.embed.embed_for: cached by text, so the quotes' vectors are looked up, not encoded)."""
    where = where or SearchFilter()
    required = phrases(query)
    pool = [s for s in stored if where.keeps(s) and all(p in s.quote.text.lower() for p in required)]
    plain = PHRASE.sub(lambda m: m.group(1), query).strip()
    if not pool or not plain:
        return []
    texts = [s.quote.text for s in pool]
    vectors = embed(texts + [plain])
    meaning = vectors[:-1] @ vectors[-1]
    words = word_scores(plain, texts)
    fused = fused_ranks(meaning, words)
    best = np.argsort(-fused, kind="stable")[:limit]
    return [Hit(pool[i].quote, pool[i].run_id, pool[i].first_seen, round(float(fused[i]), 5),
                round(float(meaning[i]), 4), round(float(words[i]), 4)) for i in best]
