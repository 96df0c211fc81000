"""Themes: UMAP + HDBSCAN over quote embeddings, tuned for short customer utterances.

1. Exact cosine k-nearest neighbours of the vectors less their common direction (the quotes of one
   product all lean one way; what tells them apart decides), by blocked matrix products (fast, and
   deterministic where UMAP's approximate search is not), fed to UMAP (5-d, min_dist 0, PCA init,
   fixed seed). k is 15, or the smallest theme's size where that is larger: in large sets each
   quote then sees a theme's worth of neighbours, and big themes are not torn into look-alike pieces.
2. HDBSCAN with a minimum cluster size that grows with the number of quotes, as its square root in
   small sets and its fourth root in large ones (3 up to 136, 5 at 300, 8 at 1,000, 11 at 4,000,
   17 at 20,000): small interview sets keep small themes, large sets don't shatter, and a subject
   raised by 30 of 4,000 quotes is still a theme of its own.
3. Near-duplicate themes merge: two themes whose quotes are each other's neighbours about as often
   as `merge_connectivity` of their neighbour links are one theme split by density. This looks at
   HDBSCAN's themes before any outlier joins them: an outlier sits between themes, and once placed its
   links make two neighbouring themes look like one (bench/themes.py, ARI merged after step 4 -> before
   it: 141 intents x 30 0.513 -> 0.526, hwu64 60 x 30 0.504 -> 0.529; a few big intents that HDBSCAN
   splits are merged less: hwu64 30 x natural 0.568 -> 0.525). No theme is ever dissolved.
4. Outliers are placed in the nearest theme in the reduced space and kept there only when they
   clearly belong: as similar to the theme's centroid as its own members usually are, or above
   `reassign_threshold`. The rest stay unthemed and are counted.
5. What is still unthemed joins the theme nearest in meaning where its similarity to the centroid
   reaches `reassign_threshold` (step 4 looked only at the nearest theme in the reduced space).
"""

from __future__ import annotations

import math
from collections import Counter
from dataclasses import dataclass, field

import numpy as np

from nlp.settings import ThemeSettings
from nlp.themes.labels import keywords_by_cluster
from nlp.themes.vectors import UNTHEMED, centred, unit_mean

NEIGHBOURS = 15
DIMENSIONS = 5


@dataclass
class ThemeDraft:
    """A cluster before ranking: its members (indices into the quotes), centroid, label, keywords."""

    members: list[int]
    centroid: np.ndarray
    label: str = ""
    keywords: list[str] = field(default_factory=list)
    general: bool = False  # quotes with a mood and no subject ("Great app!"): reported apart, not ranked


def min_cluster_size(n: int, settings: ThemeSettings) -> int:
    # A theme needs a few voices: in a small set a share of them (the square root), among thousands
    # a number that grows slowly (the fourth root, from ~480 quotes on). With the square root alone
    # (20 at 4,500) subjects of 30 quotes merged in pairs (bench/themes.py: 141 intents x 30).
    grown = min(settings.size_per_sqrt_n * math.sqrt(n), settings.size_per_root4_n * n ** 0.25)
    return max(settings.min_cluster_size, round(grown))


def nearest_neighbours(vectors: np.ndarray, k: int, block: int = 2048) -> tuple[np.ndarray, np.ndarray]:
    """Exact cosine neighbours of unit vectors -> (indices, distances), each row starting with itself."""
    n = len(vectors)
    k = min(k, n)
    indices = np.zeros((n, k), dtype=np.int64)
    distances = np.zeros((n, k), dtype=np.float32)
    for start in range(0, n, block):
        sims = vectors[start:start + block] @ vectors.T
        rows = np.arange(len(sims))
        sims[rows, start + rows] = 2.0  # itself first, even among duplicates
        part = np.argpartition(sims, -k, axis=1)[:, -k:]  # the k most similar (no negated copy of the block)
        part_sims = np.take_along_axis(sims, part, axis=1)
        order = np.lexsort((part, -part_sims), axis=1)  # by similarity, ties by index: deterministic
        indices[start:start + block] = np.take_along_axis(part, order, axis=1)
        distances[start:start + block] = np.clip(1.0 - np.take_along_axis(part_sims, order, axis=1), 0.0, 2.0)
    distances[:, 0] = 0.0
    return indices, distances


def reduce(vectors: np.ndarray, neighbours: tuple[np.ndarray, np.ndarray], seed: int) -> np.ndarray:
    import warnings

    import umap

    n = len(vectors)
    k = neighbours[0].shape[1]
    with warnings.catch_warnings():  # "no search index for transform": we never transform new data
        warnings.simplefilter("ignore", UserWarning)
        return umap.UMAP(
            n_neighbors=k, n_components=min(DIMENSIONS, n - 2), min_dist=0.0, metric="cosine",
            init="pca", random_state=seed, n_jobs=1, precomputed_knn=(*neighbours, None),
            # UMAP's own epochs (500 below 10,000 points, 200 above): with 100, themes of 30 among 4,000
            # quotes blur into their neighbours (bench/themes.py: ARI 0.49 -> 0.52 on 141 intents of 30).
            n_epochs=None,
        ).fit_transform(vectors)


def cluster(vectors: np.ndarray, settings: ThemeSettings) -> np.ndarray:
    """-> one cluster label per row; UNTHEMED (-1) for outliers. Same input, same labels."""
    n = len(vectors)
    size = min_cluster_size(n, settings)
    if n < max(2 * size, 8):
        return np.full(n, UNTHEMED)
    import hdbscan

    # A set small enough for the smallest themes (a handful of quotes) is handled apart: UMAP
    # sees about two themes' worth of neighbours (not one web of everything), HDBSCAN takes the
    # leaves (excess of mass tends to lump two small themes) and near-duplicates are merged below.
    tiny = size <= settings.min_cluster_size
    # Neighbours and UMAP in the centred space; outliers are placed by their similarity to the
    # themes' centroids in the encoder's own space, where reassign_threshold has its meaning.
    space = centred(vectors)
    neighbours = nearest_neighbours(space, min(max(4, 2 * size) if tiny else max(NEIGHBOURS, size), n - 2) + 1)
    reduced = reduce(space, neighbours, settings.seed)
    selection = "leaf" if tiny else "eom"
    # core_dist_n_jobs=1: in 5-d its own parallel pool costs far more than it saves (6 s vs 0.4 s at 20,000).
    labels = hdbscan.HDBSCAN(min_cluster_size=size, min_samples=min(10, size), cluster_selection_method=selection,
                             core_dist_n_jobs=1).fit_predict(reduced)
    # In a tiny set a quote of the smallest theme has at most size - 1 neighbours inside it: more
    # would count as links across themes that could not have been anywhere else.
    links = neighbours[0][:, 1:size] if tiny else neighbours[0][:, 1:]
    labels = merge_near_duplicates(labels, links, settings.merge_connectivity)
    labels = reassign_outliers(vectors, reduced, labels, settings.reassign_threshold)
    return renumber(place_leftovers(vectors, labels, settings.reassign_threshold))


def centroids(vectors: np.ndarray, labels: np.ndarray) -> dict[int, np.ndarray]:
    """Unit-length mean of each theme's vectors."""
    out = {}
    for label in sorted(set(labels.tolist()) - {UNTHEMED}):
        out[label] = unit_mean(vectors[labels == label])
    return out


def reassign_outliers(vectors: np.ndarray, reduced: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """Each outlier goes to the theme whose centre is nearest in the reduced space, if it clearly
    belongs: its cosine similarity to the theme's centroid reaches `threshold` or the 5th
    percentile of the theme's own members' similarities."""
    ids = sorted(set(labels.tolist()) - {UNTHEMED})
    outliers = np.flatnonzero(labels == UNTHEMED)
    if not ids or not len(outliers):
        return labels
    centres = np.stack([reduced[labels == i].mean(axis=0) for i in ids])
    cents = centroids(vectors, labels)
    floor = np.array([np.percentile(vectors[labels == i] @ cents[i], 5) for i in ids])
    gaps = ((reduced[outliers, None, :] - centres[None]) ** 2).sum(axis=-1)
    nearest = np.argmin(gaps, axis=1)
    sims = np.einsum("ij,ij->i", vectors[outliers], np.stack([cents[ids[j]] for j in nearest]))
    out = labels.copy()
    belongs = (sims >= threshold) | (sims >= floor[nearest])
    out[outliers[belongs]] = np.array(ids)[nearest[belongs]]
    return out


def place_leftovers(vectors: np.ndarray, labels: np.ndarray, threshold: float) -> np.ndarray:
    """What is still unthemed after the merge joins the theme whose centroid it is most similar to, where
    that similarity reaches `threshold` (the nearest theme in the reduced space, which reassign_outliers
    tried, is not always the nearest in meaning). Themes' members and merges are settled by then."""
    ids = sorted(set(labels.tolist()) - {UNTHEMED})
    outliers = np.flatnonzero(labels == UNTHEMED)
    if not ids or not len(outliers):
        return labels
    cents = centroids(vectors, labels)
    sims = vectors[outliers] @ np.stack([cents[i] for i in ids]).T
    nearest = sims.argmax(axis=1)
    belongs = sims[np.arange(len(outliers)), nearest] >= threshold
    out = labels.copy()
    out[outliers[belongs]] = np.array(ids)[nearest[belongs]]
    return out


def merge_near_duplicates(labels: np.ndarray, neighbour_ids: np.ndarray, connectivity: float) -> np.ndarray:
    """Merge the pair of themes most linked in the neighbour graph while the share of their
    neighbour links that cross between them reaches `connectivity`."""
    labels = labels.copy()
    k = neighbour_ids.shape[1]
    while True:
        ids = sorted(set(labels.tolist()) - {UNTHEMED})
        if len(ids) < 2:
            return labels
        index = np.full(labels.max() + 2, -1)
        index[ids] = np.arange(len(ids))
        src = np.repeat(index[labels], k)
        dst = index[labels[neighbour_ids.ravel()]]
        keep = (src >= 0) & (dst >= 0)
        links = np.zeros((len(ids), len(ids)))
        np.add.at(links, (src[keep], dst[keep]), 1)
        degree = np.bincount(index[labels[labels >= 0]], minlength=len(ids)) * k
        share = (links + links.T) / (degree[:, None] + degree[None, :])
        np.fill_diagonal(share, 0)
        a, b = np.unravel_index(np.argmax(share), share.shape)
        if share[a, b] < connectivity:
            return labels
        labels[labels == ids[max(a, b)]] = ids[min(a, b)]


def keep_apart(labels: np.ndarray, vectors: np.ndarray, previous: list[str | None], min_size: int) -> np.ndarray:
    """Last run's themes stay apart: each theme holding the bulk (more than half, and at least
    `min_size` quotes) of two or more of the last run's themes is split into one theme per such
    previous theme. `previous`: per quote, the theme it was in last run (None: new, or in none).
    Its quotes go back to their previous theme's part; the others (new quotes, strays) join the
    part whose centroid is nearest. A few more quotes can tip HDBSCAN into merging two themes it
    kept apart the night before (hwu64: 5 of 27 ids lost so with 20 % more quotes); whether they
    are one is the researcher's call (`voc theme merge`), which holds."""
    last = np.array([p or "" for p in previous], dtype=object)
    present = Counter(p for p in previous if p)  # a previous theme's quotes that are here tonight
    out = labels.copy()
    fresh = int(labels.max()) + 1 if len(labels) else 0
    for theme in sorted(set(labels.tolist()) - {UNTHEMED}):
        members = np.flatnonzero(labels == theme)
        held = Counter(last[members].tolist())
        held.pop("", None)
        parts = sorted((p for p, count in held.items() if count >= min_size and 2 * count > present[p]),
                       key=lambda p: (-held[p], p))
        if len(parts) < 2:
            continue
        owner = np.full(len(members), UNTHEMED)
        for index, part in enumerate(parts):
            owner[last[members] == part] = index
        cents = centroids(vectors[members], owner)
        nearest = np.argmax(vectors[members] @ np.stack([cents[i] for i in range(len(parts))]).T, axis=1)
        choice = np.where(owner >= 0, owner, nearest)
        for index in range(1, len(parts)):  # the largest part keeps the label
            out[members[choice == index]] = fresh
            fresh += 1
    return out


def renumber(labels: np.ndarray) -> np.ndarray:
    """Themes numbered 0.. by first appearance, so equal partitions get equal labels."""
    out = np.full(len(labels), UNTHEMED)
    mapping: dict[int, int] = {}
    for i, label in enumerate(labels.tolist()):
        if label != UNTHEMED:
            out[i] = mapping.setdefault(label, len(mapping))
    return out


def build_themes(texts: list[str], vectors: np.ndarray, settings: ThemeSettings, nlp,
                 encode=None, previous: list[str | None] | None = None,
                 last: list | None = None) -> tuple[list[ThemeDraft], np.ndarray]:
    """-> (themes ordered by size, labels per text with each theme's index into that list or -1).
    A theme of feedback with no subject ("Great app!", "Love it", "Useless": most of its quotes have
    a mood and no subject, or its top keywords are all such words) is marked `general`: reported
    apart, never ranked among the themes about something. (Setting such quotes apart before
    clustering, or clustering the rest without their mood words, cost V and ARI on the intent sets.)
    `encode` (texts -> unit vectors, the encoder that embedded the quotes) lets labels be chosen in
    the embedding space; without it, each label is the noun phrase that best carries the keywords.
    `previous` (per text, its theme in the last run, or None) keeps the last run's themes apart; `last`
    (voc's own themes of the last run, nlp.store.StoredCluster) lets a theme that takes one's id keep its label."""
    from nlp.themes.general import general_themes
    from nlp.themes.labels import parse_for_labels

    labels = cluster(vectors, settings)
    if previous is not None:
        labels = keep_apart(labels, vectors, previous, min_cluster_size(len(vectors), settings))
    cents = centroids(vectors, labels)
    order = sorted(cents, key=lambda c: (-int((labels == c).sum()), c))
    members = {cid: np.flatnonzero(labels == cid).tolist() for cid in order}
    keywords = keywords_by_cluster(texts, labels)
    words = [keywords.get(cid, []) for cid in order]
    # One parse of the themed quotes serves general sentiment (all of them) and the labels (the central ones).
    themed = sorted(m for cid in order for m in members[cid])
    docs = dict(zip(themed, parse_for_labels([[texts[m] for m in themed]], nlp)[0]))
    carried = last_labels([cents[cid] for cid in order], last or [])  # per theme, last run's label where it takes its id
    names = name_themes(docs, vectors, [members[cid] for cid in order], [cents[cid] for cid in order], words, encode, carried)
    general = general_themes(docs, [members[cid] for cid in order], words, [label is not None for label in carried])
    drafts = [ThemeDraft(members=members[cid], centroid=cents[cid], keywords=w, label=name, general=flag)
              for cid, w, name, flag in zip(order, words, names, general)]
    remap = {UNTHEMED: UNTHEMED, **{cid: index for index, cid in enumerate(order)}}
    return drafts, np.array([remap[int(l)] for l in labels], dtype=int)


def last_labels(cents: list[np.ndarray], last: list) -> list[str | None]:
    """Per theme, the label of the last run's theme whose id it will take (matched as nlp.store matches ids), or None."""
    from nlp.store import match_theme_ids

    by_id = {c.theme_id: c.label for c in last}
    # fresh ids for the unmatched numbered past every last id, so that none is taken for a match
    fresh = 1 + max((int(c.theme_id[1:]) for c in last if c.theme_id[1:].isdigit()), default=0)
    return [by_id.get(theme_id) for theme_id in match_theme_ids(cents, last, fresh)]


def name_themes(docs: dict[int, object], vectors: np.ndarray, members: list[list[int]], cents: list[np.ndarray],
                words: list[list[str]], encode, last: list[str | None] | None = None) -> list[str]:
    """A distinct label per theme from its most central quotes (see nlp.themes.labels); `docs`: the
    themed quotes parsed (parse_for_labels), by index; `last`: per theme, its label in the last run (or None)."""
    from nlp.themes.labels import central, choose_labels, distinct_labels, label_from_docs, phrase_candidates

    parsed = [[docs[ms[i]] for i in central(vectors[ms], c)] for ms, c in zip(members, cents)]
    names = distinct_labels([label_from_docs(docs, w) for docs, w in zip(parsed, words)], words)
    if encode is None or not members:
        return names
    # Candidates: the central quotes' phrases and the theme's keywords, all in the quotes' own words; and last
    # run's label where the theme's other quotes still say it (its central ones move as quotes arrive).
    candidates = [phrase_candidates(parsed_docs) + Counter(w) for parsed_docs, w in zip(parsed, words)]
    for theme, label in enumerate(last or []):
        if label and label.lower() not in {p.lower() for p in candidates[theme]}:
            said = {p.lower(): p for p in phrase_candidates([docs[m] for m in members[theme]])}
            if label.lower() in said:
                candidates[theme][said[label.lower()]] += 1
    return choose_labels(candidates, np.stack(cents), encode, names, last)
