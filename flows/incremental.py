""""Nothing new since the last run": detect it and build the run from the last report, with no model.

A run's result is a function of its inputs (recording contents, paths and participant rows), the
settings and the code. When all of those match the newest finished run, quoting, embedding and
clustering would reproduce that run exactly, so its themes and quotes are reused and only what
depends on time is recomputed: each theme's trend against that run, and the "why" line.
"""
from __future__ import annotations

import hashlib
import json
from collections import Counter
from pathlib import Path

from flows import state
from nlp import store
from nlp.code_hash import code_hash
from nlp.report.writers import read_quotes_csv, with_customers
from nlp.sources.inbox import Inbox, scan_inbox
from nlp.themes import rank
from nlp.schema import Quote, Recording, RunInfo, ThemesDocument
from nlp.settings import Settings
from nlp.workspace.edits import EditLog

# The code whose change can change themes or quotes (templates do not: the report is rendered anew).
CODE_FILES = ("nlp/**/*.py", "flows/synthesis.py", "flows/feedback.py", "flows/quoting.py")


def scan(inbox: Path, state_dir: Path | None) -> Inbox:
    """Scan the inbox; with a state folder, content hashes of unchanged files are remembered there."""
    known = state.load_hashes(state_dir) if state_dir else None
    found = scan_inbox(inbox, known)
    if state_dir:
        state.save_hashes(state_dir, known, found.files())
    return found


def fingerprint(recordings: list[Recording], settings: Settings, tables: list[Recording] = (),
                max_table_rows: int | None = None) -> str:
    """A hash of everything a run's themes depend on (not where reports and state are kept)."""
    data = {
        "code": code_hash(CODE_FILES),
        "settings": settings.model_dump(mode="json", exclude={"paths", "store"}),
        "recordings": [[str(r.path), r.sha256, sorted(r.participant.items())] for r in recordings],
        # Any edit since (or an undo) changes the synthesis: the run is made again, with it.
        "edits": EditLog(settings.store_url).last_id(),
    }
    if tables:  # only when there are any: a project of recordings keeps its fingerprint
        data["tables"] = [[str(t.path), t.sha256] for t in tables] + [max_table_rows]
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()


def reusable_run(settings: Settings, fp: str) -> Path | None:
    """The folder of the newest finished run if this run would reproduce it, else None."""
    last = state.load_last_run(settings.paths.state)
    if not last or last.get("fingerprint") != fp:
        return None
    run_dir = settings.paths.reports / last["run_id"]
    if not ((run_dir / "themes.json").is_file() and (run_dir / "quotes.csv").is_file()):
        return None  # the report was deleted: make it again
    # The store may be shared (PostgreSQL): another machine's run in between changes the trends.
    newest = store.Store(settings.store_url).last_run()
    if newest is None or newest[0] != last["run_id"]:
        return None
    return run_dir


def rerun(previous_dir: Path, run: RunInfo, settings: Settings) -> tuple[ThemesDocument, list[Quote], list]:
    """The previous run's themes and quotes as a new run: -> (themes document, quotes, centroids),
    the same triple the themes task returns."""
    doc = ThemesDocument.model_validate_json((previous_dir / "themes.json").read_text(encoding="utf-8"))
    quotes = read_quotes_csv(previous_dir / "quotes.csv")
    history = store.Store(settings.store_url)
    stored = {t.theme_id: t for t in history.last_run_themes()}
    last = history.last_run()
    previous_run = last[1] if last else None
    total = len({q.customer for q in quotes if not q.hidden}) or 1  # as ranking counts them: hidden quotes count nowhere
    for theme in doc.themes:
        previous = stored[theme.id].customers if theme.id in stored else None
        # Counted in quote order, as ranking does, so ties between kinds break the same way.
        kinds = Counter(q.kind for q in quotes if q.theme_id == theme.id)
        theme.trend = rank.trend(theme.customers, previous)
        theme.why = rank.why_line(theme.customers, total, theme.segments, kinds, theme.trend, previous, settings.rank,
                                  previous_run, first_run=last is None)
    # voc's own themes and what the last run made of the edits carry over too (no edit since: same).
    history.save_clusters(run.id, history.clusters_of(doc.run.id))
    log = EditLog(settings.store_url)
    record = log.run_record(doc.run.id)
    if record is not None:
        log.record_run(run.id, *record)
    doc.run = run
    centroids = [(t.id, t.label, t.customers, t.score, stored[t.id].centroid.tolist()) for t in doc.themes
                 if t.id in stored]
    return doc, quotes, centroids


def reuse(previous_dir: Path, run: RunInfo, recordings: list[Recording], tables: list[Recording],
          settings: Settings) -> tuple[ThemesDocument, list[Quote], list, dict[str, dict[str, str]]]:
    """Nothing new: the last run's themes and quotes, with trends against it. Loads no model and reads
    no table. -> (themes document, quotes, centroids, customer -> segments)."""
    previous = ThemesDocument.model_validate_json((previous_dir / "themes.json").read_text(encoding="utf-8"))
    # Inputs that failed last time fail again, and tables say the same about their rows: carry it over.
    recording_paths = {str(r.path) for r in recordings}
    table_paths = {str(t.path) for t in tables}
    failed = [s for s in previous.run.skipped if s.path in recording_paths]
    run.skipped += failed + [s for s in previous.run.skipped if s.path.split("#")[0] in table_paths]
    run.notes += previous.run.notes
    run.channels = previous.run.channels
    run.recordings = len(recordings) - len(failed)
    people = with_customers({r.customer: r.participant for r in recordings},
                            state.load_last_run(settings.paths.state).get("customers"))
    return (*rerun(previous_dir, run, settings), people)
