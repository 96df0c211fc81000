"""Curated themes as anchors: a quote the researcher has not placed joins the curated theme whose
quotes it resembles, judged against those quotes one by one (its nearest few), not only a centroid.

The anchors are quotes whose place the researcher has decided or seen: those moved or split off,
the members of a theme when it was renamed, merged, pinned, noted or deleted (deleted: "no
theme"). A quote is pulled to an anchor group when it is as close to that group's nearest quotes as
the group's own quotes are to each other, and closer than to the theme it is in now. So a quote
moved out of a theme takes its new look-alikes with it, instead of drifting back with them.
"""

from __future__ import annotations

import numpy as np

NEAREST = 3          # a quote's closeness to a group: mean similarity to the group's nearest quotes
FLOOR_PERCENTILE = 10  # a group's bar: this percentile of its own quotes' closeness to the rest
NONE = "\0none"      # the anchor group of "no theme" (deleted themes, quotes moved out of every theme)
BLOCK = 2048


def nearest_mean(sims: np.ndarray, k: int) -> np.ndarray:
    """Mean of each row's k largest values (fewer where the row has fewer finite values)."""
    if sims.shape[1] == 0:
        return np.full(len(sims), -np.inf)
    k = min(k, sims.shape[1])
    top = -np.partition(-sims, k - 1, axis=1)[:, :k]
    finite = np.isfinite(top)
    counts = finite.sum(axis=1)
    total = np.where(finite, top, 0.0).sum(axis=1)
    return np.where(counts > 0, total / np.maximum(counts, 1), -np.inf)


def closeness(vectors: np.ndarray, rows: np.ndarray, group: np.ndarray, k: int = NEAREST) -> np.ndarray:
    """For each quote in `rows`, its closeness to `group` (never counting itself)."""
    out = np.empty(len(rows))
    for start in range(0, len(rows), BLOCK):
        part = rows[start:start + BLOCK]
        sims = vectors[part] @ vectors[group].T
        sims[part[:, None] == group[None, :]] = -np.inf
        out[start:start + BLOCK] = nearest_mean(sims, k)
    return out


def group_bar(vectors: np.ndarray, group: np.ndarray, fallback: float, k: int = NEAREST) -> float:
    """How close a newcomer must be: as close as the group's own quotes usually are to the rest of
    it. A group of one or two has no spread to go by: `fallback` (cosine similarity)."""
    if len(group) < 3:
        return fallback
    return float(np.percentile(closeness(vectors, group, group, k), FLOOR_PERCENTILE))


def anchor(vectors: np.ndarray, current: list[str | None], anchors: dict[int, str | None], free: list[int],
           fallback: float = 0.5, k: int = NEAREST) -> dict[int, str | None]:
    """-> {quote index: theme id or None} for the free quotes that anchoring moves.

    `current` is each quote's theme before anchoring, the researcher's placements made (None:
    unthemed), `anchors` the anchor group of each anchor quote (a curated theme id, or None for "no
    theme"), `free` the quotes that may move (those the researcher has not placed by hand)."""
    if not anchors or not free:
        return {}
    groups: dict[str, np.ndarray] = {}
    for index, label in sorted(anchors.items()):
        groups.setdefault(NONE if label is None else label, [])
        groups[NONE if label is None else label].append(index)
    names = sorted(groups)
    groups = {name: np.array(groups[name]) for name in names}
    bars = np.array([group_bar(vectors, groups[name], fallback, k) for name in names])
    rows = np.array(sorted(free))
    to_group = np.stack([closeness(vectors, rows, groups[name], k) for name in names], axis=1)
    best = np.argmax(to_group, axis=1)
    best_score = to_group[np.arange(len(rows)), best]
    # Closeness to the theme each quote is in now (its other members), the same way.
    labels = np.array([NONE if c is None else c for c in current], dtype=object)
    here = np.full(len(rows), -np.inf)
    for theme in set(labels[rows].tolist()) - {NONE}:
        mask = labels[rows] == theme
        here[mask] = closeness(vectors, rows[mask], np.flatnonzero(labels == theme), k)
    moved: dict[int, str | None] = {}
    for i, row in enumerate(rows.tolist()):
        target = names[best[i]]
        if target == labels[row] or best_score[i] < bars[best[i]] or best_score[i] <= here[i]:
            continue
        moved[row] = None if target == NONE else target
    return moved
