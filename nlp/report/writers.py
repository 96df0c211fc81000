"""Write a run's report: report.html, report.md, themes.json and quotes.csv in reports/<run-id>/,
then refresh reports/latest/. Templates are jinja2 with autoescaping: quote text is untrusted."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import shutil
from functools import cache
from importlib.resources import files
from pathlib import Path
from urllib.parse import quote

import jsonschema
from jinja2 import Environment, FileSystemBytecodeCache, PackageLoader, select_autoescape
from markupsafe import Markup

from nlp.sources.formats import mmss, write_atomic
from nlp.report import channels
from nlp.report.charts import bar_chart, heat_style, line_chart, sparkline
from nlp.report.details import TRANSCRIPTS_FOLDER, ReportDetails, report_details
from nlp.report.pages import transcript_pages
from nlp.report.transcripts import TRANSCRIPTS_FILE, ShownTranscript, read_shown, transcripts_json
from nlp.report.view import (KIND_NAMES, History, ReportView, build_view, run_history, segment_token, shorten,
                             themes_table)
from nlp.schema import KINDS, Quote, ThemesDocument

QUOTE_COLUMNS = ["quote_id", "recording", "customer", "speaker", "role", "start", "end", "kind", "sentiment",
                 "theme_id", "theme_label", "text", "severity",
                 # the researcher's edits (nlp.workspace) and what voc itself said before them
                 "hidden", "starred", "curated", "edited_by", "voc_theme_id", "voc_kind",
                 # channel and provenance of feedback rows (issue 16)
                 "channel", "sheet", "row", "question", "date"]
NUMERIC_COLUMNS = {"start", "end", "sentiment", "severity", "row"}
OPTIONAL_COLUMNS = ("theme_id", "theme_label", "speaker", "voc_theme_id", "voc_kind",
                    "sheet", "row", "question", "date")  # empty cell: None
# A spreadsheet runs a cell that starts like this as a formula; a leading apostrophe keeps it text.
FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
TREND_WORDS = {"new": "New", "rising": "\u25b2 Rising", "steady": "Steady", "falling": "\u25bc Falling"}


@cache
def _environment() -> Environment:
    # Compiled templates are kept in jinja's per-user cache folder: compiling them is most of the time a
    # run with nothing new takes to write its report.
    env = Environment(loader=PackageLoader("nlp.report", "templates"),
                      autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True,
                      bytecode_cache=FileSystemBytecodeCache())
    env.filters.update(mmss=mmss, md=markdown_text, shorten=shorten)
    env.globals.update(segment_token=segment_token, sparkline=sparkline, heat_style=heat_style, kinds=KINDS,
                       kind_names=KIND_NAMES, trend_words=TREND_WORDS, plays=channels.plays,
                       source_label=channels.source_label, count_phrase=channels.count_phrase,
                       run_counts=channels.run_counts,
                       period_change=channels.period_change)
    return env


@cache
def asset(name: str) -> Markup:
    """A stylesheet or script shipped beside the templates, inlined so report.html is one file."""
    text = (files("nlp.report") / "templates" / name).read_text(encoding="utf-8")
    if re.search(r"</(style|script)", text, re.I):
        raise ValueError(f"{name} must not close its own <style>/<script> element")
    return Markup(text)


def markdown_text(text: str) -> str:
    """Untrusted text made inert in Markdown: renderers pass raw HTML through, so escape it; one line, so it
    cannot start a heading, list or table row of its own; pipes escaped, so it stays inside a table cell."""
    return re.sub(r"([\\`*_<>\[\]|])", r"\\\1", " ".join(str(text).split()))


def themes_schema() -> dict:
    """The JSON Schema of themes.json (nlp/report/schemas/themes.schema.json)."""
    return json.loads((files("nlp.report") / "schemas" / "themes.schema.json").read_text(encoding="utf-8"))


@cache
def themes_validator() -> jsonschema.protocols.Validator:
    schema = themes_schema()
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema, format_checker=cls.FORMAT_CHECKER)


def check_themes(document: dict) -> None:
    """Raise if a themes.json document breaks its contract: BI tools and the next run read it."""
    errors = sorted(themes_validator().iter_errors(document), key=lambda e: list(map(str, e.absolute_path)))
    if errors:
        where = "; ".join(f"{'/'.join(map(str, e.absolute_path)) or '(top)'}: {e.message}" for e in errors[:5])
        raise ValueError(f"themes.json breaks its schema (nlp/report/schemas/themes.schema.json): {where}")


def spreadsheet_safe(value):
    return "'" + value if isinstance(value, str) and value.startswith(FORMULA_START) else value


def spreadsheet_value(value: str) -> str:
    return value[1:] if value.startswith("'") and value[1:].startswith(FORMULA_START) else value


def quotes_csv(quotes: list[Quote]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=QUOTE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for q in quotes:
        writer.writerow({k: v if k in NUMERIC_COLUMNS else spreadsheet_safe(v) for k, v in q.model_dump().items()})
    return out.getvalue()


def read_quotes_csv(path: Path) -> list[Quote]:
    with open(path, newline="", encoding="utf-8") as f:
        return [Quote(**{k: (spreadsheet_value(v) or None) if k in OPTIONAL_COLUMNS
                         else spreadsheet_value(v) for k, v in row.items()}) for row in csv.DictReader(f)]


def relative_src(target: str | Path, from_dir: Path) -> str:
    """A link to `target` from `from_dir`: relative, so pages play from disk wherever the project sits;
    percent-encoded, so a '#' or '?' in a file name stays part of the path."""
    target = Path(target).resolve()
    try:
        return quote(Path(os.path.relpath(target, from_dir.resolve())).as_posix())
    except ValueError:  # another drive (Windows): no relative path exists
        return target.as_uri()


def render(doc: ThemesDocument, quotes: list[Quote], report_dir: Path, people: dict[str, dict[str, str]],
           history: History | None = None, transcripts: list[ShownTranscript] | None = None) -> dict[str, str]:
    """-> {file name: content} for the four report files; `people` maps customer -> participant row,
    `history` theme id -> [(run id, customers)] up to this run (report_view.run_history; None: this run only).
    With `transcripts` (nlp.report.transcripts), also transcripts.json and a page per interview in transcripts/."""
    env = _environment()
    view = build_view(doc, quotes, people, history)
    themes_json = doc.model_dump_json(indent=2) + "\n"
    check_themes(json.loads(themes_json))
    shown = [q for q in quotes if not q.hidden]  # hidden by the researcher: not shown (quotes.csv keeps them, marked)
    context = page_context(view, lambda recording: relative_src(recording, report_dir),
                           report_details(doc, shown, people, transcripts))
    files = {
        "report.html": env.get_template("report.html.j2").render(**context),
        "report.md": env.get_template("report.md.j2").render(**context),
        "themes.json": themes_json,
        "quotes.csv": quotes_csv(quotes),
    }
    if transcripts is not None:
        files[TRANSCRIPTS_FILE] = transcripts_json(transcripts)
        files.update(transcript_pages(
            env, transcripts, shown, doc, people, lambda recording: relative_src(recording, report_dir / TRANSCRIPTS_FOLDER),
            {"css": context["css"] + asset("transcript.css"), "js": asset("transcript.js")}))
    return files


def page_context(view: ReportView, audio_src, details: ReportDetails) -> dict:
    """What report.html's template needs; `audio_src(recording)` is where a quote's recording plays from."""
    return {"view": view, "doc": view.doc, "audio_src": audio_src, "bars": bar_chart(view), "trend": line_chart(view),
            "css": asset("report.css") + asset("details.css"), "js": asset("report.js") + asset("search.js"),
            "details": details, **channel_context(view)}


def channel_context(view: ReportView) -> dict:
    """The channel filter, question names and dated trend charts (nlp.report.channels)."""
    return {"channels_js": asset("channels.js"), "channel_names": channels.channels_of(view.doc),
            "questions": channels.questions_of(view.doc), "periods": channels.period_charts(view)}


def report_page(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]], history: History | None,
                audio_src, **extra) -> str:
    """report.html rendered with `extra` context (the workspace's editing controls) and nothing written."""
    view = build_view(doc, quotes, people, history)
    details = report_details(doc, [q for q in quotes if not q.hidden], people, None)
    return _environment().get_template("report.html.j2").render(**page_context(view, audio_src, details), **extra)


def summary(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]],
            history: History | None = None) -> tuple[str, list[dict]]:
    """-> (the key takeaways in Markdown, one row per ranked theme): what the flow publishes as artifacts."""
    view: ReportView = build_view(doc, quotes, people, history)
    takeaways = _environment().get_template("_takeaways.md.j2").render(view=view)
    title = f"# Voice of the customer: run {markdown_text(doc.run.id)}\n\n"
    return title + takeaways, themes_table(view)


def write_report(doc: ThemesDocument, quotes: list[Quote], reports_dir: Path,
                 people: dict[str, dict[str, str]], history: History | None = None,
                 transcripts: list[ShownTranscript] | None = None) -> Path:
    """Write reports/<run-id>/ complete in a temp folder, rename it into place, then refresh latest/."""
    final = reports_dir / doc.run.id
    staging = reports_dir / f".{doc.run.id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Render as if from the final folder: relative audio links must resolve from there.
    for name, content in render(doc, quotes, final, people, history, transcripts).items():
        write_atomic(staging / name, content)
        os.chmod(staging / name, 0o644)  # a report is for sharing; temp files are created private (0600)
    if final.exists():
        shutil.rmtree(final)
    os.replace(staging, final)
    refresh_latest(final, reports_dir)
    return final


def refresh_latest(run_dir: Path, reports_dir: Path) -> Path:
    """Copy (not link: links break in e-mail and on some shares) the run into latest/, swapped in by rename."""
    latest = reports_dir / "latest"
    staging = reports_dir / ".latest.tmp"
    old = reports_dir / ".latest.old"
    for leftover in (staging, old):
        shutil.rmtree(leftover, ignore_errors=True)
    shutil.copytree(run_dir, staging)
    if latest.exists():
        os.replace(latest, old)
    os.replace(staging, latest)
    shutil.rmtree(old, ignore_errors=True)
    return latest


def read_people(inbox: Path, customers: dict[str, dict[str, str]] | None = None) -> dict[str, dict[str, str]]:
    """customer -> their participants.csv row (the inbox's, read now), with table customers' segments
    (`customers`, feedback rows) added."""
    from nlp.sources.inbox import PARTICIPANTS_FILE, read_participants

    rows, _ = read_participants(inbox / PARTICIPANTS_FILE)
    return with_customers({row.get("customer") or Path(row["file"]).stem: row for row in rows.values()}, customers)


def with_customers(people: dict[str, dict[str, str]], customers: dict[str, dict[str, str]] | None) -> dict[str, dict[str, str]]:
    """`people` (participants.csv rows) with table customers' own columns added over them."""
    for customer, row in (customers or {}).items():
        people[customer] = {**people.get(customer, {}), **row}
    return people


def rerender(run_dir: Path, inbox: Path, history_of=None, customers: dict[str, dict[str, str]] | None = None) -> Path:
    """Render a finished run again (after a template change or new participant data). `history_of(theme id)`
    gives the stored [(run id, customers)] (Store.history) for the trend; None: no trend. `customers`: the
    segments of table customers (feedback rows), beside participants.csv's."""
    doc = ThemesDocument.model_validate_json((run_dir / "themes.json").read_text(encoding="utf-8"))
    quotes = read_quotes_csv(run_dir / "quotes.csv")
    people = read_people(inbox, customers)
    history = run_history(history_of, doc) if history_of else None
    shown = read_shown(run_dir) if (run_dir / TRANSCRIPTS_FILE).is_file() else None
    return write_report(doc, quotes, run_dir.parent, people, history, shown)
