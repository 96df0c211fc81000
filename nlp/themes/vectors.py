"""What the theme stages share: the label of a quote in no theme and the unit-length mean of vectors.
A leaf module (cluster, labels, rank and the workspace import it; it imports none of them)."""

from __future__ import annotations

import numpy as np

UNTHEMED = -1  # the cluster label of an outlier: a quote in no theme


def unit_mean(rows: np.ndarray) -> np.ndarray:
    """The mean of these vectors scaled to unit length (a theme's centroid); zeros stay zeros."""
    c = rows.mean(axis=0)
    return c / (np.linalg.norm(c) or 1.0)
