"""The end of every run, a computed one or one that reuses the last: the report written (reports/<run-id>/,
then reports/latest/, with the transcript pages) and the run and its quotes recorded in the store. No Prefect here: a run with nothing new does
this without starting a Prefect server (flows.unchanged)."""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import numpy as np

from flows import state
from nlp import store
from nlp.report import transcripts, writers
from nlp.report.view import History
from nlp.schema import Quote, Recording, ThemesDocument
from nlp.settings import Settings


def utc_now() -> datetime:
    """When a run starts and ends: read here only, so a test can hold the clock still across midnight."""
    return datetime.now(timezone.utc)


def new_run_id(reports_dir: Path, now: datetime) -> str:
    base = now.strftime("%Y%m%d-%H%M%S")
    run_id, n = base, 1
    while (reports_dir / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


def people_of(recordings: list[Recording], extra: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """customer -> segments: participants.csv rows of the recordings, then table customers' own columns."""
    return writers.with_customers({r.customer: r.participant for r in recordings}, extra)


def show_transcripts(quotes: list[Quote], recordings: list[Recording], settings: Settings) -> list[transcripts.ShownTranscript]:
    """The run's transcripts as its report shows them. Those the last run showed alike (same transcript,
    people, quotes and redaction) are taken from its transcripts.json: a run with nothing new loads no model."""
    from nlp.text.quotes import load_spacy

    last = state.load_last_run(settings.paths.state).get("report")
    previous = {t.key: t for t in transcripts.read_shown(Path(last))} if last else {}
    sources = [(r, settings.paths.transcripts / r.cache_name) for r in recordings]
    return transcripts.show_transcripts(sources, quotes, settings.extract.redact_pii,
                                        lambda: load_spacy(settings.extract.spacy_model), previous)


def publish(doc: ThemesDocument, quotes: list[Quote], recordings: list[Recording], people: dict[str, dict[str, str]],
            centroids: list, settings: Settings) -> tuple[Path, History]:
    """Write the report (with the recordings' transcript pages), then record the run and its quotes in the
    store. -> (run folder, trend history)."""
    history = store.Store(settings.store_url)
    trend = writers.run_history(history.history, doc)
    shown = show_transcripts(quotes, recordings, settings)
    run_dir = writers.write_report(doc, quotes, settings.paths.reports, people, trend, shown)
    # Recorded only once the report is safely on disk: an interrupted run leaves no trace in history.
    history.save_run(
        doc.run.id, doc.run.started_at, doc.run.finished_at or "", doc.run.recordings,
        [(i, label, n, score, np.array(c)) for i, label, n, score, c in centroids])
    history.save_quotes(doc.run.id, quotes)
    return run_dir, trend
