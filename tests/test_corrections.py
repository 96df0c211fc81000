"""The researcher's correction model (nlp/text/corrections.py) on real labelled feedback
(../shared/eval/feedback: forum sentences nobody here wrote)."""

from __future__ import annotations

import json

import numpy as np
import pytest
from conftest import EVAL, require

from nlp.settings import Settings
from nlp.text import corrections, tagger

KIND_OF = {"PROBLEM": "pain", "REQUEST": "request", "PRAISE": "praise", "QUESTION": "question", "OTHER": "other"}


@pytest.fixture(scope="module")
def forum():
    """Tizard et al.'s Firefox help forum: (text, kind), shuffled once."""
    path = require(EVAL / "feedback" / "tizard2019_product_forums.jsonl")
    rows = [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]
    pairs = [(" ".join(r["text"].split()), KIND_OF[r["label"]]) for r in rows if r["source"] == "tizard2019-forum:fire fox"]
    return [pairs[i] for i in np.random.default_rng(0).permutation(len(pairs))]


def test_no_or_bad_corrections():
    settings = Settings()
    assert corrections.fit_corrections([], [], settings) is None
    with pytest.raises(ValueError, match="unknown kinds"):
        corrections.fit_corrections(["a"] * 6, ["complaint"] * 6, settings)
    with pytest.raises(ValueError, match="one kind per text"):
        corrections.fit_corrections(["a", "b"], ["pain"], settings)


def test_corrections_on_real_feedback_move_the_kinds_of_similar_unseen_texts(forum):
    """A researcher sets the kinds of 300 forum sentences; of 300 other sentences of the same forum,
    which the corrections never saw, those close to a corrected one take up corrected kinds and end
    up right more often than the tagger alone; the rest keep the tagger's kinds. The model survives
    its JSON round trip unchanged."""
    settings = Settings()
    taught, unseen = forum[:300], forum[300:600]
    model = corrections.fit_corrections([t for t, _ in taught], [k for _, k in taught], settings)
    texts, gold = [t for t, _ in unseen], [k for _, k in unseen]
    alone = list(tagger.classify_for(texts, settings))
    corrected = model.classify(texts)
    changed = [i for i, (a, c) in enumerate(zip(alone, corrected)) if a.kind != c.kind]
    assert len(changed) >= 5, changed
    assert sum(corrected[i].kind == gold[i] for i in changed) > sum(alone[i].kind == gold[i] for i in changed)
    vectors = corrections.embeddings(texts, tagger.models_of(settings))
    far = (vectors @ model.vectors.T).max(axis=1) < corrections.NEIGHBOUR
    assert far.sum() > 50 and all(corrected[i].kind == alone[i].kind for i in np.flatnonzero(far))
    assert all(c.sentiment == a.sentiment for a, c in zip(alone, corrected))
    assert all((c.severity > 0) == (c.kind == "pain") for c in corrected)
    again = corrections.CorrectionModel.from_json(model.to_json())
    assert again.models == model.models
    assert again.predict([c.kind for c in alone], vectors) == model.predict([c.kind for c in alone], vectors)
