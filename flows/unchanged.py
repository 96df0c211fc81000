"""`voc run` when nothing changed, without Prefect: no server started, no model loaded, seconds.

The same decision and the same result as the synthesis flow's own "nothing new" path (flows.incremental):
the inbox is scanned (hashes of unchanged files remembered), fingerprinted, and when the fingerprint
matches the last finished run, that run's themes and quotes are written as a new run with fresh
trends. Anything else returns None and `voc run` goes on to the flow. Prefect's UI does not list
such a run: there was nothing for it to show.
"""

from __future__ import annotations

from datetime import datetime, timezone

from flows import incremental, publish, state
from flows.config import Operations
from flows.lock import run_lock
from flows.publish import new_run_id
from nlp.schema import RunInfo
from nlp.settings import Settings


def run_if_unchanged(settings: Settings, ops: Operations, echo=None) -> dict | None:
    """-> the run's result (as the flow returns it), or None when something changed (run the flow)."""
    with run_lock(settings.paths.state, ops.run.lock_wait_s, "voc run", on_wait=echo):
        for line in state.recover_reports(settings.paths.reports):
            if echo:
                echo(line)
        started = datetime.now(timezone.utc)
        inbox = incremental.scan(settings.paths.inbox, settings.paths.state)
        fingerprint = incremental.fingerprint(inbox.recordings, settings, inbox.tables, ops.run.max_table_rows)
        previous = incremental.reusable_run(settings, fingerprint)
        if previous is None:
            return None
        run = RunInfo(id=new_run_id(settings.paths.reports, started), started_at=started.isoformat(timespec="seconds"),
                      skipped=list(inbox.skipped))
        doc, quotes, centroids, people = incremental.reuse(previous, run, inbox.recordings, inbox.tables, settings)
        doc.run.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
        run_dir, _ = publish.publish(doc, quotes, inbox.recordings, publish.people_of(inbox.recordings, people),
                                     centroids, settings)
        last = state.load_last_run(settings.paths.state)
        state.save_last_run(settings.paths.state, doc.run.id, fingerprint, str(run_dir), last.get("customers"),
                            last.get("sources"))
    return {"report": str(run_dir), "themes": len(doc.themes), "quotes": len(quotes), "reused": True,
            "new_recordings": 0, "new_items": 0, "channels": doc.run.channels,
            "skipped": [s.model_dump() for s in doc.run.skipped], "notes": [n.model_dump() for n in doc.run.notes]}
