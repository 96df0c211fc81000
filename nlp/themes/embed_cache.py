"""Embedding cache keyed by (model, text hash), in the store's database (SQLite by default,
PostgreSQL by URL, plain SQLAlchemy Core): a nightly run embeds only the quotes it has not seen."""

from __future__ import annotations

import hashlib
import numpy as np
from sqlalchemy import Column, Integer, LargeBinary, MetaData, String, Table, insert, select

metadata = MetaData()
embeddings = Table(
    "embeddings", metadata,
    Column("model", String(200), primary_key=True),
    Column("text_sha256", String(64), primary_key=True),
    Column("dim", Integer, nullable=False),
    Column("vector", LargeBinary, nullable=False),  # little-endian float32 bytes
)
LOOKUP_BATCH = 500  # keys per IN (...) query: well under every database's parameter limit


def text_hash(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


class EmbeddingCache:
    def __init__(self, url: str):
        from nlp.store import open_engine

        self.engine = open_engine(url, metadata)

    def get(self, model: str, hashes: list[str]) -> dict[str, np.ndarray]:
        found: dict[str, np.ndarray] = {}
        unique = sorted(set(hashes))
        with self.engine.connect() as conn:
            for start in range(0, len(unique), LOOKUP_BATCH):
                rows = conn.execute(select(embeddings.c.text_sha256, embeddings.c.vector).where(
                    embeddings.c.model == model, embeddings.c.text_sha256.in_(unique[start:start + LOOKUP_BATCH])))
                for sha, blob in rows:
                    found[sha] = np.frombuffer(blob, dtype="<f4").copy()
        return found

    def put(self, model: str, vectors: dict[str, np.ndarray]) -> None:
        if not vectors:
            return
        with self.engine.begin() as conn:
            known = set(self.get(model, list(vectors)))
            rows = [{"model": model, "text_sha256": sha, "dim": int(v.shape[0]), "vector": v.astype("<f4").tobytes()}
                    for sha, v in sorted(vectors.items()) if sha not in known]
            if rows:
                conn.execute(insert(embeddings), rows)

    def count(self, model: str) -> int:
        from sqlalchemy import func

        with self.engine.connect() as conn:
            return conn.execute(select(func.count()).select_from(embeddings).where(embeddings.c.model == model)).scalar()
