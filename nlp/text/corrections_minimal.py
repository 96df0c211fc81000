"""A project's own kind correction model, minimal: the shipped tagger's kind as a fixed prior, and a
learned correction on the text's embedding plus a per-kind bias, L2-penalised so that it stays at
zero until the researcher's corrections say otherwise.

The same API as issue 14's nlp.text.corrections (which replaces this module once it lands):
    fit_corrections(texts, kinds, settings) -> CorrectionModel | None
    CorrectionModel.classify(texts) -> [Classification]; .to_json() / CorrectionModel.from_json(s)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import TYPE_CHECKING

import numpy as np

from nlp.schema import KINDS
from nlp.text import tagger

if TYPE_CHECKING:
    from nlp.settings import Settings

MIN_CORRECTIONS = 5  # fewer corrected texts teach nothing reliable: fit_corrections gives None
PRIOR = 2.0          # the shipped tagger's kind, as a logit bonus: what a correction must overcome
PENALTY = 3.0        # L2 weight on the correction (embedding weights)
BIAS_PENALTY = 1.0   # the same for the per-kind bias (the project's own mix of kinds)


def _prior(kinds: list[str]) -> np.ndarray:
    out = np.zeros((len(kinds), len(KINDS)))
    out[np.arange(len(kinds)), [KINDS.index(k) for k in kinds]] = PRIOR
    return out


@dataclass
class CorrectionModel:
    weights: np.ndarray  # (K, D) on the embedding
    bias: np.ndarray     # (K,)
    settings: dict       # the settings the texts are tagged and embedded with (Settings as JSON)
    examples: int = 0

    def _settings(self) -> "Settings":
        from nlp.settings import Settings

        return Settings.model_validate(self.settings)

    def classify(self, texts: list[str]) -> list[tagger.Classification]:
        """One Classification per text: the corrected kind; severity and sentiment as the tagger gives them."""
        from nlp.themes.embed import embed_for

        if not texts:
            return []
        settings = self._settings()
        shipped = list(tagger.classify_for(texts, settings))
        vectors = embed_for(list(texts), settings).astype(np.float64)
        logits = _prior([c.kind for c in shipped]) + vectors @ self.weights.T + self.bias
        out = []
        for c, k in zip(shipped, np.argmax(logits, axis=1)):
            kind = KINDS[int(k)]
            out.append(c if kind == c.kind else tagger.Classification(kind, c.severity if kind == "pain" else 0.0,
                                                                       c.sentiment))
        return out

    def to_json(self) -> str:
        return json.dumps({"kinds": list(KINDS), "weights": np.round(self.weights, 6).tolist(),
                           "bias": self.bias.tolist(), "settings": self.settings, "examples": self.examples})

    @classmethod
    def from_json(cls, s: str) -> "CorrectionModel":
        d = json.loads(s)
        if d.get("kinds") != list(KINDS):
            raise ValueError(f"a correction model for kinds {d.get('kinds')} cannot classify into {list(KINDS)}")
        return cls(np.asarray(d["weights"]), np.asarray(d["bias"]), d["settings"], int(d["examples"]))


def fit(vectors: np.ndarray, shipped: list[str], kinds: list[str]) -> tuple[np.ndarray, np.ndarray]:
    """Softmax cross-entropy with the prior as a fixed offset, L2-penalised, by L-BFGS -> (weights, bias)."""
    from scipy.optimize import minimize

    x = vectors.astype(np.float64)
    base = _prior(shipped)
    y = np.zeros((len(kinds), len(KINDS)))
    y[np.arange(len(kinds)), [KINDS.index(k) for k in kinds]] = 1.0
    n_k, n_in = len(KINDS), x.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:n_k * n_in].reshape(n_k, n_in), theta[n_k * n_in:]
        z = base + x @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        grad = p - y
        value = -np.sum(y * np.log(p + 1e-12)) + PENALTY * np.sum(w * w) + BIAS_PENALTY * np.sum(b * b)
        return value, np.concatenate([(grad.T @ x + 2 * PENALTY * w).ravel(), grad.sum(axis=0) + 2 * BIAS_PENALTY * b])

    theta = minimize(loss, np.zeros(n_k * n_in + n_k), jac=True, method="L-BFGS-B", options={"maxiter": 300}).x
    return theta[:n_k * n_in].reshape(n_k, n_in), theta[n_k * n_in:]


def fit_corrections(texts: list[str], kinds: list[str], settings: "Settings") -> CorrectionModel | None:
    """The project's correction model from the researcher's (text, kind) pairs; None when there are
    fewer than MIN_CORRECTIONS (the shipped tagger is then as good as it gets)."""
    from nlp.themes.embed import embed_for

    if len(texts) != len(kinds):
        raise ValueError(f"{len(texts)} texts but {len(kinds)} kinds: give one kind per text")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}: use {', '.join(KINDS)}")
    if len(texts) < MIN_CORRECTIONS:
        return None
    shipped = [c.kind for c in tagger.classify_for(list(texts), settings)]
    weights, bias = fit(embed_for(list(texts), settings), shipped, list(kinds))
    return CorrectionModel(weights, bias, settings.model_dump(mode="json"), len(texts))
