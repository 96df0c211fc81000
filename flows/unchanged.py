"""The "nothing new" path of `voc run`, taken without Prefect: no server started, no model loaded, seconds.

One path for both callers: `voc run` tries it first (run_if_unchanged) and the synthesis flow takes it
too when it runs on its own (schedule, tests). The inbox is scanned (hashes of unchanged files
remembered) and fingerprinted; when the fingerprint matches the last finished run, that run's themes
and quotes are written as a new run with fresh trends (carry_over). Otherwise `voc run` goes on to the
flow, which scans again (a stat walk: the hashes are remembered). Prefect's UI does not list a run
carried over without Prefect: there was nothing for it to show.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from typing import Callable

from flows import incremental, publish, state
from flows.config import Operations
from flows.lock import run_lock
from flows.publish import new_run_id
from nlp.schema import Quote, Recording, RunInfo, ThemesDocument
from nlp.settings import Settings
from nlp.sources.inbox import Inbox

# (doc, quotes, recordings, centroids, customer -> segments) -> the run's report folder
Writer = Callable[[ThemesDocument, list[Quote], list[Recording], list, dict], str]


def scan(settings: Settings, ops: Operations) -> tuple[Inbox, str]:
    """-> (the inbox, scanned with remembered hashes, and its fingerprint)."""
    inbox = incremental.scan(settings.paths.inbox, settings.paths.state)
    return inbox, incremental.fingerprint(inbox.recordings, settings, inbox.tables, ops.run.max_table_rows)


def run_if_unchanged(settings: Settings, ops: Operations, echo=None) -> dict | None:
    """-> the run's result as the flow returns it, or None when something changed (run the flow). The
    flow scans again rather than take this scan as a parameter: Prefect stores a flow's parameters with
    the run (every path and participants.csv row); with the hashes remembered a second scan is a stat walk."""
    with run_lock(settings.paths.state, ops.run.lock_wait_s, "voc run", on_wait=echo):
        for line in state.recover_reports(settings.paths.reports):
            if echo:
                echo(line)
        started = publish.utc_now()
        scanned = scan(settings, ops)
        previous = incremental.reusable_run(settings, scanned[1])
        if previous is None:
            return None
        return result_of(*carry_over(settings, *scanned, previous, started), reused=True)


def _publish(settings: Settings) -> Writer:
    def write(doc, quotes, recordings, centroids, people) -> str:
        return str(publish.publish(doc, quotes, recordings, publish.people_of(recordings, people), centroids, settings)[0])
    return write


def carry_over(settings: Settings, inbox: Inbox, fingerprint: str, previous: Path, started: datetime,
               write: Writer | None = None) -> tuple[ThemesDocument, list[Quote], str]:
    """Nothing new: the last run (`previous`, see incremental.reusable_run) as a new run, written by
    `write` (default: published without Prefect). -> (themes document, quotes, run folder). The table
    customers' segments and sources of the last run are kept as they were (participants.csv rows are
    read anew each time, so they are not saved among them)."""
    run = RunInfo(id=new_run_id(settings.paths.reports, started), started_at=started.isoformat(timespec="seconds"),
                  skipped=list(inbox.skipped))
    doc, quotes, centroids, people = incremental.reuse(previous, run, inbox.recordings, inbox.tables, settings)
    doc.run.finished_at = publish.utc_now().isoformat(timespec="seconds")
    run_dir = (write or _publish(settings))(doc, quotes, inbox.recordings, centroids, people)
    last = state.load_last_run(settings.paths.state)
    state.save_last_run(settings.paths.state, doc.run.id, fingerprint, run_dir, last.get("customers"), last.get("sources"))
    return doc, quotes, run_dir


def result_of(doc: ThemesDocument, quotes: list[Quote], run_dir: str, reused: bool) -> dict:
    """What a run returns (the flow and `voc run` alike)."""
    return {"report": run_dir, "themes": len(doc.themes), "quotes": len(quotes), "reused": reused,
            "new_recordings": doc.run.new_recordings, "new_items": doc.run.new_items, "channels": doc.run.channels,
            "skipped": [s.model_dump() for s in doc.run.skipped], "notes": [n.model_dump() for n in doc.run.notes]}
