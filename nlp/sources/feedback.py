"""Tabular feedback in the inbox -> feedback items: one per text column of each row.

A row is one customer's item (a survey response, a ticket, a review). Its text columns become
items of their own (several survey questions stay apart); its customer, date and segment columns
travel with each item. Blank rows, rows with no text and rows that repeat an earlier row (in this
file or an earlier one) are counted in a note, not used. Dates that do not parse leave their
rows undated, also with a note. Nothing here writes anywhere.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from nlp.schema import FeedbackItem, Recording, Skipped
from nlp.settings import SourceSettings
from nlp.sources.columns import NoTextColumn, Roles, config_for, detect_roles, guess_channel
from nlp.sources.dates import parse_dates
from nlp.sources.inbox import relative_name
from nlp.sources.tables import Table, TableError, read_tables, sheet_label


@dataclass
class FeedbackSource:
    """One table (a file, or a workbook's sheet) and the items read from it."""

    path: str
    sheet: str | None
    channel: str
    roles: Roles
    rows: int                                   # data rows in the table
    items: list[FeedbackItem] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)

    @property
    def name(self) -> str:
        return sheet_label(self.path, self.sheet)


@dataclass
class Feedback:
    """Everything read from the inbox's tables."""

    sources: list[FeedbackSource] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)  # files or sheets not used, and why

    @property
    def items(self) -> list[FeedbackItem]:
        return [item for source in self.sources for item in source.items]

    @property
    def notes(self) -> list[Skipped]:
        return [note for source in self.sources for note in source.notes]

    def people(self) -> dict[str, dict[str, str]]:
        """Each customer's segments, as participants.csv rows give an interviewee's (later rows win)."""
        people: dict[str, dict[str, str]] = {}
        for item in self.items:
            people.setdefault(item.customer, {"customer": item.customer}).update(item.segments)
        return people

    def counts(self, tables: list[Recording], version: str = "") -> list[dict]:
        """Per table: file, content hash, sheet, channel, rows, items used (rows with text), column roles, and
        the `version` of the reading settings (sources_version) they were counted with."""
        sha = {str(t.path): t.sha256 for t in tables}
        return [{"path": s.path, "sha256": sha.get(s.path, ""), "version": version, "sheet": s.sheet,
                 "channel": s.channel, "rows": s.rows,
                 "items": len({i.row for i in s.items}), "text": s.roles.text, "customer": s.roles.customer,
                 "date": s.roles.date, "segments": s.roles.segments} for s in self.sources]


def sources_version(sources: dict[str, SourceSettings], max_rows: int) -> str:
    """What reading a table depends on besides its content: voc.toml's [sources] and run.max_table_rows."""
    return digest(repr(sorted((p, c.model_dump_json()) for p, c in sources.items())), str(max_rows))[:16]


def digest(*parts: str) -> str:
    h = hashlib.sha256()
    for part in parts:
        h.update(part.encode("utf-8", "surrogatepass"))
        h.update(b"\0")
    return h.hexdigest()


def _customer(value: str) -> str:
    value = " ".join(value.split())
    return value.lower() if "@" in value else value


def _with_title(title: str, text: str) -> str:
    """'Crashes on export' + 'Every time I ...' -> 'Crashes on export. Every time I ...' (as a review reads)."""
    if not title or text.lower().startswith(title.lower()):
        return text
    return f"{title}{'' if title[-1] in '.!?:' else '.'} {text}"


def items_of(table: Table, relative: str, config: SourceSettings, seen: set[str] | None = None) -> FeedbackSource:
    """The items of one table; `seen` (row hashes of earlier tables, updated) drops rows repeated across files.
    Raises NoTextColumn when no column holds free text."""
    roles = detect_roles(table, config)
    label = sheet_label(relative, table.sheet)
    channel = (config.channel or guess_channel(label, table.columns)).strip().lower()
    index = {c: i for i, c in enumerate(table.columns)}
    dates: list[str | None] = [None] * len(table.rows)
    where = sheet_label(table.path, table.sheet)
    notes: list[Skipped] = [Skipped(path=where, reason=p) for p in table.problems]
    if roles.date:
        dates, bad = parse_dates([str(r[index[roles.date]]) for r in table.rows], config.dayfirst)
        if bad:
            examples = ", ".join(repr(v) for v in list(dict.fromkeys(bad))[:3])
            notes.append(Skipped(path=where, reason=f"{len(bad)} value(s) in date column {roles.date!r} are not dates "
                                 f"(e.g. {examples}); those rows are kept undated (set `date` or `dayfirst` in voc.toml "
                                 "if this is the wrong column or order)"))
    source = FeedbackSource(str(table.path), table.sheet, channel, roles, len(table.rows), notes=notes)
    seen = set() if seen is None else seen
    counts: Counter = Counter()
    signature = digest(*sorted(table.columns))
    for cells, number, day in zip(table.rows, table.numbers, dates):
        cells = [str(c).strip() for c in cells]
        if not any(cells):
            counts["blank"] += 1
            continue
        texts = [(q, " ".join(cells[index[q]].split())) for q in roles.text]
        if not any(t for _, t in texts):
            counts["no text"] += 1
            continue
        row_hash = digest(signature, *cells)
        if row_hash in seen:
            counts["repeated"] += 1
            continue
        seen.add(row_hash)
        who = _customer(cells[index[roles.customer]]) if roles.customer else ""
        # Anonymous: a customer of its own, named by the row's content (stable when rows move in a later
        # export; 40 bits, so thousands of rows do not share a name by chance).
        customer = who or f"{channel} {row_hash[:10]}"
        segments = {c.lower(): cells[index[c]] for c in roles.segments if cells[index[c]]}
        title = cells[index[roles.title]] if roles.title else ""
        for n, (question, text) in enumerate(texts):
            if not text:
                continue
            if n == 0 and title:
                text = _with_title(" ".join(title.split()), text)
            named = roles.customer_is_person and bool(who)
            source.items.append(FeedbackItem(
                source=str(table.path), sheet=table.sheet, row=number, question=question, text=text,
                customer=customer, channel=channel, date=day, segments=segments, named=named,
                key=digest(question, text, who if named else ""), id=digest(row_hash, question)[:12]))
    said = {"blank": "blank row(s)", "no text": "row(s) with no text in any text column",
            "repeated": "row(s) that repeat an earlier row (counted once)"}
    for what, n in counts.items():
        source.notes.append(Skipped(path=where, reason=f"{n} {said[what]} left out"))
    return source


def read_feedback(paths: list[tuple[Path, str]], sources: dict[str, SourceSettings], max_rows: int) -> Feedback:
    """Every table file, given as (path, path relative to the inbox with '/'), in this order: its items,
    what it had to say about rows it left out, and the files or sheets it could not use and why."""
    out = Feedback()
    seen: set[str] = set()
    for path, relative in paths:
        config = config_for(relative, sources)
        try:
            tables = read_tables(path, max_rows, config.encoding, config.sheets)
        except TableError as exc:
            out.skipped.append(Skipped(path=str(path), reason=f"{path.name} {exc}"))
            continue
        found, unusable = [], []
        for table in tables:
            sheet_config = config_for(sheet_label(relative, table.sheet), sources) if table.sheet else config
            try:
                found.append(items_of(table, relative, sheet_config, seen))
            except NoTextColumn as exc:
                unusable.append((table, exc))
        out.sources += found
        for table, exc in unusable:
            where = sheet_label(path, table.sheet)
            if found:  # a workbook's other sheets (a summary, a pivot) are worth a note, not a failure
                found[-1].notes.append(Skipped(path=where, reason=f"sheet {table.sheet!r} was not read: it {exc}"))
            else:
                out.skipped.append(Skipped(path=where, reason=f"{table.name} {exc}"))
    return out


def read_inbox_tables(tables: list[Recording], inbox: Path, sources: dict[str, SourceSettings], max_rows: int) -> Feedback:
    """read_feedback over the inbox's tables (as nlp.sources.inbox.scan_inbox found them)."""
    return read_feedback([(t.path, relative_name(t.path, inbox)) for t in tables], sources, max_rows)
