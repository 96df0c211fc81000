"""The edit log, voc's own themes per run and theme numbers, through the same SQLAlchemy code on
SQLite and on a real PostgreSQL server (VOC_TEST_POSTGRES_URL; CI starts one, see .ci/run)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest

from nlp.store import Store, StoredCluster, engine_for, metadata
from nlp.workspace import edits as edit_tables
from nlp.workspace.edits import EditLog, edits_markdown, in_force


@pytest.fixture(params=["sqlite", "postgresql"])
def url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path / 'state' / 'voc.db'}"
    url = request.getfixturevalue("postgres_url")
    for tables in (metadata, edit_tables.metadata):  # each test starts from an empty database
        tables.drop_all(engine_for(url))
    return url


def in_threads(work, count: int = 4) -> list[BaseException]:
    errors: list[BaseException] = []
    start = threading.Barrier(count)

    def run(n: int) -> None:
        try:
            start.wait()
            work(n)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(n,)) for n in range(count)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return errors


def test_the_log_is_append_only_and_undo_is_an_edit(url: str):
    log = EditLog(url)
    assert log.all() == [] and log.last_id() == 0
    rename = log.append("theme.rename", ["T001"], {"label": "Zoë's “SSO” – slow"}, author="Rita", run_id="r1")
    star = log.append("quote.star", ["ca872d04-0014740"], author="Rita")
    undo = log.append("undo", [str(rename.id)], author="Bo")
    again = EditLog(url)  # another process's view
    stored = again.all()
    assert [e.id for e in stored] == [rename.id, star.id, undo.id] and rename.id < star.id < undo.id
    assert stored[0].payload == {"label": "Zoë's “SSO” – slow"} and stored[0].author == "Rita"
    assert stored[0].run_id == "r1" and stored[2].targets == (str(rename.id),)
    assert in_force(stored) == [stored[1]] and again.get(rename.id) == stored[0]
    assert [e.id for e in again.all(up_to=star.id)] == [rename.id, star.id]
    with pytest.raises(ValueError, match="unknown edit action 'theme.paint'"):
        again.append("theme.paint", ["T001"])
    again.record_run("r2", star.id, {rename.id: "applied", star.id: "stale: gone"})
    again.record_run("r2", undo.id, {rename.id: "undone by 3"})  # a reused run id replaces its record
    assert again.run_record("r2") == (undo.id, {rename.id: "undone by 3"}) and again.run_record("r9") is None
    text = edits_markdown(stored, {rename.id: "undone by 3", star.id: "applied"}, "r2")
    assert "1 applied, 0 stale, 1 undone" in text and "Zo\\u00eb" not in text and "rename T001" in text


def test_edits_made_at_the_same_time_are_all_kept(url: str):
    log = EditLog(url)
    errors = in_threads(lambda n: [log.append("quote.star", [f"q{n}-{i}"], author=f"w{n}") for i in range(20)])
    assert errors == []
    stored = log.all()
    assert len(stored) == 80 and len({e.id for e in stored}) == 80
    assert {e.targets[0] for e in stored} == {f"q{n}-{i}" for n in range(4) for i in range(20)}


def test_theme_numbers_are_claimed_once_even_at_the_same_time(url: str):
    store = Store(url)
    claimed: list[list[int]] = []
    assert in_threads(lambda n: claimed.append(store.claim_theme_numbers(5))) == []
    numbers = sorted(n for c in claimed for n in c)
    assert numbers == list(range(1, 21)) and store.next_theme_number() == 21


def test_voc_own_themes_match_the_next_run(url: str):
    store = Store(url)
    a, b = np.array([1, 0, 0], np.float32), np.array([0, 1, 0], np.float32)
    store.save_clusters("r1", [StoredCluster("T001", "Slow dashboards", ["slow"], a), StoredCluster("T002", "SSO", [], b)])
    store.save_run("r1", "2026-01-01T02:00:00+00:00", "2026-01-01T02:01:00+00:00", 3, [("T001", "Merged", 3, 2.0, a)])
    assert store.claim_theme_numbers(2) == [2, 3]  # as the run did for T002 (and a split for T003)
    assert [c.theme_id for c in store.last_run_memory()[0]] == ["T001", "T002"]  # T002 was merged away: still known
    assert store.clusters_of("r1")[0].keywords == ["slow"]
    ids = store.theme_ids_for([np.array([0.05, 1, 0], np.float32) / 1.0012, np.array([0, 0, 1], np.float32)],
                              store.last_run_memory()[0])
    assert ids == ["T002", "T004"]  # the unmatched one gets a fresh number, claimed
    assert store.next_theme_number() == 5
