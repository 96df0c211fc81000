"""A project's own kinds, minimal: the shipped tagger's kind, overruled only by the researcher's
corrections of texts close to it (their sentence embeddings).

Each text's score for a kind is PRIOR for the kind the tagger gives, plus, from every corrected text
whose cosine similarity to it is above NEIGHBOUR, ALPHA x (similarity - NEIGHBOUR) / (1 - NEIGHBOUR)
for the corrected kind. A near copy of a corrected text takes its kind; a merely related one needs
others beside it; texts unlike any correction keep the tagger's kind. (A global correction fitted
on the corrections alone learns from mistakes only: bench/corrections.py measured it pulling every
kind towards the most corrected one, lowering macro-F1 on held-back feedback.)

The same API as issue 14's nlp.text.corrections, which replaces this module once it lands:
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

MIN_CORRECTIONS = 1  # one corrected text already re-tags its near copies
PRIOR = 1.0          # the tagger's kind
NEIGHBOUR = 0.7      # cosine similarity below which a corrected text says nothing about another
ALPHA = 1.5          # a correction's vote at similarity 1 (a near copy outvotes the tagger alone)


@dataclass
class CorrectionModel:
    texts: list[str]     # the corrected texts
    kinds: list[str]     # the kinds the researcher set
    settings: dict       # the settings texts are tagged and embedded with (Settings as JSON)

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
        sims = embed_for(list(texts), settings) @ embed_for(self.texts, settings).T
        votes = ALPHA * np.clip((sims - NEIGHBOUR) / (1 - NEIGHBOUR), 0.0, None)
        scores = np.zeros((len(texts), len(KINDS)))
        scores[np.arange(len(texts)), [KINDS.index(c.kind) for c in shipped]] = PRIOR
        for k, kind in enumerate(self.kinds):
            scores[:, KINDS.index(kind)] += votes[:, k]
        out = []
        for c, row in zip(shipped, scores):
            kind = KINDS[int(np.argmax(row))] if row.max() > PRIOR else c.kind  # a tie keeps the tagger's
            out.append(c if kind == c.kind else tagger.Classification(kind, c.severity if kind == "pain" else 0.0,
                                                                       c.sentiment))
        return out

    def to_json(self) -> str:
        return json.dumps({"kinds_known": list(KINDS), "texts": self.texts, "kinds": self.kinds, "settings": self.settings})

    @classmethod
    def from_json(cls, s: str) -> "CorrectionModel":
        d = json.loads(s)
        if d.get("kinds_known") != list(KINDS):
            raise ValueError(f"a correction model for kinds {d.get('kinds_known')} cannot classify into {list(KINDS)}")
        return cls(d["texts"], d["kinds"], d["settings"])


def fit_corrections(texts: list[str], kinds: list[str], settings: "Settings") -> CorrectionModel | None:
    """The project's correction model from the researcher's (text, kind) pairs; None without any."""
    if len(texts) != len(kinds):
        raise ValueError(f"{len(texts)} texts but {len(kinds)} kinds: give one kind per text")
    unknown = sorted(set(kinds) - set(KINDS))
    if unknown:
        raise ValueError(f"unknown kinds {unknown}: use {', '.join(KINDS)}")
    if len(texts) < MIN_CORRECTIONS:
        return None
    return CorrectionModel(list(texts), list(kinds), settings.model_dump(mode="json"))
