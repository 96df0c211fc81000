"""`voc status`: the inbox, what is transcribed, the last run and the next scheduled one.

Quick and model-free: it reads the state folder, the transcripts folder and, when `voc serve` is
up, the Prefect API (over HTTP, without importing Prefect).
"""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import httpx

from flows import state
from flows.config import Operations
from flows.lock import describe_holder, is_held
from flows.server import healthy
from nlp.sources.columns import recording_channel
from nlp.sources.inbox import Inbox, relative_name, scan_inbox
from nlp.sources.tables import sheet_label
from nlp.schema import ThemesDocument
from nlp.settings import Settings

FLOW_NAME, DEPLOYMENT_NAME = "voc-synthesis", "nightly"


def next_cron_time(cron: str, timezone: str, after: datetime | None = None) -> datetime:
    from cronsim import CronSim

    zone = ZoneInfo(timezone)
    return next(CronSim(cron, (after or datetime.now(zone)).astimezone(zone)))


def inbox_status(settings: Settings, max_table_rows: int | None = None) -> dict:
    if not settings.paths.inbox.is_dir():
        return {"inbox": str(settings.paths.inbox), "error": "the inbox folder does not exist; create it or set "
                "paths.inbox in voc.toml"}
    known = state.load_hashes(settings.paths.state)
    found = scan_inbox(settings.paths.inbox, known)
    state.save_hashes(settings.paths.state, known, found.files())
    pending = [r.path.name for r in found.recordings if not (settings.paths.transcripts / r.cache_name).exists()]
    sources, skipped = table_sources(settings, found, max_table_rows or Operations().run.max_table_rows)
    channels: dict[str, int] = {}
    for recording in found.recordings:
        channel = recording_channel(relative_name(recording.path, settings.paths.inbox), settings.sources)
        channels[channel] = channels.get(channel, 0) + 1
    for source in sources:
        channels[source["channel"]] = channels.get(source["channel"], 0) + source["items"]
    return {"inbox": str(settings.paths.inbox), "recordings": len(found.recordings),
            "transcribed": len(found.recordings) - len(pending), "pending": pending,
            "skipped": [s.model_dump() for s in found.skipped + skipped], "sources": sources,
            "channels": dict(sorted(channels.items(), key=lambda kv: (-kv[1], kv[0])))}


def table_sources(settings: Settings, found: Inbox, max_rows: int) -> tuple[list[dict], list]:
    """Items per table: the last run's counts for tables unchanged since (same content, same [sources]
    settings), the others read now (no model: pandas and openpyxl). -> (counts, tables that cannot be read)."""
    from nlp.sources.feedback import sources_version

    version = sources_version(settings.sources, max_rows)
    counted: dict[str, list[dict]] = {}
    for entry in state.load_last_run(settings.paths.state).get("sources") or []:
        counted.setdefault(entry.get("path", ""), []).append(entry)
    sources, todo = [], []
    for table in found.tables:
        known = counted.get(str(table.path), [])
        if known and all(e.get("sha256") == table.sha256 and e.get("version") == version for e in known):
            sources += known
        else:
            todo.append(table)
    skipped = []
    if todo:
        from nlp.sources.feedback import read_inbox_tables

        feedback = read_inbox_tables(todo, settings.paths.inbox, settings.sources, max_rows)
        sources += feedback.counts(todo, version)
        skipped = feedback.skipped
    return sorted(sources, key=lambda e: (e["path"], e.get("sheet") or "")), skipped


def last_run_status(settings: Settings) -> dict | None:
    latest = settings.paths.reports / "latest" / "themes.json"
    try:
        doc = ThemesDocument.model_validate_json(latest.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return {"id": doc.run.id, "started_at": doc.run.started_at, "finished_at": doc.run.finished_at,
            "recordings": doc.run.recordings, "new_recordings": doc.run.new_recordings, "themes": len(doc.themes),
            "skipped": len(doc.run.skipped), "report": str(latest.parent / "report.html")}


def scheduled_run(ops: Operations) -> dict:
    """The next nightly run as the served deployment has it, or as the cron would have it."""
    timezone = ops.timezone()
    planned = {"cron": ops.schedule.cron, "timezone": timezone,
               "next": next_cron_time(ops.schedule.cron, timezone).isoformat(timespec="minutes")}
    if not healthy(ops.api_url, timeout=1.0):
        return planned | {"served": False}
    api = ops.api_url
    try:
        deployment = httpx.get(f"{api}/deployments/name/{FLOW_NAME}/{DEPLOYMENT_NAME}", timeout=5)
        if deployment.status_code == 404:
            return planned | {"served": False, "server": api}
        deployment.raise_for_status()
        runs = httpx.post(f"{api}/flow_runs/filter", timeout=5, json={
            "deployments": {"id": {"any_": [deployment.json()["id"]]}},
            "flow_runs": {"state": {"type": {"any_": ["SCHEDULED"]}}},
            "sort": "EXPECTED_START_TIME_ASC", "limit": 1}).json()
    except (httpx.HTTPError, ValueError, KeyError):
        return planned | {"served": False, "server": api}
    schedules = deployment.json().get("schedules") or []
    active = bool(schedules) and all(s.get("active", True) for s in schedules) and not deployment.json().get("paused")
    out = planned | {"served": True, "server": api, "active": active}
    if runs:  # the run the server has already scheduled, shown in the schedule's zone
        start = datetime.fromisoformat(runs[0]["expected_start_time"].replace("Z", "+00:00"))
        out["next"] = start.astimezone(ZoneInfo(timezone)).isoformat(timespec="minutes")
    return out


def collect(settings: Settings, ops: Operations) -> dict:
    lock_holder = describe_holder(settings.paths.state) if is_held(settings.paths.state) else None
    return {"inbox": inbox_status(settings, ops.run.max_table_rows), "last_run": last_run_status(settings),
            "schedule": scheduled_run(ops), "running": lock_holder}


def render(status: dict) -> str:
    inbox, last, schedule = status["inbox"], status["last_run"], status["schedule"]
    lines = []
    if "error" in inbox:
        lines.append(f"Inbox {inbox['inbox']}: {inbox['error']}")
    else:
        lines.append(f"Inbox {inbox['inbox']}: {inbox['recordings']} recordings, {inbox['transcribed']} transcribed, "
                     f"{len(inbox['pending'])} waiting for transcription, {len(inbox['skipped'])} skipped")
        if inbox["pending"]:
            lines.append("  waiting: " + ", ".join(inbox["pending"][:10]) + (" ..." if len(inbox["pending"]) > 10 else ""))
        for s in inbox["skipped"][:10]:
            lines.append(f"  skipped {s['path']}: {s['reason']}")
        if inbox["sources"]:
            lines.append(f"Feedback tables: {len({s['path'] for s in inbox['sources']})}, "
                         f"{sum(s['items'] for s in inbox['sources']):,} items")
            for s in inbox["sources"]:
                name = sheet_label(relative_name(Path(s["path"]), Path(inbox["inbox"])), s["sheet"])
                lines.append(f"  {name}: {s['items']:,} items of {s['rows']:,} rows ({s['channel']})")
        if inbox["channels"]:
            lines.append("Items by channel: " + " · ".join(f"{c} {n:,}" for c, n in inbox["channels"].items()))
    if status["running"]:
        lines.append(f"Running now: {status['running']}")
    if last:
        lines.append(f"Last run: {last['id']}, finished {last['finished_at']}: {last['recordings']} recordings "
                     f"({last['new_recordings']} new), {last['themes']} themes, {last['skipped']} skipped")
        lines.append(f"  report: {last['report']}")
    else:
        lines.append("Last run: none yet; `voc run` makes the first report")
    when = f"{schedule['next']} ({schedule['timezone']}, cron \"{schedule['cron']}\")"
    if schedule.get("served"):
        state_word = "" if schedule.get("active", True) else " (schedule paused: restart `voc serve`)"
        lines.append(f"Next run: {when}, served at {schedule['server']}{state_word}")
    else:
        lines.append(f"Next run: none scheduled, `voc serve` is not running; it would run at {when}")
    return "\n".join(lines)


def as_json(status: dict) -> str:
    return json.dumps(status, indent=1, default=str)
