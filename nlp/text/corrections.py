"""A project's own kinds, learned from the researcher's corrected kinds with the shipped tagger
(nlp/text/tagger.py) as the prior.

Each text's kind scores are PRIOR_WEIGHT for the kind the tagger gives, plus a vote from every
corrected text close to it in the MiniLM embedding: ALPHA x (similarity - NEIGHBOUR) / (1 - NEIGHBOUR)
for the corrected kind, when the cosine similarity is above NEIGHBOUR. So a correction moves the kinds
of texts like the corrected one and leaves the rest to the tagger: a close neighbour alone ties the
tagger, two outvote it. (A global correction, a softmax regression on parse features and the
embedding regularised towards the tagger, was measured first: with 200 corrections it raised the
share of right kinds on held-back real feedback by 0.17 but lowered pain F1 by 0.05 and request F1
by 0.08, as it learned each source's mix of kinds; worse with fewer or errors-only corrections.)

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
from nlp.text import tagger
from nlp.themes import embed

if TYPE_CHECKING:
    from nlp.settings import Settings

MIN_CORRECTIONS = 1      # one corrected text already moves the kinds of texts just like it
PRIOR_WEIGHT = 2.0       # the tagger's kind
ALPHA = 3.0              # a corrected text at similarity 1
NEIGHBOUR = 0.6          # cosine similarity (MiniLM) below which a corrected text does not vote


def embeddings(texts: list[str], models: dict) -> np.ndarray:
    return embed.embed([tagger.embedding_text(t) for t in texts], models["embedding_model"], batch_size=embed.ALONE,
                       backend=models["backend"], models_dir=models["models_dir"])


@dataclass
class CorrectionModel:
    vectors: np.ndarray               # (N, D) the corrected texts' embeddings
    kinds: list[str]                  # (N,) their corrected kinds
    models: dict                      # tagger.models_of(settings): how texts are read

    def votes(self, vectors: np.ndarray) -> np.ndarray:
        """(M, K) the corrected texts' votes for texts of these embeddings."""
        closeness = np.clip((vectors @ self.vectors.T - NEIGHBOUR) / (1 - NEIGHBOUR), 0, None)
        onehot = np.zeros((len(self.kinds), len(KINDS)))
        onehot[np.arange(len(self.kinds)), [KINDS.index(k) for k in self.kinds]] = 1.0
        return ALPHA * closeness @ onehot

    def predict(self, tagged: list[str], vectors: np.ndarray) -> list[str]:
        """Kinds from the tagger's kinds and the texts' embeddings."""
        scores = self.votes(vectors)
        scores[np.arange(len(tagged)), [KINDS.index(k) for k in tagged]] += PRIOR_WEIGHT
        return [KINDS[i] for i in np.argmax(scores, axis=1)]  # a tie keeps the earlier kind in KINDS

    def classify(self, texts: list[str]) -> list[tagger.Classification]:
        """One Classification per text: the adapted kind; severity (of a pain) and sentiment as the
        tagger gives them."""
        texts = list(texts)
        return self.recast(texts, list(tagger.classify_many(texts, **self.models))) if texts else []

    def recast(self, texts: list[str], alone: list[tagger.Classification]) -> list[tagger.Classification]:
        """classify() for texts the tagger has already tagged (`alone`, one per text): a run's quotes
        carry their tagger kinds, so only their embeddings are computed."""
        if not texts:
            return []
        kinds = self.predict([c.kind for c in alone], embeddings(texts, self.models))
        out = []
        for text, c, kind in zip(texts, alone, kinds):
            if kind == "pain" and c.kind != "pain":  # a pain the tagger did not see: its severity cues
                doc = next(tagger.parsed([text], self.models["spacy_model"]))
                c = tagger.Classification(kind, tagger.severity(doc.user_data["cue_counts"]), c.sentiment)
            out.append(tagger.Classification(kind, c.severity if kind == "pain" else 0.0, c.sentiment))
        return out

    def to_json(self) -> str:
        models = {k: str(v) if isinstance(v, Path) else v for k, v in self.models.items()}
        return json.dumps({"kinds": self.kinds, "vectors": np.round(self.vectors, 4).tolist(), "models": models})

    @classmethod
    def from_json(cls, s: str) -> CorrectionModel:
        d = json.loads(s)
        models = dict(d["models"])
        if models.get("models_dir") is not None:
            models["models_dir"] = Path(models["models_dir"])
        vectors = np.asarray(d["vectors"], np.float32).reshape(len(d["kinds"]), -1)
        return cls(vectors / np.linalg.norm(vectors, axis=1, keepdims=True), list(d["kinds"]), models)


def fit_corrections(texts: list[str], kinds: list[str], settings: Settings) -> CorrectionModel | None:
    """The project's correction model from the researcher's corrected (text, kind) pairs (pass every
    quote whose kind the researcher has checked, kept or changed: a kept kind votes for itself too); None when there are fewer than MIN_CORRECTIONS."""
    if len(texts) != len(kinds):
        raise ValueError(f"{len(texts)} texts but {len(kinds)} kinds: give one kind per text")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}: use {', '.join(KINDS)}")
    if len(texts) < MIN_CORRECTIONS:
        return None
    models = tagger.models_of(settings)
    return CorrectionModel(embeddings(list(texts), models), list(kinds), models)
