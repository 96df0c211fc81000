"""Write a run's report: report.html, report.md, themes.json and quotes.csv in reports/<run-id>/,
then refresh reports/latest/. Templates are jinja2 with autoescaping: quote text is untrusted."""

from __future__ import annotations

import csv
import io
import os
import re
import shutil
from pathlib import Path

from jinja2 import Environment, PackageLoader, select_autoescape

from nlp.formats import mmss, write_atomic
from nlp.schema import Quote, ThemesDocument

QUOTE_COLUMNS = ["quote_id", "recording", "customer", "speaker", "role", "start", "end", "kind", "sentiment",
                 "theme_id", "theme_label", "text"]


def _environment() -> Environment:
    env = Environment(loader=PackageLoader("nlp", "templates"),
                      autoescape=select_autoescape(["html", "html.j2"], default_for_string=True),
                      trim_blocks=True, lstrip_blocks=True, keep_trailing_newline=True)
    env.filters["mmss"] = mmss
    env.filters["md"] = markdown_text
    return env


def markdown_text(text: str) -> str:
    """Untrusted text made inert in Markdown: renderers pass raw HTML through, so escape it."""
    return re.sub(r"([\\`*_<>\[\]])", r"\\\1", str(text))


def quotes_csv(quotes: list[Quote]) -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=QUOTE_COLUMNS, extrasaction="ignore", lineterminator="\n")
    writer.writeheader()
    for q in quotes:
        writer.writerow(q.model_dump())
    return out.getvalue()


def takeaways(doc: ThemesDocument, limit: int = 3) -> list[str]:
    lines = [f"{t.label}: {t.why}." for t in doc.themes[:limit]]
    fresh = [t.label for t in doc.themes if t.trend in ("new", "rising")]
    if fresh and len(fresh) < len(doc.themes):
        lines.append("New or rising since the last run: " + ", ".join(fresh) + ".")
    return lines


def render(doc: ThemesDocument, quotes: list[Quote], report_dir: Path, people: dict[str, dict[str, str]]) -> dict[str, str]:
    """-> {file name: content} for the four report files; `people` maps customer -> participant row."""
    env = _environment()

    def audio_src(recording: str) -> str:
        # Relative from the report folder, so the report plays from disk wherever the project sits.
        return Path(os.path.relpath(Path(recording).resolve(), report_dir.resolve())).as_posix()

    context = {"doc": doc, "takeaways": takeaways(doc), "people": people, "audio_src": audio_src,
               "total_quotes": len(quotes), "customers": len({q.customer for q in quotes})}
    return {
        "report.html": env.get_template("report.html.j2").render(**context),
        "report.md": env.get_template("report.md.j2").render(**context),
        "themes.json": doc.model_dump_json(indent=2) + "\n",
        "quotes.csv": quotes_csv(quotes),
    }


def write_report(doc: ThemesDocument, quotes: list[Quote], reports_dir: Path,
                 people: dict[str, dict[str, str]]) -> Path:
    """Write reports/<run-id>/ complete in a temp folder, rename it into place, then refresh latest/."""
    final = reports_dir / doc.run.id
    staging = reports_dir / f".{doc.run.id}.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir(parents=True)
    # Render as if from the final folder: relative audio links must resolve from there.
    for name, content in render(doc, quotes, final, people).items():
        write_atomic(staging / name, content)
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


def read_quotes_csv(path: Path) -> list[Quote]:
    with open(path, newline="", encoding="utf-8") as f:
        return [Quote(**{k: (v if v != "" else None) if k in ("theme_id", "theme_label", "speaker") else v
                         for k, v in row.items()}) for row in csv.DictReader(f)]


def rerender(run_dir: Path, inbox: Path) -> Path:
    """Render a finished run again (after a template change or new participant data)."""
    from nlp.ingest import PARTICIPANTS_FILE, read_participants

    doc = ThemesDocument.model_validate_json((run_dir / "themes.json").read_text(encoding="utf-8"))
    quotes = read_quotes_csv(run_dir / "quotes.csv")
    rows, _ = read_participants(inbox / PARTICIPANTS_FILE)
    people = {row.get("customer") or Path(row["file"]).stem: row for row in rows.values()}
    return write_report(doc, quotes, run_dir.parent, people)
