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


def test_too_few_or_bad_corrections():
    settings = Settings()
    assert corrections.fit_corrections(["The export crashes."], ["pain"], settings) is None
    with pytest.raises(ValueError, match="unknown kinds"):
        corrections.fit_corrections(["a"] * 6, ["complaint"] * 6, settings)
    with pytest.raises(ValueError, match="one kind per text"):
        corrections.fit_corrections(["a", "b"], ["pain"], settings)


def test_corrections_on_real_feedback_move_the_kinds_of_similar_unseen_texts(forum):
    """A researcher corrects the kinds of 60 forum sentences; on 150 other sentences of the same
    forum, which the corrections never saw, clearly more kinds are right than the tagger alone gets,
    and the model survives its JSON round trip unchanged."""
    settings = Settings()
    taught, unseen = forum[:60], forum[60:210]
    model = corrections.fit_corrections([t for t, _ in taught], [k for _, k in taught], settings)
    assert model is not None and model.examples == 60
    texts, gold = [t for t, _ in unseen], [k for _, k in unseen]
    alone = list(tagger.classify_for(texts, settings))
    corrected = model.classify(texts)
    right = lambda cs: sum(c.kind == g for c, g in zip(cs, gold))
    assert right(corrected) >= right(alone) + 15, (right(alone), right(corrected))
    changed = [i for i, (a, c) in enumerate(zip(alone, corrected)) if a.kind != c.kind]
    assert changed and all(c.sentiment == a.sentiment for a, c in zip(alone, corrected))
    assert all((c.severity > 0) == (c.kind == "pain") for c in corrected)
    again = corrections.CorrectionModel.from_json(model.to_json())
    assert [c.kind for c in again.classify(texts[:40])] == [c.kind for c in corrected[:40]]
