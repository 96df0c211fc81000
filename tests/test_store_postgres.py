"""The store through the same SQLAlchemy code on SQLite and on a real PostgreSQL server
(VOC_TEST_POSTGRES_URL; CI starts one, see .ci/run)."""

from __future__ import annotations

import threading
from pathlib import Path

import numpy as np
import pytest
from sqlalchemy import create_engine, inspect

from nlp.store import Store, create_tables, engine_for, match_theme_ids, metadata, portable_url


@pytest.fixture(params=["sqlite", "postgresql"])
def store_url(request, tmp_path: Path) -> str:
    if request.param == "sqlite":
        (tmp_path / "state").mkdir()
        return f"sqlite:///{tmp_path / 'state' / 'voc.db'}"
    url = request.getfixturevalue("postgres_url")
    metadata.drop_all(engine_for(url))  # each test starts from an empty database
    return url


def unit(v) -> np.ndarray:
    v = np.asarray(v, dtype=np.float32)
    return v / np.linalg.norm(v)


def test_runs_and_themes_round_trip(store_url: str):
    store = Store(store_url)
    assert store.last_run_themes() == [] and store.next_theme_number() == 1
    slow, sso = unit([1, 0.1, 0]), unit([0, 1, 0.2])
    store.save_run("20260101-020000", "2026-01-01T02:00:00+00:00", "2026-01-01T02:01:00+00:00", 5,
                   [("T001", "Slow dashboards", 5, 4.5, slow), ("T002", "Single sign-on – Zoë's “SSO”", 3, 2.25, sso)])
    store.save_run("20260102-020000", "2026-01-02T02:00:00+00:00", "2026-01-02T02:01:00+00:00", 6,
                   [("T001", "Slow dashboards", 6, 5.0, slow)])
    again = Store(store_url)  # a second process's view: nothing cached in the object
    last = again.last_run_themes()
    assert [(t.theme_id, t.label, t.customers) for t in last] == [("T001", "Slow dashboards", 6)]
    assert np.allclose(last[0].centroid, slow, atol=1e-6) and last[0].centroid.dtype == np.float32
    assert again.next_theme_number() == 3
    assert again.history("T001") == [("20260101-020000", 5), ("20260102-020000", 6)]
    assert again.history("T002") == [("20260101-020000", 3)]
    ids = match_theme_ids([unit([0.05, 1, 0.2]), unit([1, 0.12, 0])], again.last_run_themes(), again.next_theme_number())
    assert ids == ["T003", "T001"]


def test_a_run_id_is_stored_once(store_url: str):
    store = Store(store_url)
    store.save_run("r1", "2026-01-01T02:00:00+00:00", "2026-01-01T02:01:00+00:00", 1, [("T001", "x", 1, 1.0, unit([1, 0]))])
    with pytest.raises(Exception):  # a duplicate run id: rejected whole, nothing half-saved
        store.save_run("r1", "2026-01-01T03:00:00+00:00", "2026-01-01T03:01:00+00:00", 1,
                       [("T002", "y", 1, 1.0, unit([0, 1]))])
    assert [t.theme_id for t in store.last_run_themes()] == ["T001"] and store.next_theme_number() == 2


def test_processes_creating_the_tables_at_once_all_succeed(store_url: str):
    """Each thread has its own engine, like separate processes starting against a new database."""
    errors: list[BaseException] = []
    start = threading.Barrier(4)

    def create():
        try:
            engine = create_engine(portable_url(store_url))
            start.wait()
            create_tables(engine)
            engine.dispose()
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)

    threads = [threading.Thread(target=create) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors
    assert {"runs", "themes"} <= set(inspect(engine_for(store_url)).get_table_names())


def test_postgres_urls_get_the_installed_driver():
    assert portable_url("postgresql://u:p@db:5432/voc") == "postgresql+psycopg://u:p@db:5432/voc"
    assert portable_url("postgres://u@db/voc") == "postgresql+psycopg://u@db/voc"
    assert portable_url("postgresql+psycopg2://u@db/voc") == "postgresql+psycopg2://u@db/voc"
    assert portable_url("sqlite:///.voc/voc.db") == "sqlite:///.voc/voc.db"


def test_each_runs_quotes_are_kept_and_searched_once_as_the_newest_run_shows_them(store_url: str):
    from nlp.schema import Quote

    def quote(qid: str, theme: str | None, text: str = "Exports fail every Monday.") -> Quote:
        return Quote(quote_id=qid, recording="recordings/a.ogg", customer="Zoë", speaker="Zoë", role="customer",
                     start=1.5, end=4.25, text=text, kind="pain", severity=0.5, sentiment=-0.4,
                     theme_id=theme, theme_label=f"Label of {theme}" if theme else None)

    store = Store(store_url)
    assert store.searchable_quotes() == []
    store.save_run("r1", "2026-01-01T02:00:00+00:00", "2026-01-01T02:01:00+00:00", 1, [("T001", "x", 1, 1.0, unit([1, 0]))])
    store.save_quotes("r1", [quote("q1", "T001"), quote("q2", None, "Support is “great”, thanks Zoë.")])
    store.save_run("r2", "2026-01-02T02:00:00+00:00", "2026-01-02T02:01:00+00:00", 1, [("T002", "y", 1, 1.0, unit([0, 1]))])
    store.save_quotes("r2", [quote("q1", "T002"), quote("q3", "T002")])
    found = {s.quote.quote_id: s for s in Store(store_url).searchable_quotes()}
    assert set(found) == {"q1", "q2", "q3"}
    assert (found["q1"].run_id, found["q1"].quote.theme_id, found["q1"].first_seen) == ("r2", "T002", "2026-01-01T02:00:00+00:00")
    assert found["q2"].quote.text == "Support is “great”, thanks Zoë." and found["q2"].run_id == "r1"
    assert found["q3"].first_seen == "2026-01-02T02:00:00+00:00"
    q = found["q1"].quote
    assert (q.start, q.end, q.kind, q.severity, q.sentiment, q.customer) == (1.5, 4.25, "pain", 0.5, -0.4, "Zoë")
