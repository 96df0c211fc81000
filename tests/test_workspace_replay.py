"""Replaying the edit log onto a run's own themes, and anchoring, on small made-up embeddings (the
behaviour; quality on real data is bench/anchoring.py's)."""

from __future__ import annotations

import numpy as np
import pytest

from nlp.workspace.anchor import anchor
from nlp.workspace.edits import Edit, in_force, undone_by
from nlp.workspace.replay import RunState, replay

RNG = np.random.default_rng(0)
AXES = {"A": 0, "B": 1, "C": 2, "D": 3}


def unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v, axis=-1, keepdims=True)


def group(axis: int, n: int, spread: float = 0.15) -> np.ndarray:
    base = np.zeros((n, 8), dtype=np.float32)
    base[:, axis] = 1.0
    return unit(base + spread * RNG.standard_normal((n, 8)).astype(np.float32))


@pytest.fixture
def run():
    """Six quotes each about A, B and C, which voc put in T001, T002, T003; two about D in no theme."""
    ids, theme_of, rows = [], [], []
    for name, theme in (("A", "T001"), ("B", "T002"), ("C", "T003")):
        rows.append(group(AXES[name], 6))
        ids += [f"{name.lower()}{i}" for i in range(6)]
        theme_of += [theme] * 6
    rows.append(group(AXES["D"], 2))
    ids += ["d0", "d1"]
    theme_of += [None, None]
    return RunState(ids, theme_of), np.concatenate(rows)


class Log:
    def __init__(self):
        self.edits: list[Edit] = []

    def add(self, action: str, *targets: str, author: str = "ann", **payload) -> Edit:
        """An edit made on run "r1" (the run the researcher was looking at)."""
        edit = Edit(len(self.edits) + 1, "2026-01-01T00:00:00+00:00", author, action, tuple(targets), payload, "r1")
        self.edits.append(edit)
        return edit


def members(curation, state, theme):
    return sorted(q for q, t in zip(state.quote_ids, curation.theme_of) if t == theme)


def test_no_edits_is_voc_own_result(run):
    state, vectors = run
    c = replay(state, vectors, [])
    assert c.theme_of == state.theme_of and c.outcomes == {} and not c.curated


def test_rename_merge_split_move_hide_star_kind_hold(run):
    state, vectors = run
    log = Log()
    log.add("theme.rename", "T001", label="Slow dashboards", members={"T001": [f"a{i}" for i in range(6)]})
    log.add("theme.merge", "T002", "T003", members={"T002": [f"b{i}" for i in range(6)], "T003": [f"c{i}" for i in range(6)]})
    split = log.add("theme.split", "T002", "b4", "b5", new_id="T009", members={"T002": ["b0", "b1", "b2", "b3"]})
    log.add("quote.move", "a5", theme=None)
    log.add("quote.kind", "a0", kind="praise", text="x")
    log.add("quote.hide", "d0")
    log.add("quote.star", "b0", author="bo")
    c = replay(state, vectors, log.edits)
    assert all(v == "applied" for v in c.outcomes.values()) and len(c.outcomes) == 7
    assert c.labels == {"T001": "Slow dashboards"}
    assert members(c, state, "T001") == ["a0", "a1", "a2", "a3", "a4"]
    assert members(c, state, "T002") == ["b0", "b1", "b2", "b3"] + [f"c{i}" for i in range(6)]  # C merged in
    assert members(c, state, "T009") == ["b4", "b5"] and c.split_from == {"T009": "T002"}
    assert "T003" not in c.theme_of and c.theme_of[state.quote_ids.index("a5")] is None
    index = state.quote_ids.index
    assert c.kinds == {index("a0"): "praise"} and c.hidden == {index("d0")} and c.starred == {index("b0")}
    assert c.curated == {"T001", "T002", "T009"}
    assert c.theme_editors == {"T001": ["ann"], "T002": ["ann"], "T009": ["ann"]}  # a star edits the quote
    assert c.quote_editors[index("b0")] == ["bo"]
    # Undo the split: its quotes go back where voc put them (T002), and T009 is gone.
    log.add("undo", str(split.id))
    again = replay(state, vectors, log.edits)
    assert "T009" not in again.theme_of and again.outcomes[split.id] == "undone by 8"
    assert members(again, state, "T002") == [f"b{i}" for i in range(6)] + [f"c{i}" for i in range(6)]


def test_undo_of_an_undo_brings_the_edit_back():
    log = Log()
    rename = log.add("theme.rename", "T001", label="x")
    undo = log.add("undo", str(rename.id))
    assert undone_by(log.edits) == {rename.id: undo.id} and in_force(log.edits) == []
    redo = log.add("undo", str(undo.id))
    assert undone_by(log.edits) == {undo.id: redo.id} and in_force(log.edits) == [rename]


def test_stale_edits_are_kept_and_never_break_a_run(run):
    state, vectors = run
    log = Log()
    gone = log.add("quote.star", "z9")                       # its recording was removed
    vanished = log.add("theme.rename", "T007", label="Old")  # a theme that no longer forms
    moved_to_gone = log.add("quote.move", "a1", theme="T007")
    ok = log.add("theme.rename", "T001", label="Still here")
    c = replay(state, vectors, log.edits)
    assert c.outcomes[gone.id].startswith("stale: quote z9 is no longer")
    assert c.outcomes[vanished.id] == "stale: theme T007 no longer exists"
    assert c.outcomes[moved_to_gone.id].startswith("stale") and c.theme_of[1] == "T001"
    assert c.outcomes[ok.id] == "applied" and c.labels["T001"] == "Still here"


def test_delete_keeps_its_quotes_and_their_look_alikes_out_of_themes(run):
    state, vectors = run
    log = Log()
    log.add("theme.delete", "T003", members={"T003": [f"c{i}" for i in range(6)]})
    # Next run: a new quote about C, which voc clusters into T003 again.
    new_state = RunState(state.quote_ids + ["c_new"], state.theme_of + ["T003"])
    new_vectors = np.concatenate([vectors, group(AXES["C"], 1)])
    c = replay(new_state, new_vectors, log.edits)
    assert "T003" not in c.theme_of and c.theme_of[-1] is None
    # Moved back by hand, a deleted theme's quote goes where it is put.
    log.add("quote.move", "c2", theme="T001")
    assert replay(new_state, new_vectors, log.edits).theme_of[new_state.quote_ids.index("c2")] == "T001"


def test_a_moved_quote_takes_its_new_look_alikes_and_does_not_drift_back(run):
    """Five quotes about D sat in T001 (voc's mistake); the researcher moved them to T002. Next run
    voc puts them, and two new quotes about D, in T001 again: the moved ones stay in T002, the new
    ones follow them, and T001's own quotes stay."""
    state, vectors = run
    ids = state.quote_ids[:18] + [f"dd{i}" for i in range(7)]
    theme_of = state.theme_of[:18] + ["T001"] * 7
    rows = np.concatenate([vectors[:18], group(AXES["D"], 7, spread=0.1)])
    log = Log()
    t002 = [f"b{i}" for i in range(6)]
    for q in ("dd0", "dd1", "dd2", "dd3", "dd4"):
        log.add("quote.move", q, theme="T002", members={"T002": t002})
        t002 = t002 + [q]
    c = replay(RunState(ids, theme_of), rows, log.edits, run_quotes={"r1": set(ids[:23])})
    where = dict(zip(ids, c.theme_of))
    assert [where[f"dd{i}"] for i in range(7)] == ["T002"] * 7
    assert [where[f"a{i}"] for i in range(6)] == ["T001"] * 6 and [where[f"b{i}"] for i in range(6)] == ["T002"] * 6
    assert c.anchored == {ids.index("dd5"), ids.index("dd6")}


def test_quotes_the_researcher_saw_stay_where_voc_put_them(run):
    """Moving one quote out of T001 leaves the rest of T001 be (the researcher saw them there); a new
    copy of the moved quote follows it out."""
    state, vectors = run
    log = Log()
    log.add("quote.move", "a5", theme=None)
    copy = RunState(state.quote_ids + ["a5-again"], state.theme_of + ["T001"])
    c = replay(copy, np.concatenate([vectors, vectors[5:6]]), log.edits, run_quotes={"r1": set(state.quote_ids)})
    assert members(c, copy, "T001") == ["a0", "a1", "a2", "a3", "a4"] and c.theme_of[-1] is None
    assert c.anchored == {len(state.quote_ids)}


def test_a_pinned_theme_stays_where_clustering_dissolves_it(run):
    state, vectors = run
    log = Log()
    log.add("theme.pin", "T003", members={"T003": [f"c{i}" for i in range(6)]})
    log.add("theme.rename", "T003", label="Keep me", members={"T003": [f"c{i}" for i in range(6)]})
    dissolved = RunState(state.quote_ids, [t if t != "T003" else "T001" for t in state.theme_of])  # C inside T001
    c = replay(dissolved, vectors, log.edits)
    assert members(c, dissolved, "T003") == [f"c{i}" for i in range(6)] and c.pinned == {"T003"}
    assert c.labels == {"T003": "Keep me"} and all(v == "applied" for v in c.outcomes.values())
    unpinned = Log()
    unpinned.add("theme.rename", "T003", label="Keep me", members={"T003": [f"c{i}" for i in range(6)]})
    assert replay(dissolved, vectors, unpinned.edits).outcomes[1] == "stale: theme T003 no longer exists"


def test_anchoring_moves_a_quote_only_where_an_anchor_group_wins_its_neighbours_vote():
    near_a = group(AXES["A"], 6, spread=0.1)
    vectors = np.concatenate([near_a, group(AXES["B"], 4, spread=0.1)])
    current = ["T1"] * 6 + ["T2"] * 4
    free = list(range(10))
    assert anchor(vectors, current, {}, free) == {}
    # One anchor for T3 among the A quotes: outvoted by the other A quotes, nothing moves.
    assert anchor(vectors, current, {0: "T3"}, list(range(1, 10))) == {}
    # Four of them anchored to T3: the other two A quotes follow; the B quotes stay.
    assert anchor(vectors, current, {i: "T3" for i in range(4)}, list(range(4, 10))) == {4: "T3", 5: "T3"}
    # ...unless their nearest anchor is less close than a bar set above any similarity.
    assert anchor(vectors, current, {0: "T3", 1: "T3"}, list(range(2, 10)), fallback=1.01) == {}
    # Hidden quotes neither vote nor move.
    assert anchor(vectors, current, {i: "T3" for i in range(4)}, [5], hidden={4}) == {5: "T3"}


def test_the_tagger_learns_the_latest_kind_in_force_per_quote():
    from nlp.workspace.teach import corrections

    log = Log()
    log.add("quote.kind", "q1", kind="pain", text="It crashes.")
    log.add("quote.kind", "q1", kind="request", text="It crashes.")
    undone = log.add("quote.kind", "q2", kind="praise", text="Lovely.")
    log.add("undo", str(undone.id))
    log.add("quote.kind", "q3", kind="question", text="")  # no text: nothing to learn from
    assert corrections(log.edits) == {"q1": ("It crashes.", "request")}
