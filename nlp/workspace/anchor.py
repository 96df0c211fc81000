"""Curated themes as anchors: a quote the researcher has not placed joins the curated theme its
nearest quotes are in, judged quote by quote (its nearest neighbours), not by a centroid.

The anchors are quotes whose place the researcher decided or saw: those moved or split off, the
members of a theme when it was renamed, merged, pinned, noted or deleted (deleted: "no theme").
Each free quote looks at its VOTERS nearest quotes: an anchor votes for its anchor group, any other
quote for the theme it is in now, each weighted by its closeness (1 / cosine distance, so a near
copy of an anchor outweighs several quotes that are merely alike). A free quote moves only when an
anchor group wins that vote, one of the group's anchors is among the voters, and it is as close to
its nearest anchor as the group's own anchors are to each other. So a quote moved out of a theme
takes its new look-alikes with it instead of drifting back with them, while a quote whose
neighbours are mostly its own theme's stays, and with no edit nothing moves.
"""

from __future__ import annotations

import numpy as np

VOTERS = 5             # neighbours that vote on a free quote's theme
FLOOR_PERCENTILE = 10  # a group's bar: this percentile of its anchors' similarity to their nearest fellow anchor
NONE = "\0none"        # the anchor group of "no theme" (deleted themes, quotes moved out of every theme)
BLOCK = 1024


def nearest_in(vectors: np.ndarray, rows: np.ndarray, group: np.ndarray) -> np.ndarray:
    """For each quote in `rows`, its similarity to its nearest quote in `group` (never itself)."""
    out = np.full(len(rows), -np.inf)
    if not len(group):
        return out
    for start in range(0, len(rows), BLOCK):
        part = rows[start:start + BLOCK]
        sims = vectors[part] @ vectors[group].T
        sims[part[:, None] == group[None, :]] = -np.inf
        out[start:start + BLOCK] = sims.max(axis=1)
    return out


def group_bar(vectors: np.ndarray, group: np.ndarray, fallback: float) -> float:
    """How close a newcomer must be to the group's nearest anchor: as close as the anchors usually are
    to each other. A group of one or two has no spread to go by: `fallback` (cosine similarity)."""
    if len(group) < 3:
        return fallback
    return float(np.percentile(nearest_in(vectors, group, group), FLOOR_PERCENTILE))


def anchor(vectors: np.ndarray, current: list[str | None], anchors: dict[int, str | None], free: list[int],
           fallback: float = 0.5, voters: int = VOTERS, hidden: set[int] | frozenset = frozenset(),
           seen: dict[str | None, set[int]] | None = None) -> dict[int, str | None]:
    """-> {quote index: theme id or None} for the free quotes that anchoring moves.

    `current` is each quote's theme before anchoring, the researcher's placements made (None:
    unthemed), `anchors` the anchor group of each anchor quote (a curated theme id, or None for "no
    theme"), `free` the quotes that may move (those not placed by hand), `hidden` quotes that count
    nowhere (they neither vote nor move), `seen` per anchor group the quotes it may not pull (the
    researcher saw them when making it and left them where they were)."""
    if not anchors or not free:
        return {}
    by_group: dict[str, list[int]] = {}
    for index, label in sorted(anchors.items()):
        by_group.setdefault(NONE if label is None else label, []).append(index)
    groups = {name: np.array(members) for name, members in by_group.items()}
    bars = {name: group_bar(vectors, members, fallback) for name, members in groups.items()}
    vote_of = np.array([NONE if c is None else c for c in current], dtype=object)
    for index, label in anchors.items():
        vote_of[index] = NONE if label is None else label
    anchor_of = {i: (NONE if label is None else label) for i, label in anchors.items()}
    barred = {NONE if label is None else label: quotes for label, quotes in (seen or {}).items()}
    # Only a quote whose nearest anchor clears some group's bar can move: the vote is counted for those.
    rows = np.array(sorted(free))
    all_anchors = np.array(sorted(anchors))
    candidates = rows[nearest_in(vectors, rows, all_anchors) >= min(bars.values())]
    pool = np.array([i for i in range(len(current)) if i not in hidden])
    moved: dict[int, str | None] = {}
    for start in range(0, len(candidates), BLOCK):
        part = candidates[start:start + BLOCK]
        sims = vectors[part] @ vectors[pool].T
        sims[part[:, None] == pool[None, :]] = -np.inf
        k = min(voters, len(pool) - 1)
        if k < 1:
            return moved
        top = np.argpartition(-sims, k - 1, axis=1)[:, :k]
        for row, quote in enumerate(part.tolist()):
            tally: dict[str, float] = {}
            nearest_anchor: dict[str, float] = {}
            for j in top[row]:
                neighbour, sim = int(pool[j]), float(sims[row, j])
                tally[vote_of[neighbour]] = tally.get(vote_of[neighbour], 0.0) + 1.0 / max(1.0 - sim, 1e-6)
                if neighbour in anchor_of:
                    name = anchor_of[neighbour]
                    nearest_anchor[name] = max(nearest_anchor.get(name, -1.0), sim)
            winner = max(sorted(tally), key=tally.__getitem__)
            here = NONE if current[quote] is None else current[quote]
            if winner != here and winner in nearest_anchor and nearest_anchor[winner] >= bars[winner] \
                    and quote not in barred.get(winner, ()):
                moved[quote] = None if winner == NONE else winner
    return moved
