"""Clustering on a real customer-intent set, the ranking arithmetic, and stable theme ids."""

import csv
from collections import Counter

import numpy as np
import pytest

from conftest import EVAL, require
from nlp.embed import embed
from nlp.rank import rank_themes, theme_score
from nlp.schema import Quote
from nlp.settings import RankSettings, ThemeSettings
from nlp.store import Store, match_theme_ids
from nlp.themes import ThemeDraft, build_themes


@pytest.fixture(scope="module")
def banking_subset():
    """40 queries from each of 6 intents of banking77."""
    wanted = ["card_arrival", "exchange_rate", "lost_or_stolen_card", "pin_blocked", "top_up_limits", "age_limit"]
    taken = Counter()
    texts, labels = [], []
    with open(require(EVAL / "banking77" / "train.csv"), newline="") as f:
        for row in csv.DictReader(f):
            if row["category"] in wanted and taken[row["category"]] < 40:
                taken[row["category"]] += 1
                texts.append(row["text"])
                labels.append(row["category"])
    return texts, labels


def test_embeddings_are_unit_vectors_and_semantic():
    v = embed(["The dashboard is slow.", "Loading the dashboard takes forever.", "I love the support team."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_themes_recover_intents_deterministically(banking_subset, spacy_nlp):
    from sklearn.metrics import v_measure_score

    texts, truth = banking_subset
    vectors = embed(texts)
    drafts, labels = build_themes(texts, vectors, ThemeSettings(), spacy_nlp)
    themed = labels >= 0
    assert themed.mean() >= 0.9
    assert v_measure_score(np.array(truth)[themed], labels[themed]) >= 0.7
    assert 4 <= len(drafts) <= 12
    for d in drafts:
        assert d.label and not d.label.lower() in {"i", "my", "the"}
        assert 1 <= len(d.keywords) <= 8
    again, labels_again = build_themes(texts, vectors, ThemeSettings(), spacy_nlp)
    assert labels.tolist() == labels_again.tolist()
    assert [d.label for d in drafts] == [d.label for d in again]


def quote(i: int, customer: str, kind: str, severity: float = 0.0) -> Quote:
    return Quote(quote_id=f"q{i}", recording=f"{customer}.wav", customer=customer, speaker=customer, role="customer",
                 start=i, end=i + 1, text=f"text {i}", kind=kind, severity=severity)


def test_score_counts_each_customer_once_and_weighs_segments():
    settings = RankSettings(segment_weights={"plan": {"Enterprise": 3.0}})
    segments = {"ann": {"plan": "Enterprise"}, "bob": {"plan": "Pro"}}
    once = theme_score([quote(1, "bob", "pain")], segments, settings)
    thrice = theme_score([quote(i, "bob", "pain") for i in range(3)], segments, settings)
    assert once == thrice == 1.0
    assert theme_score([quote(1, "ann", "pain")], segments, settings) == 3.0
    assert theme_score([quote(1, "bob", "pain", severity=0.5)], segments, settings) == 1.5
    assert theme_score([quote(1, "bob", "praise")], segments, settings) == pytest.approx(0.3)


def test_rank_orders_by_score_and_explains_why():
    quotes = [quote(0, "ann", "pain"), quote(1, "bob", "pain"), quote(2, "ann", "pain"),
              quote(3, "cat", "praise"), quote(4, "bob", "praise"), quote(5, "dan", "praise")]
    vectors = np.eye(6, dtype=np.float32)
    drafts = [ThemeDraft(members=[3, 4, 5], centroid=vectors[3:6].mean(0), label="Praise", keywords=["good"]),
              ThemeDraft(members=[0, 1, 2], centroid=vectors[0:3].mean(0), label="Pain", keywords=["bad"])]
    segments = {c: {"plan": "Enterprise" if c == "ann" else "Pro"} for c in "ann bob cat dan".split()}
    themes = rank_themes(drafts, ["T001", "T002"], quotes, vectors, segments, ["plan"], {"T002": 3},
                         RankSettings(segment_weights={"plan": {"Enterprise": 3.0}}))
    assert [t.id for t in themes] == ["T002", "T001"]  # 2 customers of pain (one Enterprise) beat 3 of praise
    pain = themes[0]
    assert (pain.customers, pain.quotes, pain.interviews, pain.rank) == (2, 3, 2, 1)
    assert pain.segments == {"plan": {"Enterprise": 1, "Pro": 1}}
    assert pain.trend == "falling"
    assert pain.why == "2 of 4 customers, 1 of them Enterprise, mostly pains, down from 3 customers"
    assert [q.customer for q in pain.top_quotes][:2] in (["ann", "bob"], ["bob", "ann"])
    assert themes[1].trend == "new" and themes[1].kinds["praise"] == 3


def test_theme_ids_persist_across_runs(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'voc.db'}")
    rng = np.random.default_rng(0)
    cents = [c / np.linalg.norm(c) for c in rng.normal(size=(3, 16))]
    ids = match_theme_ids(cents, store.last_run_themes(), store.next_theme_number())
    assert ids == ["T001", "T002", "T003"]
    store.save_run("r1", "2026-01-01T00:00:00", "2026-01-01T00:01:00", 3,
                   [(i, f"theme {i}", 2, 1.0, c) for i, c in zip(ids, cents)])
    moved = [cents[2] + 0.05 * rng.normal(size=16), cents[0], rng.normal(size=16)]
    moved = [c / np.linalg.norm(c) for c in moved]
    again = match_theme_ids(moved, store.last_run_themes(), store.next_theme_number())
    assert again == ["T003", "T001", "T004"]
    assert store.history("T001") == [("r1", 2)]
