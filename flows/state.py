"""The project's state folder (paths.state, .voc/ by default) and crash recovery of reports/.

    hashes.json     content hashes of inbox files, keyed by size/mtime/ctime/inode (nlp.sources.inbox.known_sha256)
    last_run.json   the newest finished run: {run_id, fingerprint, report, customers, sources}, for "nothing
                    new" reuse (customers: table customers' segments) and `voc status` (sources: items per table)
    run.lock        the run lock (flows.lock); prefect/ the local Prefect server's home and database

Every file here is written atomically, so a run killed at any instant leaves the old or the new file.
"""

from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

from nlp.sources.formats import write_atomic

HASHES_FILE = "hashes.json"
LAST_RUN_FILE = "last_run.json"


def _read_json(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}  # missing or unreadable state only costs time: it is rebuilt
    return data if isinstance(data, dict) else {}


def load_hashes(state: Path) -> dict[str, list]:
    return _read_json(state / HASHES_FILE)


def save_hashes(state: Path, hashes: dict[str, list], inbox_files: set[str] | None = None) -> None:
    """Keep only entries of files still in the inbox, so the file does not grow forever."""
    if inbox_files is not None:
        hashes = {path: entry for path, entry in hashes.items() if path in inbox_files}
    write_atomic(state / HASHES_FILE, json.dumps(hashes))


def load_last_run(state: Path) -> dict:
    return _read_json(state / LAST_RUN_FILE)


def save_last_run(state: Path, run_id: str, fingerprint: str, report: str, customers: dict | None = None,
                  sources: list[dict] | None = None) -> None:
    write_atomic(state / LAST_RUN_FILE, json.dumps({"run_id": run_id, "fingerprint": fingerprint, "report": report,
                                                    "customers": customers or {}, "sources": sources or []}))


def recover_reports(reports_dir: Path) -> list[str]:
    """Undo what a killed run left in reports/: restore latest/ if the kill fell between the two
    renames that swap it, and remove half-written staging folders. -> what was done."""
    done: list[str] = []
    if not reports_dir.is_dir():
        return done
    latest, old = reports_dir / "latest", reports_dir / ".latest.old"
    if not latest.exists() and old.is_dir():
        os.replace(old, latest)
        done.append("restored reports/latest from an interrupted refresh")
    for leftover in sorted(reports_dir.glob(".*")):
        if leftover.is_dir() and (leftover.name.endswith(".tmp") or leftover == old):
            shutil.rmtree(leftover, ignore_errors=True)
            done.append(f"removed {leftover.name}, left by an interrupted run")
    return done
