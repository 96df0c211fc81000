"""A project's own kind model, fitted on the researcher's corrected kinds with the shipped tagger
(nlp/text/tagger.py) as the prior.

A softmax over the kinds whose logits are PRIOR_WEIGHT for the kind the tagger gives (a fixed
offset: the prior) plus a learned correction on the text's domain-independent features
(nlp/text/kind_features.py, standardised) and its MiniLM embedding, plus a per-kind bias. An L2
penalty holds the correction at zero until the examples say otherwise: with no corrections it is
the tagger; a few move the kinds of texts like the corrected ones; many adapt it to the project's
own mix of kinds (the bias).

    fit_corrections(texts, kinds, settings) -> CorrectionModel | None
    CorrectionModel.classify(texts) -> [Classification]; .to_json() / CorrectionModel.from_json(s)
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from nlp.schema import KINDS
from nlp.text import kind_features, tagger
from nlp.themes import embed

if TYPE_CHECKING:
    from nlp.settings import Settings

MIN_CORRECTIONS = 5      # fewer corrected texts than this teach nothing reliable: fit_corrections gives None
PRIOR_WEIGHT = 2.0       # the tagger's kind, in log-odds: what the corrections must outweigh
PENALTY = 3.0            # L2 weight on the correction: higher keeps it nearer the tagger
BIAS_PENALTY = 1.0       # the same for the per-kind bias (the project's own mix of kinds)
EMBEDDING_SCALE = 0.35   # the embedding's share beside the standardised features


@dataclass
class Inputs:
    """What the correction model reads of texts: the tagger's classifications, the features and
    the embeddings."""

    tagged: list[tagger.Classification]
    feats: np.ndarray
    vectors: np.ndarray


def inputs(texts: list[str], models: dict) -> Inputs:
    """Inputs of texts under `models` (tagger.models_of(settings))."""
    tagged = tagger.classify_many(texts, **models)
    nlp = tagger.load_pipeline(models["spacy_model"])
    feats = np.stack([kind_features.features(doc, tagger.polarity(doc.text)) for doc in nlp.pipe(texts, batch_size=500)])
    vectors = embed.embed([tagger.embedding_text(t) for t in texts], models["embedding_model"],
                          backend=models["backend"], models_dir=models["models_dir"])
    return Inputs(tagged, feats, vectors)


@dataclass
class CorrectionModel:
    weights: np.ndarray               # (K, F + D) correction on the standardised features and embedding
    bias: np.ndarray                  # (K,)
    feature_mean: np.ndarray          # (F,) of the corrected texts
    feature_scale: np.ndarray         # (F,)
    models: dict                      # tagger.models_of(settings), to read new texts the same way
    examples: int = 0

    def logits(self, x: Inputs) -> np.ndarray:
        return prior_logits(x) + design(x, self.feature_mean, self.feature_scale) @ self.weights.T + self.bias

    def predict(self, x: Inputs) -> list[str]:
        return [KINDS[i] for i in np.argmax(self.logits(x), axis=1)]

    def classify(self, texts: list[str]) -> list[tagger.Classification]:
        """One Classification per text: the adapted kind; severity (of a pain) and sentiment as the
        tagger gives them."""
        if not texts:
            return []
        x = inputs(list(texts), self.models)
        counts = [dict(doc.user_data["cue_counts"]) for doc in tagger.load_pipeline(self.models["spacy_model"]).pipe(texts)]
        return [tagger.Classification(kind, tagger.severity(c) if kind == "pain" else 0.0, t.sentiment)
                for kind, c, t in zip(self.predict(x), counts, x.tagged)]

    def to_json(self) -> str:
        models = {k: str(v) if isinstance(v, Path) else v for k, v in self.models.items()}
        return json.dumps({"kinds": list(KINDS), "features": kind_features.NAMES, "examples": self.examples,
                           "weights": np.round(self.weights, 6).tolist(), "bias": self.bias.tolist(),
                           "feature_mean": self.feature_mean.tolist(), "feature_scale": self.feature_scale.tolist(),
                           "models": models})

    @classmethod
    def from_json(cls, s: str) -> CorrectionModel:
        d = json.loads(s)
        if d.get("kinds") != list(KINDS) or d.get("features") != kind_features.NAMES:
            raise ValueError("this correction model was fitted by another version of voc's tagger; "
                             "fit it again from the corrections (fit_corrections)")
        models = dict(d["models"])
        if models.get("models_dir") is not None:
            models["models_dir"] = Path(models["models_dir"])
        f32 = lambda key: np.asarray(d[key], np.float32)
        return cls(f32("weights"), f32("bias"), f32("feature_mean"), f32("feature_scale"), models, int(d["examples"]))


def prior_logits(x: Inputs) -> np.ndarray:
    prior = np.zeros((len(x.tagged), len(KINDS)))
    prior[np.arange(len(x.tagged)), [KINDS.index(c.kind) for c in x.tagged]] = PRIOR_WEIGHT
    return prior


def design(x: Inputs, mean: np.ndarray, scale: np.ndarray) -> np.ndarray:
    return np.hstack([(x.feats - mean) / scale, EMBEDDING_SCALE * x.vectors]).astype(np.float64)


def fit_on(x: Inputs, kinds: list[str], models: dict | None = None, penalty: float = PENALTY,
           bias_penalty: float = BIAS_PENALTY) -> CorrectionModel:
    """The correction for read texts and their kinds: softmax cross-entropy with the tagger's kind as a
    fixed offset, L2-penalised, by L-BFGS."""
    from scipy.optimize import minimize

    mean = x.feats.mean(axis=0)
    scale = x.feats.std(axis=0)
    scale[scale < 1e-6] = 1.0
    model = CorrectionModel(np.zeros((len(KINDS), 0)), np.zeros(len(KINDS)), mean.astype(np.float32),
                            scale.astype(np.float32), models or {}, len(kinds))
    a = design(x, model.feature_mean, model.feature_scale)
    base = prior_logits(x)
    y = np.zeros((len(kinds), len(KINDS)))
    y[np.arange(len(kinds)), [KINDS.index(k) for k in kinds]] = 1.0
    n_k, n_in = len(KINDS), a.shape[1]

    def loss(theta: np.ndarray) -> tuple[float, np.ndarray]:
        w, b = theta[:n_k * n_in].reshape(n_k, n_in), theta[n_k * n_in:]
        z = base + a @ w.T + b
        z -= z.max(axis=1, keepdims=True)
        p = np.exp(z)
        p /= p.sum(axis=1, keepdims=True)
        value = -np.sum(y * np.log(p + 1e-12)) + penalty * np.sum(w * w) + bias_penalty * np.sum(b * b)
        gw = (p - y).T @ a + 2 * penalty * w
        gb = (p - y).sum(axis=0) + 2 * bias_penalty * b
        return value, np.concatenate([gw.ravel(), gb])

    theta = minimize(loss, np.zeros(n_k * n_in + n_k), jac=True, method="L-BFGS-B", options={"maxiter": 500}).x
    model.weights = theta[:n_k * n_in].reshape(n_k, n_in).astype(np.float32)
    model.bias = theta[n_k * n_in:].astype(np.float32)
    return model


def fit_corrections(texts: list[str], kinds: list[str], settings: Settings) -> CorrectionModel | None:
    """The project's correction model from the researcher's corrected (text, kind) pairs; None when
    there are fewer than MIN_CORRECTIONS of them (the tagger alone is then as good as it gets)."""
    if len(texts) != len(kinds):
        raise ValueError(f"{len(texts)} texts but {len(kinds)} kinds: give one kind per text")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}: use {', '.join(KINDS)}")
    if len(texts) < MIN_CORRECTIONS:
        return None
    models = tagger.models_of(settings)
    return fit_on(inputs(list(texts), models), list(kinds), models)
