"""Names for themes: 5-8 keywords by c-TF-IDF, and a short human label, the noun phrase from the
theme's most central quotes that best carries those keywords ("single sign-on", "slow dashboards")."""

from __future__ import annotations

import re
from collections import Counter

import numpy as np

UNTHEMED = -1
KEYWORDS = 8
LABEL_SAMPLE = 40  # quotes nearest the centroid that are parsed for label candidates


def keywords_by_cluster(texts: list[str], labels: np.ndarray, top: int = KEYWORDS) -> dict[int, list[str]]:
    """c-TF-IDF: terms frequent in one theme's quotes and rare in the others."""
    from sklearn.feature_extraction.text import CountVectorizer

    ids = sorted(set(labels.tolist()) - {UNTHEMED})
    if not ids:
        return {}
    docs = [" ".join(t for t, l in zip(texts, labels) if l == i) for i in ids]
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2),
                                 token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b")
    try:
        counts = vectorizer.fit_transform(docs).toarray().astype(float)
    except ValueError:  # only stop words in every theme
        return {i: [] for i in ids}
    terms = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg_words = counts.sum() / len(ids)
    idf = np.log(1 + avg_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    out = {}
    for row, cid in enumerate(ids):
        ranked = [terms[j] for j in np.lexsort((terms, -scores[row])) if counts[row, j] > 0]
        chosen: list[str] = []
        for term in ranked:  # skip a unigram already inside a chosen bigram, and vice versa
            if any(term in c.split() or c in term.split() for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top:
                break
        out[cid] = chosen
    return out


def _trimmed(span) -> str:
    """A noun chunk without stop words, pronouns or punctuation at its edges ("our single sign-on")."""
    tokens = list(span)

    def drop(t) -> bool:
        return t.is_stop or t.is_punct or t.pos_ in ("PRON", "DET", "NUM")

    while tokens and drop(tokens[0]):
        tokens.pop(0)
    while tokens and drop(tokens[-1]):
        tokens.pop()
    return "".join(t.text_with_ws for t in tokens).strip().lower()


def label_for(texts: list[str], vectors: np.ndarray, centroid: np.ndarray, keywords: list[str], nlp) -> str:
    """The noun phrase of the theme's central quotes that best carries its keywords; failing
    that, its top keywords."""
    central = np.argsort(-(vectors @ centroid), kind="stable")[:LABEL_SAMPLE]
    weights = {k: len(keywords) - i for i, k in enumerate(keywords)}
    phrases: Counter[str] = Counter()
    for doc in nlp.pipe([texts[i] for i in central]):
        for phrase in {_trimmed(chunk) for chunk in doc.noun_chunks}:
            if phrase and len(phrase.split()) <= 4 and re.search("[a-z]", phrase):
                phrases[phrase] += 1

    def score(phrase: str) -> float:
        hit = sum(w for k, w in weights.items() if re.search(rf"\b{re.escape(k)}\b", phrase))
        return hit * (1 + phrases[phrase]) / (1 + 0.3 * len(phrase.split()))

    best = max(sorted(phrases), key=lambda p: (score(p), phrases[p]), default="")
    if not best or score(best) == 0:
        best = " ".join(keywords[:2]) or "Miscellaneous"
    return best[:1].upper() + best[1:]
