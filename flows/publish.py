"""The end of every run, a computed one or one that reuses the last: the report written (reports/<run-id>/,
then reports/latest/) and the run recorded in the store. No Prefect here: a run with nothing new does
this without starting a Prefect server (flows.unchanged)."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import numpy as np

from nlp import store
from nlp.report import writers
from nlp.report.view import History
from nlp.schema import Quote, Recording, ThemesDocument
from nlp.settings import Settings


def new_run_id(reports_dir: Path, now: datetime) -> str:
    base = now.strftime("%Y%m%d-%H%M%S")
    run_id, n = base, 1
    while (reports_dir / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def people_of(recordings: list[Recording], extra: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """customer -> segments: participants.csv rows of the recordings, then table customers' own columns."""
    people = {r.customer: r.participant for r in recordings}
    for customer, row in (extra or {}).items():
        people[customer] = {**people.get(customer, {}), **row}
    return people


def publish(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]], centroids: list,
            settings: Settings) -> tuple[Path, History]:
    """Write the report, then record the run in the store. -> (run folder, trend history)."""
    history = store.Store(settings.store_url)
    trend = writers.run_history(history.history, doc)
    run_dir = writers.write_report(doc, quotes, settings.paths.reports, people, trend)
    # Recorded only once the report is safely on disk: an interrupted run leaves no trace in history.
    history.save_run(
        doc.run.id, doc.run.started_at, doc.run.finished_at or "", doc.run.recordings,
        [(i, label, n, score, np.array(c)) for i, label, n, score, c in centroids])
    return run_dir, trend
