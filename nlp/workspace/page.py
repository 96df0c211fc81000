"""What the workspace page adds to the report (plain data for the _workspace_* templates): every
quote of each theme, the unthemed and hidden ones, the edit log with each edit's state."""

from __future__ import annotations

from dataclasses import dataclass, field

from nlp.schema import KINDS, Quote
from nlp.workspace.edits import Edit, undone_by
from nlp.workspace.runs import View


@dataclass
class EditRow:
    edit: Edit
    text: str
    status: str   # applied | stale: why | undone by N | waiting for the next run
    pending: bool

    @property
    def undoable(self) -> bool:
        return not self.status.startswith("undone")


@dataclass
class WorkspacePage:
    csrf: str
    nonce: str
    run_id: str
    themes: list[tuple[str, str]]            # (id, label) in rank order
    members: dict[str, list[Quote]]          # theme id -> every quote in it, starred first
    unthemed: list[Quote]
    hidden: list[Quote]
    edits: list[EditRow]                     # newest first
    css: str = ""
    js: str = ""
    kinds: tuple[str, ...] = KINDS
    pending: int = field(init=False, default=0)

    def __post_init__(self) -> None:
        self.pending = sum(row.pending for row in self.edits)


def edit_rows(view: View) -> list[EditRow]:
    outcomes = view.curated.curation.outcomes
    cancelled = undone_by(view.log)
    rows = []
    for e in reversed(view.log):
        status = f"undone by {cancelled[e.id]}" if e.id in cancelled else outcomes.get(e.id, "applied")
        rows.append(EditRow(e, e.describe(), status, e.id > view.applied_up_to))
    return rows


def workspace_page(view: View, csrf: str, nonce: str, css: str, js: str) -> WorkspacePage:
    members: dict[str, list[Quote]] = {}
    for q in view.quotes:
        if q.theme_id and not q.hidden:
            members.setdefault(q.theme_id, []).append(q)
    for quotes in members.values():
        quotes.sort(key=lambda q: (not q.starred, q.customer, q.start))
    return WorkspacePage(
        csrf=csrf, nonce=nonce, run_id=view.doc.run.id, themes=[(t.id, t.label) for t in view.doc.themes],
        members=members, unthemed=[q for q in view.quotes if not q.theme_id and not q.hidden],
        hidden=[q for q in view.quotes if q.hidden], edits=edit_rows(view), css=css, js=js)
