"""Themes: UMAP + HDBSCAN over quote embeddings, outliers pulled into the theme they clearly
belong to, and a short label plus keywords for each theme."""

from __future__ import annotations

import math
import re
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from nlp.settings import ThemeSettings

UNTHEMED = -1


@dataclass
class ThemeDraft:
    """A cluster before ranking: its members (indices into the quotes), centroid, label, keywords."""

    members: list[int]
    centroid: np.ndarray
    label: str = ""
    keywords: list[str] = field(default_factory=list)


def min_cluster_size(n: int, settings: ThemeSettings) -> int:
    # Small interview sets need small clusters; large sets shatter into crumbs unless the floor grows.
    return max(settings.min_cluster_size, round(math.sqrt(n) / 3))


def cluster(vectors: np.ndarray, settings: ThemeSettings) -> np.ndarray:
    """-> one cluster label per row; UNTHEMED (-1) for outliers. Deterministic for a given seed."""
    n = len(vectors)
    size = min_cluster_size(n, settings)
    if n < 2 * size:
        return np.full(n, UNTHEMED)
    import hdbscan
    import umap

    reduced = umap.UMAP(
        n_neighbors=min(15, n - 1), n_components=min(5, n - 2), min_dist=0.0, metric="cosine",
        random_state=settings.seed, n_jobs=1, init="spectral" if n > 10 else "random",
    ).fit_transform(vectors)
    labels = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=max(1, size // 2),
                             cluster_selection_method="eom").fit_predict(reduced)
    return reassign_outliers(vectors, labels, settings.reassign_threshold)


def centroids(vectors: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    out = {}
    for label in sorted(set(labels.tolist()) - {UNTHEMED}):
        c = vectors[labels == label].mean(axis=0)
        out[label] = c / (np.linalg.norm(c) or 1.0)
    return out


def reassign_outliers(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Outliers whose cosine similarity to the nearest theme centroid reaches `threshold` join it."""
    cents = centroids(vectors, labels)
    if not cents:
        return labels
    ids = list(cents)
    sims = vectors @ np.stack([cents[i] for i in ids]).T
    out = labels.copy()
    for row in np.flatnonzero(labels == UNTHEMED):
        best = int(np.argmax(sims[row]))
        if sims[row, best] >= threshold:
            out[row] = ids[best]
    return out


def keywords_by_cluster(texts: list[str], labels: np.ndarray, top: int = 8) -> dict[int, list[str]]:
    """c-TF-IDF: terms frequent in one theme's quotes and rare in the others."""
    from sklearn.feature_extraction.text import CountVectorizer

    ids = sorted(set(labels.tolist()) - {UNTHEMED})
    if not ids:
        return {}
    docs = [" ".join(t for t, l in zip(texts, labels) if l == i) for i in ids]
    vectorizer = CountVectorizer(stop_words="english", ngram_range=(1, 2), token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b")
    counts = vectorizer.fit_transform(docs).toarray().astype(float)
    terms = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg_words = counts.sum() / len(ids)
    idf = np.log(1 + avg_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    out = {}
    for row, cid in enumerate(ids):
        ranked = [terms[j] for j in np.argsort(-scores[row]) if counts[row, j] > 0]
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
    drop = lambda t: t.is_stop or t.is_punct or t.pos_ in ("PRON", "DET", "NUM")
    while tokens and drop(tokens[0]):
        tokens.pop(0)
    while tokens and drop(tokens[-1]):
        tokens.pop()
    return "".join(t.text_with_ws for t in tokens).strip().lower()


def label_for(texts: list[str], keywords: list[str], nlp) -> str:
    """The noun phrase that best carries the theme's keywords, e.g. "slow dashboards"."""
    weights = {k: len(keywords) - i for i, k in enumerate(keywords)}
    phrases: Counter[str] = Counter()
    for doc in nlp.pipe(texts):
        for chunk in doc.noun_chunks:
            phrase = _trimmed(chunk)
            if phrase and len(phrase.split()) <= 4:
                phrases[phrase] += 1
    def score(phrase: str) -> float:
        hit = sum(w for k, w in weights.items() if re.search(rf"\b{re.escape(k)}\b", phrase))
        return hit * (1 + phrases[phrase]) / (1 + 0.3 * len(phrase.split()))
    best = max(phrases, key=lambda p: (score(p), phrases[p], p), default="")
    if not best or score(best) == 0:
        best = " ".join(keywords[:2])
    return best[:1].upper() + best[1:]


def build_themes(texts: list[str], vectors: np.ndarray, settings: ThemeSettings, nlp) -> tuple[list[ThemeDraft], np.ndarray]:
    """-> (themes ordered by size, labels per text with each theme's index into that list or -1)."""
    labels = cluster(vectors, settings)
    cents = centroids(vectors, labels)
    keywords = keywords_by_cluster(texts, labels)
    order = sorted(cents, key=lambda c: (-int((labels == c).sum()), c))
    drafts = []
    remap = {UNTHEMED: UNTHEMED}
    for index, cid in enumerate(order):
        members = np.flatnonzero(labels == cid).tolist()
        kws = keywords.get(cid, [])
        drafts.append(ThemeDraft(members=members, centroid=cents[cid], keywords=kws,
                                 label=label_for([texts[m] for m in members], kws, nlp)))
        remap[cid] = index
    return drafts, np.array([remap[int(l)] for l in labels], dtype=int)
