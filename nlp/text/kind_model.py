"""The learned kind model: one class-balanced logistic regression per kind (one against the rest)
over the domain-independent features of nlp/text/kind_features.py and the text's MiniLM embedding,
then the kind with the highest score, each kind's score shifted by its offset.

Balanced classes make every kind's score mean "how much more like this kind than not", whatever
share of the training data the kind had: a model trained where requests are 4 % still finds them
where they are 40 %. The offsets are chosen by leave-one-source-out validation (scripts/train_tagger.py).
Plain numpy at run time; the weights are a small JSON file.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlp.schema import KINDS

SHIPPED = Path(__file__).with_name("kind_model.json")
EMBEDDING_SCALE = 0.35   # the embedding's share beside the standardised features (chosen by LOSO)
C = 0.05                 # inverse regularisation strength (chosen by LOSO)


@dataclass
class KindModel:
    feature_mean: np.ndarray      # (F,)
    feature_scale: np.ndarray     # (F,)
    weights: np.ndarray           # (K, F + D)
    bias: np.ndarray              # (K,)
    offsets: np.ndarray           # (K,) added to the scores before the argmax
    kinds: tuple[str, ...] = KINDS
    embedding_scale: float = EMBEDDING_SCALE

    def inputs(self, feats: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        standard = (feats - self.feature_mean) / self.feature_scale
        return np.hstack([standard, self.embedding_scale * vectors]).astype(np.float32)

    def scores(self, feats: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        """(N, K) log-odds of each kind against the rest, before the offsets."""
        return self.inputs(feats, vectors) @ self.weights.T + self.bias

    def predict(self, feats: np.ndarray, vectors: np.ndarray) -> list[str]:
        best = np.argmax(self.scores(feats, vectors) + self.offsets, axis=1)
        return [self.kinds[i] for i in best]

    def to_dict(self) -> dict:
        return {"kinds": list(self.kinds), "embedding_scale": self.embedding_scale,
                "feature_mean": self.feature_mean.tolist(), "feature_scale": self.feature_scale.tolist(),
                "weights": np.round(self.weights, 5).tolist(), "bias": self.bias.tolist(),
                "offsets": self.offsets.tolist()}

    @classmethod
    def from_dict(cls, d: dict) -> "KindModel":
        f32 = lambda key: np.asarray(d[key], dtype=np.float32)  # noqa: E731
        return cls(f32("feature_mean"), f32("feature_scale"), f32("weights"), f32("bias"), f32("offsets"),
                   tuple(d["kinds"]), float(d["embedding_scale"]))


def fit(feats: np.ndarray, vectors: np.ndarray, labels: list[str], c: float = C,
        embedding_scale: float = EMBEDDING_SCALE, sample_weight: np.ndarray | None = None) -> KindModel:
    """One balanced logistic regression per kind; offsets start at 0. A kind with no examples gets a
    score that never wins."""
    from sklearn.linear_model import LogisticRegression

    mean = feats.mean(axis=0)
    scale = feats.std(axis=0)
    scale[scale < 1e-6] = 1.0
    model = KindModel(mean.astype(np.float32), scale.astype(np.float32), np.zeros((0, 0)), np.zeros(0),
                      np.zeros(len(KINDS), dtype=np.float32), KINDS, embedding_scale)
    x = model.inputs(feats, vectors)
    labels_arr = np.asarray(labels)
    weights = np.zeros((len(KINDS), x.shape[1]), dtype=np.float32)
    bias = np.full(len(KINDS), -30.0, dtype=np.float32)
    for k, kind in enumerate(KINDS):
        y = labels_arr == kind
        if y.all() or not y.any():
            continue
        lr = LogisticRegression(C=c, class_weight="balanced", max_iter=2000)
        lr.fit(x, y, sample_weight=sample_weight)
        weights[k], bias[k] = lr.coef_[0], lr.intercept_[0]
    model.weights, model.bias = weights, bias
    return model


@lru_cache(maxsize=1)
def shipped() -> KindModel:
    """The model scripts/train_tagger.py built (nlp/text/kind_model.json)."""
    if not SHIPPED.is_file():
        raise FileNotFoundError(f"{SHIPPED} is missing; rebuild it with: python scripts/train_tagger.py")
    return KindModel.from_dict(json.loads(SHIPPED.read_text(encoding="utf-8")))
