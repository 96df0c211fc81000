"""The run as an Excel workbook (openpyxl), for people who work in spreadsheets:

    Quotes               one row per quote: the quote, who said it (every participants.csv column), its theme,
                         kind, severity, sentiment, recording and second, and a link to its place in its
                         transcript page, which plays it
    Themes               one row per theme: rank, label, why, customers, kinds, trend, segment counts
    Themes x Customers   1 where a customer raised a theme, else 0

Headers frozen, filters on, columns sized. Text that a spreadsheet would run as a formula stays text.
"""

from __future__ import annotations

from pathlib import Path

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.worksheet import Worksheet

from nlp.report.details import TRANSCRIPTS_FOLDER
from nlp.report.run_files import RunFiles
from nlp.report.writers import FORMULA_START, relative_src
from nlp.schema import KINDS
from nlp.sources.formats import mmss

ROW_ID_COLUMNS = ("file", "customer", "company")  # participants.csv columns the Quotes sheet has already
MAX_WIDTH = 60


def participant_columns(people: dict[str, dict[str, str]]) -> list[str]:
    columns: list[str] = []
    for row in people.values():
        columns += [c for c in row if c not in ROW_ID_COLUMNS and c not in columns]
    return columns


def _put(ws: Worksheet, row: int, column: int, value):
    cell = ws.cell(row=row, column=column)
    if isinstance(value, str):
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        if value.startswith(FORMULA_START):
            cell.data_type = "s"  # openpyxl would store "=..." as a formula
    else:
        cell.value = value
    return cell


def _sheet(ws: Worksheet, header: list[str], rows: list[list], freeze: str = "A2",
           wide: tuple[str, ...] = ()) -> None:
    for c, name in enumerate(header, start=1):
        _put(ws, 1, c, name).font = Font(bold=True)
    for r, values in enumerate(rows, start=2):
        for c, value in enumerate(values, start=1):
            cell = _put(ws, r, c, value)
            if header[c - 1] in wide:
                cell.alignment = Alignment(wrap_text=True, vertical="top")
    ws.freeze_panes = freeze
    ws.auto_filter.ref = f"A1:{get_column_letter(len(header))}{max(len(rows) + 1, 2)}"
    for c, name in enumerate(header, start=1):
        longest = max([len(str(name))] + [len(str(v[c - 1])) for v in rows if v[c - 1] is not None])
        ws.column_dimensions[get_column_letter(c)].width = min(longest + 2, MAX_WIDTH)


def workbook(run: RunFiles, out: Path) -> Workbook:
    """The three sheets; links are relative to `out`, the workbook's own path."""
    wb = Workbook()
    quotes_sheet(wb.active, run, out)
    themes_sheet(wb.create_sheet("Themes"), run)
    matrix_sheet(wb.create_sheet("Themes x Customers"), run)
    return wb


def quotes_sheet(ws: Worksheet, run: RunFiles, out: Path) -> None:
    ws.title = "Quotes"
    columns = participant_columns(run.people)
    pages = {t.recording: t.page for t in run.transcripts}
    header = (["quote_id", "quote", "customer", "company"] + columns +
              ["theme_id", "theme", "kind", "severity", "sentiment", "recording", "start", "end", "play"])
    rows, links = [], []
    for q in run.quotes:
        row = run.people.get(q.customer, {})
        page = pages.get(q.recording)
        links.append(f"{relative_src(run.run_dir / TRANSCRIPTS_FOLDER / page, out.parent)}#q-{q.quote_id}" if page else None)
        rows.append([q.quote_id, q.text, q.customer, row.get("company", "")] + [row.get(c, "") for c in columns] +
                    [q.theme_id or "", q.theme_label or "", q.kind, q.severity, q.sentiment,
                     q.recording.replace("\\", "/").split("/")[-1], q.start, q.end,
                     f"\u25b6 {mmss(q.start)}" if page else ""])
    _sheet(ws, header, rows, freeze="C2", wide=("quote",))
    play = header.index("play") + 1
    for r, link in enumerate(links, start=2):
        if link:
            ws.cell(row=r, column=play).hyperlink = link
            ws.cell(row=r, column=play).style = "Hyperlink"
    ws.column_dimensions["B"].width = MAX_WIDTH


def themes_sheet(ws: Worksheet, run: RunFiles) -> None:
    segments = [(d, v) for t in run.doc.themes for d, values in t.segments.items() for v in values]
    segments = list(dict.fromkeys(segments))
    header = (["rank", "theme_id", "theme", "why", "customers", "interviews", "quotes"] + list(KINDS) +
              ["trend", "sentiment", "score", "keywords"] + [f"{d}: {v}" for d, v in segments])
    rows = [[t.rank, t.id, t.label, t.why, t.customers, t.interviews, t.quotes] + [t.kinds.get(k, 0) for k in KINDS] +
            [t.trend, t.sentiment, t.score, ", ".join(t.keywords)] +
            [t.segments.get(d, {}).get(v, 0) for d, v in segments] for t in run.doc.themes]
    _sheet(ws, header, rows, freeze="D2", wide=("why",))


def matrix_sheet(ws: Worksheet, run: RunFiles) -> None:
    customers = sorted({q.customer for q in run.quotes}, key=str.lower)
    raised = {(q.theme_id, q.customer) for q in run.quotes if q.theme_id}
    header = ["theme_id", "theme"] + customers + ["customers"]
    rows = [[t.id, t.label] + [int((t.id, c) in raised) for c in customers] + [sum((t.id, c) in raised for c in customers)]
            for t in run.doc.themes]
    _sheet(ws, header, rows, freeze="C2")


def write_xlsx(run: RunFiles, out: Path) -> Path:
    out.parent.mkdir(parents=True, exist_ok=True)
    workbook(run, out.resolve()).save(out)
    return out
