"""The researcher's edits: an append-only log in the store (SQLite by default, PostgreSQL by
store.url), through the same SQLAlchemy Core code as nlp.store.

Each edit is one row: id, time, author, action, target ids, payload (JSON). Rows are never updated
or deleted: undo is an edit too, and a later undo of the undo brings the edit back. Each run also
records which edits it read (`curations`): an edit made while a run is in progress is simply
newer than that mark, shows in the workspace at once and is applied by the next run.
"""

from __future__ import annotations

import getpass
import json
from dataclasses import dataclass, field
from datetime import datetime, timezone

from sqlalchemy import Column, Integer, MetaData, String, Table, Text, delete, func, insert, select

from nlp.store import open_engine

metadata = MetaData()
edits = Table(
    "edits", metadata,
    Column("id", Integer, primary_key=True, autoincrement=True),
    Column("at", String(40), nullable=False),
    Column("author", String(200), nullable=False),
    Column("action", String(32), nullable=False),
    Column("targets", Text, nullable=False),   # JSON list: theme ids, quote ids or an edit id
    Column("payload", Text, nullable=False),   # JSON object: label, text, kind, new id, members seen...
    Column("run_id", String(64)),              # the run the researcher was looking at
)
curations = Table(
    "curations", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("last_edit", Integer, nullable=False),  # the run applied the log up to this edit id
    Column("outcomes", Text, nullable=False),      # JSON {edit id: "applied" | "stale: why" | "undone by N"}
)

THEME_ACTIONS = ("rename", "merge", "split", "pin", "note", "delete")
QUOTE_ACTIONS = ("move", "kind", "hide", "star")
ACTIONS = tuple(f"theme.{a}" for a in THEME_ACTIONS) + tuple(f"quote.{a}" for a in QUOTE_ACTIONS) + ("undo",)


@dataclass(frozen=True)
class Edit:
    id: int
    at: str
    author: str
    action: str
    targets: tuple[str, ...]
    payload: dict = field(default_factory=dict)
    run_id: str | None = None

    def describe(self) -> str:
        """One line for `voc edits` and the workspace: what the edit does, in words."""
        t, p = self.targets, self.payload
        first = t[0] if t else "?"
        return {
            "theme.rename": lambda: f"rename {first} to \u201c{p.get('label', '')}\u201d",
            "theme.merge": lambda: f"merge {', '.join(t[1:])} into {first}",
            "theme.split": lambda: f"split {len(t) - 1} quote(s) of {first} into {p.get('new_id', '?')}",
            "theme.pin": lambda: f"pin {first}",
            "theme.note": lambda: f"note on {first}: \u201c{p.get('text', '')}\u201d" if p.get("text") else f"clear the note on {first}",
            "theme.delete": lambda: f"delete {first}",
            "quote.move": lambda: f"move {first} to {p.get('theme') or 'no theme'}",
            "quote.kind": lambda: f"set the kind of {first} to {p.get('kind', '?')}",
            "quote.hide": lambda: f"hide {first}",
            "quote.star": lambda: f"star {first}",
            "undo": lambda: f"undo edit {first}",
        }.get(self.action, lambda: f"{self.action} {' '.join(t)}")()

    def as_dict(self) -> dict:
        return {"id": self.id, "at": self.at, "author": self.author, "action": self.action,
                "targets": list(self.targets), "payload": self.payload, "run_id": self.run_id}


def default_author(configured: str = "") -> str:
    """`[workspace] author` in voc.toml, else the OS user."""
    if configured.strip():
        return configured.strip()
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no passwd entry (some containers)
        return "researcher"


def _edit(row) -> Edit:
    return Edit(row.id, row.at, row.author, row.action, tuple(json.loads(row.targets)), json.loads(row.payload),
                row.run_id)


class EditLog:
    def __init__(self, url: str):
        self.url = url
        self.engine = open_engine(url, metadata)

    def append(self, action: str, targets: list[str], payload: dict | None = None, author: str = "",
               run_id: str | None = None) -> Edit:
        """Add one edit; -> it, with its id. Validation is the caller's (nlp.workspace.validate)."""
        if action not in ACTIONS:
            raise ValueError(f"unknown edit action {action!r}; one of {', '.join(ACTIONS)}")
        row = {"at": datetime.now(timezone.utc).isoformat(timespec="seconds"), "author": default_author(author),
               "action": action, "targets": json.dumps(list(targets)),
               "payload": json.dumps(payload or {}, ensure_ascii=False, sort_keys=True), "run_id": run_id}
        with self.engine.begin() as conn:
            new_id = conn.execute(insert(edits).values(**row)).inserted_primary_key[0]
        return Edit(int(new_id), row["at"], row["author"], action, tuple(targets), payload or {}, run_id)

    def all(self, up_to: int | None = None) -> list[Edit]:
        """Every edit, oldest first (up to an id: what a run read)."""
        query = select(edits).order_by(edits.c.id)
        if up_to is not None:
            query = query.where(edits.c.id <= up_to)
        with self.engine.connect() as conn:
            return [_edit(r) for r in conn.execute(query)]

    def get(self, edit_id: int) -> Edit | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(edits).where(edits.c.id == edit_id)).first()
        return _edit(row) if row else None

    def last_id(self) -> int:
        with self.engine.connect() as conn:
            return int(conn.execute(select(func.max(edits.c.id))).scalar() or 0)

    def record_run(self, run_id: str, last_edit: int, outcomes: dict[int, str]) -> None:
        """What a run made of the log: the last edit it read and each edit's outcome."""
        with self.engine.begin() as conn:
            # A run id is reused only after a run that never finished: its record goes.
            conn.execute(delete(curations).where(curations.c.run_id == run_id))
            conn.execute(insert(curations).values(run_id=run_id, last_edit=last_edit,
                                                  outcomes=json.dumps({str(k): v for k, v in outcomes.items()})))

    def run_record(self, run_id: str) -> tuple[int, dict[int, str]] | None:
        with self.engine.connect() as conn:
            row = conn.execute(select(curations).where(curations.c.run_id == run_id)).first()
        if row is None:
            return None
        return row.last_edit, {int(k): v for k, v in json.loads(row.outcomes).items()}

    def quotes_of_runs(self, log: list[Edit]) -> dict[str, set[str]]:
        """run id -> its quote ids, for the runs the edits of `log` were made on: the quotes the
        researcher could see when making them (a quote not among them is new to the edit)."""
        from nlp.store import Store

        runs = Store(self.url)
        return {run_id: runs.quote_ids_of(run_id) for run_id in sorted({e.run_id for e in log if e.run_id})}


def undone_by(log: list[Edit]) -> dict[int, int]:
    """edit id -> the id of the undo that cancels it, counting only undos that are themselves in
    force. Newest first: whether an undo counts depends only on later edits."""
    cancelled: dict[int, int] = {}
    for edit in reversed(log):
        if edit.action == "undo" and edit.id not in cancelled and edit.targets:
            target = int(edit.targets[0])
            cancelled.setdefault(target, edit.id)
    return cancelled


def in_force(log: list[Edit]) -> list[Edit]:
    """The edits that shape the synthesis now, oldest first: not undone, and not undos themselves."""
    cancelled = undone_by(log)
    return [e for e in log if e.action != "undo" and e.id not in cancelled]


def edits_markdown(log: list[Edit], outcomes: dict[int, str], run_id: str) -> str:
    """The edits a run read and what became of each: the Prefect artifact "voc-edits"."""
    from nlp.report.writers import markdown_text

    lines = [f"# Researcher's edits in run {markdown_text(run_id)}", "",
             f"{sum(v == 'applied' for v in outcomes.values())} applied, "
             f"{sum(v.startswith('stale') for v in outcomes.values())} stale, "
             f"{sum(v.startswith('undone') for v in outcomes.values())} undone.", "",
             "| # | when | who | edit | outcome |", "|--:|:--|:--|:--|:--|"]
    for e in log:
        lines.append(f"| {e.id} | {markdown_text(e.at)} | {markdown_text(e.author)} | {markdown_text(e.describe())} | "
                     f"{markdown_text(outcomes.get(e.id, 'not read by this run'))} |")
    return "\n".join(lines) + "\n"
