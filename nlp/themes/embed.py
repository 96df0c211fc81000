"""Sentence embeddings, unit-normalised, cached by (model, text hash): the backend chooser.

"torch" runs the sentence-transformers model as loaded by nlp.themes.encoder; "onnx-int8" runs the
same model exported and quantized once (nlp.themes.embed_onnx).
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.themes.encoder import BUNDLED_MODEL, load_encoder, resolve_model

if TYPE_CHECKING:
    from nlp.themes.embed_cache import EmbeddingCache
    from nlp.settings import Settings

# Texts whose vector must not depend on what else is encoded with them go one a batch (batch_size=ALONE):
# int8 dynamic quantization scales a batch's activations together, so a text moves with its batch-mates.
# Label phrases: cosine 0.983 on average between two batchings of 3,500 banking77 phrases (min 0.943), so a
# new candidate anywhere would shift other themes' labels; alone a phrase also sits nearer its PyTorch
# vector (0.989 against 0.987). The tagger's texts: shuffled, 51 of 3,000 feedback lines changed kind.
# Parsing bounds the tagger's speed and label phrases are short, so it costs little (bench/classify.py).
ALONE = 1


def encode(texts: list[str], model: str, batch_size: int = 64, backend: str = "torch",
           models_dir: Path | None = None, threads: int | None = None) -> np.ndarray:
    """-> float32 (len(texts), dim), unit rows. Both backends sort by length, so batches carry
    little padding. "onnx-int8" exports the model once into `models_dir` (see nlp.themes.embed_onnx) and
    runs on `threads` cores (default all; PyTorch keeps its own setting)."""
    if backend == "onnx-int8":
        from nlp.themes.embed_onnx import OnnxUnsupported, load_onnx_encoder

        try:
            encoder = load_onnx_encoder(resolve_model(model), str(models_dir or Path(".voc") / "models"),
                                        threads or cpu_count())
            return encoder.encode(texts, batch_size)
        except OnnxUnsupported:  # not a local mean-pooling model: PyTorch encodes it as it is
            backend = "torch"
    if backend != "torch":
        raise ValueError(f"unknown embedding backend {backend!r}; use 'onnx-int8' or 'torch'")
    # PyTorch's float32 vectors don't move with their batch-mates (max difference 2.5e-7 on 300 forum sentences),
    # so one text a batch would only cost time: 3x on CPU.
    vectors = load_encoder(model).encode(texts, batch_size=64 if batch_size == ALONE else batch_size,
                                         normalize_embeddings=True, show_progress_bar=False, convert_to_numpy=True)
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
    from nlp.themes.embed_cache import text_hash

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
    from nlp.themes.embed_cache import EmbeddingCache

    return embed(texts, settings.themes.embedding_model, cache=EmbeddingCache(settings.store_url),
                 backend=settings.themes.embedding_backend, models_dir=settings.paths.state / "models")


def encoder_for(settings: "Settings"):
    """texts -> unit vectors, as voc.toml configures the encoder (no cache: for short label phrases),
    one text a batch (ALONE)."""
    return lambda texts: embed(texts, settings.themes.embedding_model, batch_size=ALONE,
                               backend=settings.themes.embedding_backend, models_dir=settings.paths.state / "models")
