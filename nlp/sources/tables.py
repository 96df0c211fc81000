"""Read tabular feedback exports (.csv .tsv .xlsx .jsonl, .json arrays) into tables of strings.

Every cell is read as the text the file holds (no type guessing: a rating stays "5", an id keeps its
leading zeros); missing cells are "". Rows keep the number a spreadsheet shows them under (the header
is row 1), blank rows included, so a quote can point at its row. Readers are pandas (its C parser for
delimited text), openpyxl (read-only) for workbooks and the json module for JSON; the character set
of a text export is detected (UTF-8, UTF-16 with or without a byte-order mark, and Excel's Windows
"ANSI" code page, cp1252, before charset-normalizer's guess).
"""

from __future__ import annotations

import codecs
import io
import json
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path

TABLE_EXTENSIONS = {".csv", ".tsv", ".xlsx", ".jsonl", ".json"}
DELIMITERS = (",", ";", "\t", "|")
SNIFF_BYTES = 256 * 1024  # enough text to recognise a character set


class TableError(ValueError):
    """The file cannot be read as a table; the message says why and what to do."""


@dataclass
class Table:
    """One sheet of a workbook, or the whole of any other table file."""

    path: Path
    sheet: str | None
    columns: list[str]
    rows: list[list[str]]          # cells as text, "" where empty, one list per data row
    numbers: list[int]             # each row's number as a spreadsheet shows it (header = 1) or its line
    problems: list[str] = field(default_factory=list)  # rows that could not be read, in words

    @property
    def name(self) -> str:
        return sheet_label(self.path.name, self.sheet)


def sheet_label(path: str | Path, sheet: str | None) -> str:
    """How voc names a table: "path#sheet" for a workbook's sheet, else the path (notes, settings, logs)."""
    return f"{path}#{sheet}" if sheet else str(path)


def looks_like_table_json(path: Path) -> bool:
    """A .json file holding an array (a table export) rather than an object (voc's transcript JSON)."""
    with open(path, "rb") as f:
        head = f.read(4096).lstrip(codecs.BOM_UTF8).lstrip()
    return head.startswith(b"[")


def decode(data: bytes, encoding: str | None = None) -> str:
    """Bytes of a text export as text: a configured encoding, a byte-order mark, UTF-8, then detection."""
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise TableError(f"cannot be read as {encoding} ({exc}); fix `encoding` for this file in voc.toml") from exc
    for bom, name in ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),
                      (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16")):
        if data.startswith(bom):
            return data.decode(name, errors="replace")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    guess = from_bytes(data[:SNIFF_BYTES]).best()
    if guess is None:
        raise TableError("is not text in any character set voc recognises; export it again as CSV (UTF-8)")
    name = codecs.lookup(guess.encoding).name
    if not name.startswith(("utf-16", "utf-32")) and b"\x00" not in data[:SNIFF_BYTES]:
        # Short Western exports are ambiguous between single-byte code pages (café reads as cp1250 too);
        # Excel writes its "CSV" in the Windows code page, cp1252 in Western locales: prefer it when it fits.
        try:
            return data.decode("cp1252")
        except UnicodeDecodeError:
            pass
    return data.decode(guess.encoding, errors="replace")


def delimiter_of(header: str, suffix: str) -> str:
    """The separator of a delimited file: tab for .tsv; else the candidate the header line uses most
    (Excel in many European locales writes ';')."""
    if suffix == ".tsv":
        return "\t"
    counts = {d: header.count(d) for d in DELIMITERS}
    best = max(DELIMITERS, key=lambda d: (counts[d], d == ","))
    return best if counts[best] else ","


def _unique(names: list[str]) -> list[str]:
    """Header names stripped, blanks named by position, repeats numbered ("Comment", "Comment 2")."""
    out: list[str] = []
    for i, name in enumerate(names):
        name = " ".join(str(name).split()) or f"column {i + 1}"
        base, n = name, 1
        while name in out:
            n += 1
            name = f"{base} {n}"
        out.append(name)
    return out


def _too_many(rows: int, max_rows: int) -> TableError:
    return TableError(f"has more than {max_rows:,} rows (run.max_table_rows); split the export into smaller "
                      "files, or raise run.max_table_rows in voc.toml")


def read_delimited(path: Path, max_rows: int, encoding: str | None = None) -> Table:
    import pandas as pd

    text = decode(path.read_bytes(), encoding)
    first_line, _, rest = text.partition("\n")
    if m := re.fullmatch(r"sep=(.)\r?", first_line):  # Excel's hint line: "sep=;"
        sep, text = m[1], rest
    else:
        sep = delimiter_of(first_line, path.suffix.lower())
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, na_filter=False,
                                skip_blank_lines=False, nrows=max_rows + 1, on_bad_lines="warn", engine="c")
        except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
            raise TableError(f"is not a readable {'TSV' if sep == chr(9) else 'CSV'} file ({exc}); export it again "
                             "with a header row") from exc
    if len(frame) > max_rows:
        raise _too_many(len(frame), max_rows)
    bad = [int(n) for w in caught for n in re.findall(r"Skipping line (\d+)", str(w.message))]
    problems = [f"line {n} has more cells than the header; it was left out (check its quoting)" for n in bad]
    return Table(path, None, _unique(list(frame.columns)), frame.to_numpy(dtype=object).tolist(),
                 _row_numbers(len(frame), sorted(bad)), problems)


def _row_numbers(count: int, left_out: list[int]) -> list[int]:
    """Each record's row as a spreadsheet shows it (header = 1), counting the lines left out as rows."""
    numbers = []
    for i in range(count):
        n = i + 2
        for line in left_out:
            n += n >= line
        numbers.append(n)
    return numbers


def read_workbook(path: Path, max_rows: int, sheets: list[str] | None = None) -> list[Table]:
    """Every sheet of an .xlsx workbook (or the named ones) as a table."""
    import zipfile

    import pandas as pd

    try:
        from openpyxl.utils.exceptions import InvalidFileException
    except ImportError as exc:  # a dependency of voc; missing only in a broken install
        raise TableError("needs openpyxl to read .xlsx files; install voc's dependencies again") from exc
    try:
        frames = pd.read_excel(path, sheet_name=sheets or None, dtype=str, nrows=max_rows + 1, engine="openpyxl")
    except (zipfile.BadZipFile, InvalidFileException, KeyError, OSError, ValueError) as exc:
        if sheets and "not found" in str(exc).lower():
            raise TableError(f"has no sheet {exc}; fix `sheets` for this file in voc.toml") from exc
        raise TableError(f"is not a readable Excel workbook ({exc}); save it again as .xlsx") from exc
    tables = []
    for name, frame in frames.items():
        if len(frame) > max_rows:
            raise _too_many(len(frame), max_rows)
        frame = frame.fillna("")
        tables.append(Table(path, str(name), _unique(list(frame.columns)), frame.to_numpy(dtype=object).tolist(),
                            [i + 2 for i in range(len(frame))]))
    return tables


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return str(value)


def _records_table(path: Path, records: list[tuple[int, dict]], problems: list[str]) -> Table:
    """JSON objects (nested ones flattened to "user.email") as rows; a column for every key seen."""
    import pandas as pd

    if not records:
        raise TableError("holds no JSON objects; expected one object per feedback item")
    frame = pd.json_normalize([r for _, r in records], sep=".")
    columns = [str(c) for c in frame.columns]
    rows = [[_cell(v) if not (isinstance(v, float) and v != v) else "" for v in row]
            for row in frame.itertuples(index=False, name=None)]
    return Table(path, None, _unique(columns), rows, [n for n, _ in records], problems)


def read_json_lines(path: Path, max_rows: int, encoding: str | None = None) -> Table:
    records: list[tuple[int, dict]] = []
    problems: list[str] = []
    for number, line in enumerate(decode(path.read_bytes(), encoding).splitlines(), start=1):
        if not line.strip():
            continue
        try:
            value = json.loads(line)
        except ValueError:
            problems.append(f"line {number} is not valid JSON; it was left out")
            continue
        if not isinstance(value, dict):
            problems.append(f"line {number} is not a JSON object; it was left out")
            continue
        if len(records) == max_rows:
            raise _too_many(max_rows + 1, max_rows)
        records.append((number, value))
    return _records_table(path, records, problems)


def read_json_array(path: Path, max_rows: int, encoding: str | None = None) -> Table:
    try:
        data = json.loads(decode(path.read_bytes(), encoding))
    except ValueError as exc:
        raise TableError(f"is not valid JSON ({exc}); export it again") from exc
    if not isinstance(data, list):
        raise TableError("is not a JSON array of objects (one object per feedback item)")
    if len(data) > max_rows:
        raise _too_many(len(data), max_rows)
    problems = [f"item {i} is not a JSON object; it was left out" for i, v in enumerate(data, 1) if not isinstance(v, dict)]
    return _records_table(path, [(i, v) for i, v in enumerate(data, 1) if isinstance(v, dict)], problems)


def read_tables(path: Path, max_rows: int, encoding: str | None = None, sheets: list[str] | None = None) -> list[Table]:
    """The tables in one file (a workbook: one per sheet). Raises TableError with the reason."""
    suffix = path.suffix.lower()
    if suffix == ".xlsx":
        return read_workbook(path, max_rows, sheets)
    if suffix == ".jsonl":
        return [read_json_lines(path, max_rows, encoding)]
    if suffix == ".json":
        return [read_json_array(path, max_rows, encoding)]
    if suffix in (".csv", ".tsv"):
        return [read_delimited(path, max_rows, encoding)]
    raise TableError(f"{suffix or 'no extension'} is not a table format; voc reads {', '.join(sorted(TABLE_EXTENSIONS))}")
