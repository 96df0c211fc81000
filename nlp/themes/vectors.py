"""What the theme stages share: the label of a quote in no theme, the unit-length mean of vectors and
vectors less what they all share.
A leaf module (cluster, labels, rank and the workspace import it; it imports none of them)."""

from __future__ import annotations

import numpy as np

UNTHEMED = -1  # the cluster label of an outlier: a quote in no theme


def unit_mean(rows: np.ndarray) -> np.ndarray:
    """The mean of these vectors scaled to unit length (a theme's centroid); zeros stay zeros."""
    c = rows.mean(axis=0)
    return c / (np.linalg.norm(c) or 1.0)


def centred(vectors: np.ndarray) -> np.ndarray:
    """Unit vectors less their common direction (the set's mean), scaled back to unit length. Quotes of
    one product or one domain all lean the same way; without that lean, cosine neighbours are decided
    by what tells quotes apart (bench/themes.py: subjects of 30-40 quotes come out whole more often)."""
    rows = vectors - vectors.mean(axis=0)
    norms = np.linalg.norm(rows, axis=1, keepdims=True)
    return rows / np.where(norms > 0, norms, 1.0)
