"""A project's own kind model, fitted on the researcher's corrected kinds with the shipped kind
model as the prior.

The shipped model's scores (nlp/text/kind_model.py, offsets included) are a fixed offset of a
softmax over the kinds; what is learned is a correction on the same inputs (the standardised
features and the embedding) plus a per-kind bias, with an L2 penalty that holds it at zero until
the examples say otherwise. With no corrections it is the shipped model; a few move the kinds of
texts like the corrected ones; many adapt it to the project's own mix of kinds (the bias).

    fit_corrections(texts, kinds, settings) -> CorrectionModel | None
    CorrectionModel.classify(texts) -> [Classification]; .to_json() / CorrectionModel.from_json(s)
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.schema import KINDS
from nlp.text import kind_model, tagger

if TYPE_CHECKING:
    from nlp.settings import Settings

MIN_CORRECTIONS = 5      # fewer corrected texts than this teach nothing reliable: fit_corrections gives None
PENALTY = 3.0            # L2 weight on the correction: higher keeps it nearer the shipped model
BIAS_PENALTY = 1.0       # the same for the per-kind bias (the project's own mix of kinds)


def prior_id(prior: kind_model.KindModel) -> str:
    return hashlib.sha256(json.dumps(prior.to_dict(), sort_keys=True).encode()).hexdigest()[:12]


@dataclass
class CorrectionModel:
    weights: np.ndarray               # (K, F + D) correction on the prior's inputs
    bias: np.ndarray                  # (K,)
    models: dict                      # tagger.models_of(settings), to featurise new texts
    prior: kind_model.KindModel = field(default_factory=kind_model.shipped, repr=False)
    examples: int = 0

    def logits(self, feats: np.ndarray, vectors: np.ndarray) -> np.ndarray:
        x = self.prior.inputs(feats, vectors)
        return self.prior.scores(feats, vectors) + self.prior.offsets + x @ self.weights.T + self.bias

    def predict(self, feats: np.ndarray, vectors: np.ndarray) -> list[str]:
        return [KINDS[i] for i in np.argmax(self.logits(feats, vectors), axis=1)]

    def classify(self, texts: list[str]) -> list[tagger.Classification]:
        """One Classification per text: the adapted kind, severity and sentiment as the tagger gives them."""
        out: list[tagger.Classification] = []
        for part in tagger.parse_stream(texts, **self.models):
            out.extend(tagger.classifications(part.counts, part.moods, self.predict(part.feats, part.vectors.result())))
        return out

    def to_json(self) -> str:
        models = {k: str(v) if isinstance(v, Path) else v for k, v in self.models.items()}
        return json.dumps({"kinds": list(KINDS), "weights": np.round(self.weights, 6).tolist(),
                           "bias": self.bias.tolist(), "models": models, "examples": self.examples,
                           "prior": prior_id(self.prior)})

    @classmethod
    def from_json(cls, s: str) -> "CorrectionModel":
        """The correction over the shipped model (a correction fitted on an older shipped model still
        applies: both read the same features)."""
        d = json.loads(s)
        if d.get("kinds") != list(KINDS):
            raise ValueError(f"a correction model for kinds {d.get('kinds')} cannot classify into {list(KINDS)}")
        models = dict(d["models"])
        if models.get("models_dir") is not None:
            models["models_dir"] = Path(models["models_dir"])
        return cls(np.asarray(d["weights"], np.float32), np.asarray(d["bias"], np.float32), models,
                   examples=int(d["examples"]))


def fit_on(feats: np.ndarray, vectors: np.ndarray, kinds: list[str], prior: kind_model.KindModel,
           models: dict | None = None, penalty: float = PENALTY, bias_penalty: float = BIAS_PENALTY) -> CorrectionModel:
    """The correction for featurised texts and their kinds over `prior` (softmax cross-entropy with
    the prior's scores as a fixed offset, L2-penalised; L-BFGS)."""
    from scipy.optimize import minimize

    x = prior.inputs(feats, vectors).astype(np.float64)
    base = (prior.scores(feats, vectors) + prior.offsets).astype(np.float64)
    y = np.zeros((len(kinds), len(KINDS)))
    y[np.arange(len(kinds)), [KINDS.index(k) for k in kinds]] = 1.0
    n_k, n_in = len(KINDS), x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:n_k * n_in].reshape(n_k, n_in), theta[n_k * n_in:]
        z = base + x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        nll = -np.sum(y * np.log(p + 1e-12))
        grad_z = p - y
        gw = grad_z.T @ x + 2 * penalty * w
        gb = grad_z.sum(axis=0) + 2 * bias_penalty * b
        return nll + penalty * np.sum(w * w) + bias_penalty * np.sum(b * b), np.concatenate([gw.ravel(), gb])

    theta = minimize(loss, np.zeros(n_k * n_in + n_k), jac=True, method="L-BFGS-B", options={"maxiter": 300}).x
    return CorrectionModel(theta[:n_k * n_in].reshape(n_k, n_in).astype(np.float32),
                           theta[n_k * n_in:].astype(np.float32), models or {}, prior, len(kinds))


def fit_corrections(texts: list[str], kinds: list[str], settings: "Settings") -> CorrectionModel | None:
    """The project's correction model from the researcher's corrected (text, kind) pairs, over the
    shipped kind model; None when there are fewer than MIN_CORRECTIONS of them (the shipped model
    is then as good as it gets)."""
    if len(texts) != len(kinds):
        raise ValueError(f"{len(texts)} texts but {len(kinds)} kinds: give one kind per text")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}: use {', '.join(KINDS)}")
    if len(texts) < MIN_CORRECTIONS:
        return None
    models = tagger.models_of(settings)
    feats, vectors = tagger.features_and_vectors(list(texts), **models)
    return fit_on(feats, vectors, list(kinds), kind_model.shipped(), models)
