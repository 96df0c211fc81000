"""Clustering on a real customer-intent set, the embedding cache, the ranking arithmetic, the
segment breakdown, and theme ids that persist across runs."""

import csv
import subprocess
import sys
from collections import Counter
from pathlib import Path

import numpy as np
import pytest

from conftest import EVAL, require
from nlp.themes import embed as embed_module
from nlp.themes.embed import ALONE, embed
from nlp.themes.embed_cache import EmbeddingCache
from nlp.themes.rank import rank_themes, segment_breakdown, theme_score
from nlp.schema import Quote, RunInfo, ThemesDocument
from nlp.settings import RankSettings, ThemeSettings
from nlp.store import Store, StoredCluster, match_theme_ids
from nlp.themes.cluster import (UNTHEMED, ThemeDraft, build_themes, centroids, cluster, keep_apart, merge_near_duplicates,
                                place_leftovers, reassign_outliers)


def banking(intents: int, per_intent: int, skip: int = 0) -> tuple[list[str], list[str]]:
    """`per_intent` queries (after the first `skip`) from each of the first `intents` intents of banking77."""
    return intent_set(EVAL / "banking77" / "train.csv", "category", intents, per_intent, skip)


def intent_set(path: Path, column: str, intents: int, per_intent: int, skip: int = 0) -> tuple[list[str], list[str]]:
    """`per_intent` texts (after the first `skip`) of each of the first `intents` intents (by name) of a shared set."""
    taken: Counter = Counter()
    texts, labels = [], []
    with open(require(path), newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    wanted = sorted({r[column] for r in rows})[:intents]
    for row in rows:
        if row[column] in wanted:
            taken[row[column]] += 1
            if skip < taken[row[column]] <= skip + per_intent:
                texts.append(row["text"])
                labels.append(row[column])
    return texts, labels


@pytest.fixture(scope="module")
def banking_subset():
    """40 queries from each of 8 intents of banking77, embedded."""
    texts, labels = banking(8, 40)
    return texts, labels, embed(texts)


def test_embeddings_are_unit_vectors_and_semantic():
    v = embed(["The dashboard is slow.", "Loading the dashboard takes forever.", "I love the support team."])
    assert v.shape == (3, 384)
    assert np.allclose(np.linalg.norm(v, axis=1), 1, atol=1e-5)
    assert v[0] @ v[1] > v[0] @ v[2]


def test_embedding_cache_encodes_only_new_texts(tmp_path, monkeypatch):
    cache = EmbeddingCache(f"sqlite:///{tmp_path / 'state' / 'voc.db'}")
    encoded: list[str] = []
    real_encode = embed_module.encode
    monkeypatch.setattr(embed_module, "encode", lambda texts, *a, **k: encoded.extend(texts) or real_encode(texts, *a, **k))
    first = embed(["SSO keeps logging us out.", "Exports are slow.", "SSO keeps logging us out."], cache=cache)
    assert sorted(encoded) == ["Exports are slow.", "SSO keeps logging us out."]  # a repeated text once
    encoded.clear()
    second = embed(["Exports are slow.", "I want a dark mode.", "SSO keeps logging us out."], cache=cache)
    assert encoded == ["I want a dark mode."]
    assert second[0].tobytes() == first[1].tobytes() and second[2].tobytes() == first[0].tobytes()
    assert np.allclose(second[1], embed(["I want a dark mode."])[0], atol=1e-5)
    assert cache.count("all-MiniLM-L6-v2") == 3 and cache.count("another-model") == 0


def test_themes_recover_intents_deterministically(banking_subset, spacy_nlp):
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    texts, truth, vectors = banking_subset
    drafts, labels = build_themes(texts, vectors, ThemeSettings(), spacy_nlp)
    assert (labels == UNTHEMED).mean() <= 0.05
    assert v_measure_score(truth, labels) >= 0.8
    assert adjusted_rand_score(truth, labels) >= 0.6
    assert 6 <= len(drafts) <= 12
    for d in drafts:
        assert d.label and d.label.lower() not in {"i", "my", "the", "card"}
        assert 5 <= len(d.keywords) <= 8
    again, labels_again = build_themes(texts, vectors, ThemeSettings(), spacy_nlp)
    assert labels.tolist() == labels_again.tolist()
    assert [(d.label, d.keywords) for d in drafts] == [(d.label, d.keywords) for d in again]


def test_many_small_subjects_among_many_quotes_stay_themes_of_their_own():
    # 70 intents of 25 queries (1,750): with the smallest theme grown as 0.3 x sqrt(n) (13 here) close
    # intents merged in pairs and 67 % of them headed a theme; with the fourth-root rule (9) 77 % do.
    texts, truth = banking(70, 25)
    labels = cluster(embed(texts), ThemeSettings())
    truth = np.array(truth)
    heads = {Counter(truth[labels == theme].tolist()).most_common(1)[0][0] for theme in set(labels.tolist()) - {UNTHEMED}}
    assert len(heads) >= 0.75 * 70
    assert (labels == UNTHEMED).mean() <= 0.05


def test_neighbouring_subjects_stay_apart_when_outliers_lie_between_them():
    # hwu64's first 60 intents of 30 ("alarm query" beside "alarm set", "lists query" beside "lists create"):
    # themes are merged by how HDBSCAN's own members link, before outliers join them. Merged after the
    # outliers had joined, the quotes lying between two such subjects linked them: 43 intents headed a
    # theme, 48 now.
    texts, truth = intent_set(EVAL / "hwu64" / "hwu64.csv", "intent", 60, 30)
    labels = cluster(embed(texts), ThemeSettings())
    truth = np.array(truth)
    heads = {Counter(truth[labels == theme].tolist()).most_common(1)[0][0] for theme in set(labels.tolist()) - {UNTHEMED}}
    assert len(heads) >= 46


def label_and_keywords(texts: list[str], others: list[str], spacy_nlp) -> tuple[str, list[str]]:
    """The label and keywords voc gives a theme of `texts` beside a theme of `others`."""
    from nlp.themes.labels import central_texts, keywords_by_cluster, label_from_docs, parse_for_labels

    vectors = embed(texts)
    centroid = vectors.mean(axis=0)
    keywords = keywords_by_cluster(texts + others, np.array([0] * len(texts) + [1] * len(others)))[0]
    [docs] = parse_for_labels([central_texts(texts, vectors, centroid / np.linalg.norm(centroid))], spacy_nlp)
    return label_from_docs(docs, keywords), keywords


def test_label_is_the_whole_phrase_even_where_speech_drops_the_hyphen(spacy_nlp):
    texts = ["We really need single sign on with Okta for our IT team.",
             "Single sign on is a hard requirement for us.",
             "Our security team keeps asking for single sign-on before we roll out.",
             "Compliance requires single sign-on with Azure Active Directory."]
    assert label_and_keywords(texts, ["The dashboard is slow."], spacy_nlp)[0] == "Single sign-on"


def test_label_keeps_content_words_spacy_lists_as_stop_words_and_keywords_skip_contractions(spacy_nlp):
    texts = ["Will there be any fees for top ups?",
             "My top ups didn't go through yesterday.",
             "Why haven't my top ups arrived?",
             "The top ups don't show in the app."]
    label, keywords = label_and_keywords(texts, ["The dashboard is slow.", "Dashboards load slowly."], spacy_nlp)
    assert not {"didn", "haven", "don"} & {w for k in keywords for w in k.split()}
    assert label == "Top ups"  # spaCy lists "top" as a stop word: the label was "Ups"


def test_label_from_keywords_alone_never_repeats_a_word():
    from nlp.themes.labels import label_from_docs

    assert label_from_docs([], ["transfer pending", "pending transfer", "waiting"]) == "Transfer pending"
    assert label_from_docs([], ["refund", "bought"]) == "Refund bought"
    assert label_from_docs([], []) == "Miscellaneous"


def test_themes_that_would_share_a_label_get_their_own_keyword():
    from nlp.themes.labels import distinct_labels

    labels = ["ATM", "Cash withdrawal", "ATM", "Cash withdrawal", "Refund"]
    keywords = [["atm", "withdraw", "cash"], ["withdrawal", "withdraw", "cash", "declined"],
                ["atm", "fee", "charged"], ["cash withdrawal", "withdrawing", "charged"], ["refund", "item"]]
    assert distinct_labels(labels, keywords) == ["ATM: withdraw", "Cash withdrawal: declined", "ATM: fee",
                                                 "Cash withdrawal: charged", "Refund"]


def test_themes_json_is_byte_identical_for_the_same_input(banking_subset, spacy_nlp):
    texts, _, vectors = banking_subset
    quotes = [Quote(quote_id=f"q{i}", recording=f"r{i % 9}.wav", customer=f"c{i % 9}", speaker=None, role="customer",
                    start=i, end=i + 1, text=t, kind="pain") for i, t in enumerate(texts)]
    run = RunInfo(id="r", started_at="2026-01-01T00:00:00")

    def document() -> str:
        fresh = embed(texts)  # embedded again, not reused
        drafts, labels = build_themes(texts, fresh, ThemeSettings(), spacy_nlp)
        ids = [f"T{i + 1:03d}" for i in range(len(drafts))]
        ranked = rank_themes(drafts, ids, quotes, fresh, {}, [], {}, RankSettings())
        return ThemesDocument(run=run, themes=ranked, unthemed_quotes=int((labels == UNTHEMED).sum())).model_dump_json(indent=2)

    assert np.array_equal(embed(texts), vectors)
    assert document() == document()


def two_themes_and_two_outliers(first: np.ndarray, second: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Unit vectors of ten quotes about axis 0 (theme 0), ten about axis 1 (theme 1) and two unthemed ones."""
    rng = np.random.default_rng(0)
    axes = np.eye(8, dtype=np.float32)
    vectors = np.concatenate([axes[0] + 0.1 * rng.normal(size=(10, 8)), axes[1] + 0.1 * rng.normal(size=(10, 8)),
                              [first, second]]).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    return vectors, np.array([0] * 10 + [1] * 10 + [UNTHEMED, UNTHEMED])


def test_outliers_join_only_the_theme_they_clearly_belong_to():
    axes = np.eye(8, dtype=np.float32)
    vectors, labels = two_themes_and_two_outliers(axes[0] + 0.1 * axes[2], axes[3])
    reduced = np.concatenate([np.zeros((10, 2)), np.ones((10, 2)), [[0.1, 0.1], [0.9, 0.9]]])
    out = reassign_outliers(vectors, reduced, labels, threshold=0.5)
    assert out[-2] == 0  # close to theme 0's centroid
    assert out[-1] == UNTHEMED  # near theme 1 on the map, unlike it in meaning: stays unthemed
    assert (out[:20] == labels[:20]).all()


def test_leftovers_join_the_theme_nearest_in_meaning_only_when_similar_enough():
    axes = np.eye(8, dtype=np.float32)
    vectors, labels = two_themes_and_two_outliers(axes[1] + 0.3 * axes[2], axes[3])
    out = place_leftovers(vectors, labels, threshold=0.5)
    assert out[-2] == 1  # most like theme 1's quotes
    assert out[-1] == UNTHEMED  # like no theme: stays unthemed
    assert (out[:20] == labels[:20]).all()


def test_near_duplicate_themes_merge_and_none_dissolve():
    # Themes 0 and 1 are one blob (their quotes are each other's neighbours); theme 2 stands apart.
    labels = np.array([0] * 6 + [1] * 6 + [2] * 6 + [UNTHEMED])
    neighbours = np.array([[(i + j) % 12 for j in (1, 2, 3, 6)] for i in range(12)]
                          + [[12 + (i + j) % 6 for j in (1, 2, 3, 4)] for i in range(6)] + [[0, 1, 12, 13]])
    merged = merge_near_duplicates(labels, neighbours, connectivity=0.1)
    assert set(merged[:12]) == {0} and set(merged[12:18]) == {2} and merged[18] == UNTHEMED
    assert (merge_near_duplicates(labels, neighbours, connectivity=0.9) == labels).all()


def test_tiny_sets_stay_unthemed_rather_than_forced():
    vectors = embed(["Too slow.", "Great support.", "Billing is confusing."])
    assert cluster(vectors, ThemeSettings()).tolist() == [UNTHEMED] * 3


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
    # ann (Enterprise, her strongest point a pain of severity 0.2) + bob (Pro, a request)
    both = [quote(1, "ann", "praise"), quote(2, "ann", "pain", 0.2), quote(3, "bob", "request")]
    assert theme_score(both, segments, settings) == pytest.approx(3 * 1.2 + 1.0)
    two_dims = RankSettings(segment_weights={"plan": {"Enterprise": 3.0}, "region": {"EMEA": 2.0}})
    assert theme_score([quote(1, "ann", "pain")], {"ann": {"plan": "Enterprise", "region": "EMEA"}}, two_dims) == 6.0


def test_segment_breakdown_counts_customers_per_value_of_every_column():
    segments = {"ann": {"plan": "Enterprise", "region": "EMEA"}, "bob": {"plan": "Pro", "region": "EMEA"},
                "cat": {"plan": "Enterprise"}}
    breakdown = segment_breakdown({"ann", "bob", "cat", "dan"}, segments, ["plan", "region"])
    assert breakdown == {"plan": {"Enterprise": 2, "Pro": 1, "unknown": 1}, "region": {"EMEA": 2, "unknown": 2}}
    assert list(breakdown["plan"]) == ["Enterprise", "Pro", "unknown"]  # most customers first


def test_rank_orders_by_score_and_explains_why():
    quotes = [quote(0, "ann", "pain"), quote(1, "bob", "pain"), quote(2, "ann", "pain"),
              quote(3, "cat", "praise"), quote(4, "bob", "praise"), quote(5, "dan", "praise")]
    vectors = np.eye(6, dtype=np.float32)
    drafts = [ThemeDraft(members=[3, 4, 5], centroid=vectors[3:6].mean(0), label="Praise", keywords=["good"]),
              ThemeDraft(members=[0, 1, 2], centroid=vectors[0:3].mean(0), label="Pain", keywords=["bad"])]
    segments = {c: {"plan": "Enterprise" if c == "ann" else "Pro"} for c in "ann bob cat dan".split()}
    settings = RankSettings(segment_weights={"plan": {"Enterprise": 3.0}})
    themes = rank_themes(drafts, ["T001", "T002"], quotes, vectors, segments, ["plan"], {"T002": 3}, settings,
                         previous_run="2026-01-05T02:00:00")
    assert [t.id for t in themes] == ["T002", "T001"]  # 2 customers of pain (one Enterprise) beat 3 of praise
    pain = themes[0]
    assert (pain.customers, pain.quotes, pain.interviews, pain.rank) == (2, 3, 2, 1)
    assert pain.score == 4.0
    assert pain.segments == {"plan": {"Enterprise": 1, "Pro": 1}}
    assert pain.trend == "falling"
    assert pain.why == "2 of 4 customers, 1 of them Enterprise, mostly pains, down from 3 customers since 2026-01-05"
    assert themes[1].why == "3 of 4 customers, 3 of them Pro, mostly praise, new since 2026-01-05"
    assert [q.customer for q in pain.top_quotes][:2] in (["ann", "bob"], ["bob", "ann"])
    assert themes[1].trend == "new" and themes[1].kinds["praise"] == 3
    first = rank_themes(drafts, ["T001", "T002"], quotes, vectors, segments, ["plan"], {}, settings)
    assert first[0].why == "2 of 4 customers, 1 of them Enterprise, mostly pains"  # first run: no trend to tell


def test_theme_ids_persist_across_runs(tmp_path):
    store = Store(f"sqlite:///{tmp_path / 'voc.db'}")
    rng = np.random.default_rng(0)
    cents = [c / np.linalg.norm(c) for c in rng.normal(size=(3, 16))]
    assert store.last_run() is None
    ids = match_theme_ids(cents, store.last_run_themes(), store.next_theme_number())
    assert ids == ["T001", "T002", "T003"]
    store.save_run("r1", "2026-01-01T00:00:00", "2026-01-01T00:01:00", 3,
                   [(i, f"theme {i}", 2, 1.0, c) for i, c in zip(ids, cents)])
    assert store.last_run() == ("r1", "2026-01-01T00:00:00")
    moved = [cents[2] + 0.05 * rng.normal(size=16), cents[0], rng.normal(size=16)]
    moved = [c / np.linalg.norm(c) for c in moved]
    again = match_theme_ids(moved, store.last_run_themes(), store.next_theme_number())
    assert again == ["T003", "T001", "T004"]
    assert store.history("T001") == [("r1", 2)]


def test_twenty_percent_more_quotes_keep_ninety_percent_of_theme_ids(tmp_path):
    """A real second run: 20% more interviews' worth of quotes on the same intents, through the store."""
    texts, _ = banking(12, 30)
    more, _ = banking(12, 6, skip=30)
    settings = ThemeSettings()
    store = Store(f"sqlite:///{tmp_path / 'voc.db'}")
    vectors = embed(texts)
    first = centroids(vectors, cluster(vectors, settings))
    first_ids = match_theme_ids(list(first.values()), store.last_run_themes(), store.next_theme_number())
    store.save_run("r1", "2026-01-01T00:00:00", "2026-01-01T00:01:00", 10,
                   [(i, "", 1, 1.0, c) for i, c in zip(first_ids, first.values())])
    grown = np.concatenate([vectors, embed(more)])
    second = centroids(grown, cluster(grown, settings))
    second_ids = match_theme_ids(list(second.values()), store.last_run_themes(), store.next_theme_number())
    assert len(first) >= 8
    assert len(set(first_ids) & set(second_ids)) >= 0.9 * len(first_ids)
    assert len(set(second_ids)) == len(second_ids)


def test_last_runs_themes_stay_apart_when_tonight_merges_them(tmp_path, banking_subset):
    """Two real intents that tonight's clustering put in one theme, which last run kept apart: split
    back along last run's lines; new quotes join the part they are closest to."""
    texts, labels, vectors = banking_subset
    intents = sorted(set(labels))[:2]
    rows = [i for i, label in enumerate(labels) if label in intents]
    v, truth = vectors[rows], [labels[i] for i in rows]
    seen = Counter()
    previous = []
    for intent in truth:  # the first 30 of each intent were in last run's themes; the rest are new
        seen[intent] += 1
        previous.append({intents[0]: "T001", intents[1]: "T002"}[intent] if seen[intent] <= 30 else None)
    merged = np.zeros(len(rows), dtype=int)
    apart = keep_apart(merged, v, previous, min_size=5)
    assert len(set(apart.tolist())) == 2
    for theme in set(apart.tolist()):
        assert len({previous[i] for i in np.flatnonzero(apart == theme) if previous[i]}) == 1
    new = [i for i, p in enumerate(previous) if p is None]
    placed = [apart[i] == apart[next(j for j, p in enumerate(previous) if p and truth[j] == truth[i])] for i in new]
    assert sum(placed) >= 0.8 * len(new)
    # a theme holding under half of a previous theme's quotes is not split for it; one previous theme: nothing to split
    elsewhere = np.array([1 if p == "T002" and i % 3 else 0 for i, p in enumerate(previous)])  # 2/3 of T002 in theme 1
    assert (keep_apart(elsewhere, v, previous, min_size=5) == elsewhere).all()
    assert (keep_apart(merged, v, [p if p == "T001" else None for p in previous], min_size=5) == merged).all()

    # a previous theme split exactly in half between two of tonight's themes is the bulk of neither
    halves = np.array([0 if p == "T001" or (p == "T002" and i % 2) else 1 for i, p in enumerate(previous)])
    halves[[i for i, p in enumerate(previous) if p is None]] = 1
    assert (keep_apart(halves, v, previous, min_size=5) == halves).all()

    store = Store(f"sqlite:///{tmp_path / 'voc.db'}")
    assert store.last_run_memory()[1] == {}
    store.save_run("r1", "2026-01-01T00:00:00", "2026-01-01T00:01:00", 1, [("T001", "a", 1, 1.0, v[0])])
    store.save_clusters("r1", [StoredCluster("T001", "a", [], v[0])])
    store.save_quotes("r1", [quote(1, "ann", "pain").model_copy(update={"theme_id": "T001"}), quote(2, "bob", "pain"),
                             quote(3, "cy", "pain").model_copy(update={"theme_id": "T009"})])  # split off by the researcher
    assert store.last_run_memory()[1] == {"q1": "T001"}  # voc's own themes only: an undone split may rejoin


def test_onnx_int8_backend_matches_torch_and_exports_once(tmp_path, banking_subset):
    texts, _, vectors = banking_subset
    models = tmp_path / "models"
    fast = embed(texts[:120], backend="onnx-int8", models_dir=models)
    exported = sorted(models.glob("*/model-int8.onnx"))
    assert len(exported) == 1 and not list(models.glob("*/*fp32*"))
    cosines = (fast * vectors[:120]).sum(axis=1)
    assert cosines.mean() > 0.98 and cosines.min() > 0.9
    assert np.allclose(np.linalg.norm(fast, axis=1), 1, atol=1e-5)
    stamp = exported[0].stat().st_mtime_ns
    assert np.array_equal(embed(texts[:120], backend="onnx-int8", models_dir=models), fast)  # deterministic
    assert exported[0].stat().st_mtime_ns == stamp

    # Once exported, a fresh process encodes the same vectors without loading PyTorch.
    script = ("import sys, numpy as np; from pathlib import Path; from nlp.themes.embed import embed; "
              f"v = embed({texts[:5]!r}, backend='onnx-int8', models_dir=Path({str(models)!r})); "
              "np.save(sys.argv[1], v); print('torch' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", script, str(tmp_path / "v.npy")], capture_output=True, text=True,
                         check=True, cwd=Path(__file__).resolve().parent.parent)
    assert out.stdout.strip() == "False"
    assert np.array_equal(np.load(tmp_path / "v.npy"), embed(texts[:5], backend="onnx-int8", models_dir=models))

    # int8 scales a batch's activations together: batched, a text's vector moves with its batch-mates; one
    # text a batch (label phrases, the tagger's texts), it is the same whatever it is encoded with.
    alone = embed(texts[:40], batch_size=ALONE, backend="onnx-int8", models_dir=models)
    among = embed(texts[:40] + texts[60:120], batch_size=ALONE, backend="onnx-int8", models_dir=models)[:40]
    assert np.array_equal(alone, among)
    assert not np.array_equal(embed(texts[:40], backend="onnx-int8", models_dir=models), fast[:40])


def test_a_theme_keeps_last_runs_label_while_it_is_still_among_its_best(spacy_nlp):
    """20% more quotes on the same intents: a theme that takes a last-run theme's id keeps that theme's label
    (while it is among its KEEP_AMONG best candidates); chosen afresh, some labels move to a near tie."""
    texts, _ = banking(12, 30)
    more, _ = banking(12, 6, skip=30)
    settings = ThemeSettings()
    vectors, grown = embed(texts), embed(texts + more)
    encode = lambda phrases: embed(phrases, batch_size=ALONE)  # noqa: E731
    first, _ = build_themes(texts, vectors, settings, spacy_nlp, encode)
    own = [StoredCluster(f"T{i:03d}", d.label, d.keywords, d.centroid) for i, d in enumerate(first)]
    fresh, _ = build_themes(texts + more, grown, settings, spacy_nlp, encode)
    kept, _ = build_themes(texts + more, grown, settings, spacy_nlp, encode, last=own)
    labels = {c.theme_id: c.label for c in own}
    matched = [(labels[i], d.label) for i, d in zip(match_theme_ids([d.centroid for d in kept], own, 900), kept) if i in labels]
    assert len(matched) >= 0.9 * len(own)
    assert all(before == after for before, after in matched), matched
    assert [d.label for d in fresh] != [d.label for d in kept]  # without last run's labels some would move
    assert len({d.label.lower() for d in kept}) == len(kept)  # still distinct


def test_a_theme_that_matches_none_of_last_runs_takes_no_label_or_place_of_one():
    from nlp.themes.cluster import last_labels

    axes = np.eye(4)
    last = [StoredCluster("T001", "Card arrival", ["card"], axes[0]), StoredCluster("T002", "Change PIN", ["pin"], axes[1])]
    # two new themes far from both, one that carries on T002: only that one is last run's
    assert last_labels([axes[2], axes[3], axes[1]], last) == [None, None, "Change PIN"]
