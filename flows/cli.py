"""The `voc` command line. Exit status: 0 all good; 1 finished but skipped some inputs; 2 bad usage."""

from __future__ import annotations

import json
import os
import sys
from enum import Enum
from pathlib import Path
from typing import Optional

import typer

import nlp  # noqa: F401  (offline mode for the model hubs)
from nlp.settings import Settings

app = typer.Typer(add_completion=False, no_args_is_help=True,
                  help="voc: turn customer-interview recordings into a ranked voice-of-customer theme report.")


class Format(str, Enum):
    json = "json"
    txt = "txt"
    vtt = "vtt"


def fail(message: str, code: int = 2) -> None:
    typer.echo(f"voc: {message}", err=True)
    raise typer.Exit(code)


def _settings(inbox: Optional[Path] = None, transcripts: Optional[Path] = None, reports: Optional[Path] = None) -> Settings:
    settings = Settings()
    for name, value in (("inbox", inbox), ("transcripts", transcripts), ("reports", reports)):
        if value is not None:
            setattr(settings.paths, name, value)
    return settings


@app.command()
def run(
    inbox: Optional[Path] = typer.Option(None, help="Folder of recordings (default: paths.inbox in voc.toml)."),
    transcripts: Optional[Path] = typer.Option(None, help="Transcript cache folder (default: paths.transcripts)."),
    reports: Optional[Path] = typer.Option(None, help="Reports folder (default: paths.reports)."),
    progress: bool = typer.Option(True, help="Show progress bars for transcription and embedding."),
) -> None:
    """Run one synthesis now: transcribe what is new, find and rank themes, write the report.
    Exit status 3: another run holds the project (it waits up to run.lock_wait_s first)."""
    from flows.config import Operations
    from flows.lock import RunLocked, run_lock
    from flows.server import LocalServer, ServerError, use_server

    settings = _settings(inbox, transcripts, reports)
    if not settings.paths.inbox.is_dir():
        fail(f"inbox folder {settings.paths.inbox} does not exist; create it and add recordings, "
             "or pass --inbox DIR")
    ops = Operations()
    try:
        # The lock first: a second run waits here, or says who holds the project, before starting anything.
        with run_lock(settings.paths.state, ops.run.lock_wait_s, "voc run",
                      on_wait=lambda message: typer.echo(f"voc: {message}", err=True)):
            from flows.unchanged import run_if_unchanged

            # Nothing changed: the last run carries over without Prefect (no server, no model, seconds).
            result = run_if_unchanged(settings, ops, echo=lambda line: typer.echo(f"voc: {line}", err=True))
            if result is not None:
                _report_result(result)
                return
            # The project's own Prefect server (the one `voc serve` keeps up, else one for this run):
            # flow-run history stays in the state folder, and Dask workers find the API in the environment.
            server = LocalServer(settings, ops).start() if "PREFECT_API_URL" not in os.environ else None
            try:
                if server is not None:
                    use_server(server)
                import flows.synthesis  # noqa: F401  (Prefect loads here while the server starts)

                if server is not None:
                    server.ready()
                result = _synthesize_with_progress(settings, ops, progress)
            finally:
                if server is not None:
                    server.stop()
    except RunLocked as exc:
        fail(str(exc), 3)
    except ServerError as exc:
        fail(str(exc), 1)
    _report_result(result)


def _report_result(result: dict) -> None:
    """What `voc run` prints at the end; exit status 1 when inputs were skipped."""
    report_dir = Path(result["report"])
    if result.get("reused"):
        typer.echo("Nothing new since the last run: its themes carry over (trends updated).")
    typer.echo(f"{result['themes']} themes from {result['quotes']} quotes.")
    if result.get("channels"):
        typer.echo("Items by channel: " + ", ".join(f"{c} {n:,}" for c, n in result["channels"].items()))
    for note in result.get("notes") or []:
        typer.echo(f"  note: {note['path']}: {note['reason']}", err=True)
    typer.echo(f"Report: {report_dir / 'report.html'}")
    typer.echo(f"Latest: {report_dir.parent / 'latest' / 'report.html'}")
    if result["skipped"]:
        typer.echo(f"Skipped {len(result['skipped'])} input(s):", err=True)
        for s in result["skipped"]:
            typer.echo(f"  {s['path']}: {s['reason']}", err=True)
        raise typer.Exit(1)


def _synthesize_with_progress(settings: Settings, ops, show: bool) -> dict:
    from flows.progress import RichProgress
    from flows.synthesis import synthesize

    if not show:
        return synthesize(settings, ops)
    with RichProgress():
        return synthesize(settings, ops)


@app.command()
def serve() -> None:
    """Serve the nightly synthesis (schedule.cron in voc.toml, in schedule.timezone) on a local Prefect
    server, and transcribe new recordings as they arrive in between. Ctrl-C stops both."""
    from flows.config import Operations
    from flows.serve import serve as serve_forever
    from flows.server import ServerError

    settings = _settings()
    if not settings.paths.inbox.is_dir():
        fail(f"inbox folder {settings.paths.inbox} does not exist; create it (recordings dropped there are "
             "picked up), or set paths.inbox in voc.toml")
    try:
        serve_forever(settings, Operations(), echo=typer.echo)
    except ServerError as exc:
        fail(str(exc), 1)
    except ValueError as exc:  # a bad cron or time zone in voc.toml
        fail(f"{exc}; fix schedule.cron / schedule.timezone in voc.toml")


@app.command()
def status(as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """Show the inbox (recordings, transcribed, waiting, skipped), the last run and the next scheduled one."""
    from flows import status as project_status
    from flows.config import Operations

    info = project_status.collect(_settings(), Operations())
    typer.echo(project_status.as_json(info) if as_json else project_status.render(info))


@app.command()
def transcribe(
    file: Path = typer.Argument(..., help="An audio or video file."),
    format: Format = typer.Option(Format.json, "--format", help="Output format."),
    engine: Optional[str] = typer.Option(None, help="Transcription engine: faster-whisper | openai-whisper "
                                         "(default: transcribe.engine)."),
    model: Optional[str] = typer.Option(None, help="Model name or path (default: transcribe.model, tiny.en bundled)."),
) -> None:
    """Transcribe one file and print the transcript to stdout."""
    from nlp.audio.decode import AudioError
    from nlp.sources.formats import to_txt, to_vtt
    from nlp.audio.transcribe import transcribe_file

    if not file.is_file():
        fail(f"{file} is not a file; give the path of an audio or video recording")
    settings = Settings().transcribe
    if engine:
        settings.engine = engine
    if model:
        settings.model = model
    try:
        transcript = transcribe_file(file, settings)
    except AudioError as exc:
        fail(str(exc), 1)
    except ValueError as exc:
        fail(str(exc))
    out = {"json": lambda t: t.model_dump_json(indent=1) + "\n", "txt": to_txt, "vtt": to_vtt}[format.value](transcript)
    sys.stdout.write(out)


@app.command("classify")
def classify_lines(
    batch: int = typer.Option(500, min=1, help="Lines classified together (one parse batch, one embedding batch)."),
) -> None:
    """Read lines of text on stdin; print one JSON object per line: text, kind, severity, sentiment."""
    import io

    from nlp.text.tagger import classify_for
    from nlp.themes.embed import cpu_count

    # Strict UTF-8 whatever the locale: undecodable bytes get a clear error before any output.
    stdin = io.TextIOWrapper(sys.stdin.buffer, encoding="utf-8") if hasattr(sys.stdin, "buffer") else sys.stdin
    try:
        texts = [t for t in (line.rstrip("\r\n") for line in stdin) if t.strip()]
    except UnicodeDecodeError as exc:
        fail(f"standard input is not UTF-8 text ({exc.reason} at byte {exc.start}); convert it first, "
             "e.g. iconv -f latin1 -t utf-8 FILE | voc classify")
    if len(texts) > batch and cpu_count() > 1:  # parsing takes one core per process: a process per core
        from flows.classify_pool import classify_in_processes

        results = classify_in_processes(texts, cpu_count(), batch)
    else:
        results = classify_for(texts, Settings(), chunk=batch)
    for text, c in zip(texts, results):
        sys.stdout.write(json.dumps({"text": text, "kind": c.kind, "severity": c.severity,
                                     "sentiment": c.sentiment}) + "\n")


@app.command("themes")
def themes_of_lines(file: Path = typer.Argument(..., help="A text file, one text per line ('-' for stdin).")) -> None:
    """Cluster texts into themes: one JSON object per line (line, theme_id, theme_label), then the themes
    ("general": true for groups of feedback with a mood and no subject, such as "Great app!")."""
    from nlp.text import quotes
    from nlp.themes import cluster, embed

    if str(file) != "-" and not file.is_file():
        fail(f"{file} is not a file; give a text file with one text per line")
    raw = sys.stdin.read() if str(file) == "-" else file.read_text(encoding="utf-8")
    texts = [t.strip() for t in raw.splitlines() if t.strip()]
    if not texts:
        fail(f"{file} has no text; give one text per line")
    settings = Settings()
    try:
        vectors = embed.embed_for(texts, settings)
    except ValueError as exc:
        fail(str(exc))
    drafts, labels = cluster.build_themes(texts, vectors, settings.themes, quotes.load_spacy(settings.extract.spacy_model),
                                          encode=embed.encoder_for(settings))
    ids = [f"T{i + 1:03d}" for i in range(len(drafts))]
    for text, label in zip(texts, labels):
        theme = drafts[label] if label != cluster.UNTHEMED else None
        sys.stdout.write(json.dumps({"line": text, "theme_id": ids[label] if theme else None,
                                     "theme_label": theme.label if theme else None}) + "\n")
    for theme_id, d in zip(ids, drafts):
        closest = sorted(d.members, key=lambda m: (-float(vectors[m] @ d.centroid), m))[:3]
        sys.stdout.write(json.dumps({"theme_id": theme_id, "label": d.label, "keywords": d.keywords,
                                     "size": len(d.members), "examples": [texts[m] for m in closest],
                                     "general": d.general}) + "\n")


@app.command("report")
def rerender(reports: Optional[Path] = typer.Option(None, help="Reports folder (default: paths.reports).")) -> None:
    """Re-render the latest run's report.html and report.md from its themes.json and quotes.csv."""
    from nlp import store
    from nlp.report import writers

    settings = _settings(reports=reports)
    latest = settings.paths.reports / "latest"
    if not (latest / "themes.json").exists():
        fail(f"no finished run in {settings.paths.reports}; run `voc run` first")
    from flows import state

    last = state.load_last_run(settings.paths.state)
    doc_id = json.loads((latest / "themes.json").read_text(encoding="utf-8"))["run"]["id"]
    customers = last.get("customers") if last.get("run_id") == doc_id else None  # table customers' segments
    run_dir = writers.rerender(latest, settings.paths.inbox, store.Store(settings.store_url).history, customers)
    typer.echo(f"Report: {run_dir / 'report.html'}")


export_app = typer.Typer(no_args_is_help=True, help="Export the latest run for other tools: a REFI-QDA project "
                         "(qdpx), an Excel workbook (xlsx), follow-up lists (followups).")
app.add_typer(export_app, name="export")


def _latest_run(settings: Settings):
    from nlp.report.run_files import latest_run_dir, load_run

    run_dir = latest_run_dir(settings.paths.reports)
    if run_dir is None:
        fail(f"no finished run in {settings.paths.reports}; run `voc run` first")
    return load_run(run_dir, settings.paths.inbox)


OUT_HELP = "File to write (default: in the run's folder, reports/<run-id>/)."


@export_app.command("qdpx")
def export_qdpx(
    out: Optional[Path] = typer.Option(None, "--out", help=OUT_HELP),
    embed_audio: bool = typer.Option(False, "--embed-audio", help="Put the recordings inside the project "
                                     "(else it points at them where they are)."),
) -> None:
    """A REFI-QDA project (.qdpx) for NVivo, ATLAS.ti, MAXQDA or QualCoder: transcripts as text sources with every
    quote coded by theme and kind, recordings as audio sources, customers as cases, theme notes as notes."""
    from nlp.report.qdpx import write_qdpx

    run = _latest_run(_settings())
    if not run.transcripts:
        fail(f"run {run.doc.run.id} has no transcripts.json (an older voc made it); run `voc run` again, then export")
    out = write_qdpx(run, out or run.run_dir / f"voc-{run.doc.run.id}.qdpx", embed_audio)
    typer.echo(f"REFI-QDA project: {out} ({len(run.quotes)} quotes in {len(run.transcripts)} transcripts, "
               f"{len(run.doc.themes)} theme codes). Import it as a REFI-QDA project (.qdpx).")


@export_app.command("xlsx")
def export_xlsx(out: Optional[Path] = typer.Option(None, "--out", help=OUT_HELP)) -> None:
    """An Excel workbook: Quotes (one row per quote, with its customer's participants.csv columns and a link that
    plays it), Themes (rank, why, kinds, trend, segments) and a Themes x Customers matrix."""
    from nlp.report.xlsx import write_xlsx

    run = _latest_run(_settings())
    out = write_xlsx(run, out or run.run_dir / f"voc-{run.doc.run.id}.xlsx")
    typer.echo(f"Workbook: {out} ({len(run.quotes)} quotes, {len(run.doc.themes)} themes)")


@export_app.command("followups")
def export_followups(
    theme: Optional[list[str]] = typer.Option(None, "--theme", help="A theme id (e.g. T001); repeat for several. "
                                              "Default: every theme."),
    out: Optional[Path] = typer.Option(None, "--out", help="CSV file, '-' for standard output (default: "
                                       "reports/<run-id>/followups.csv)."),
) -> None:
    """Who to thank or ask back, per theme: customer, company, contact columns of participants.csv (email, phone,
    owner) and their quotes with times, as CSV for a mail merge."""
    from nlp.report.followups import contact_columns, follow_ups, followups_csv
    from nlp.report.writers import spreadsheet_safe
    from nlp.sources.formats import write_atomic

    run = _latest_run(_settings())
    try:
        found = follow_ups(run.doc, run.quotes, run.people, theme)
    except KeyError as exc:
        known = ", ".join(f"{t.id} {t.label}" for t in run.doc.themes) or "none"
        fail(f"no theme {exc.args[0]} in run {run.doc.run.id}; its themes: {known}")
    text = followups_csv(found, contact_columns(run.people), spreadsheet_safe)
    if out is not None and str(out) == "-":
        sys.stdout.write(text)
        return
    out = out or run.run_dir / "followups.csv"
    write_atomic(out, text)
    people = sum(len(f.people) for f in found)
    typer.echo(f"Follow-ups: {out} ({people} row{'s' if people != 1 else ''} for {len(found)} theme(s))")


class KindChoice(str, Enum):
    pain = "pain"
    request = "request"
    praise = "praise"
    question = "question"
    other = "other"


@app.command("search")
def search_quotes(
    query: str = typer.Argument(..., help='Words or a sentence; a "phrase in double quotes" must appear as written.'),
    kind: Optional[KindChoice] = typer.Option(None, help="Only quotes of this kind."),
    customer: Optional[str] = typer.Option(None, help="Only quotes of customers whose name contains this."),
    since: Optional[str] = typer.Option(None, help="Only quotes first heard in a run on or after this date (YYYY-MM-DD)."),
    limit: int = typer.Option(10, min=1, help="How many quotes to show."),
    as_json: bool = typer.Option(False, "--json", help="One JSON object per quote instead of text."),
) -> None:
    """Search the quotes of every run kept in the store, by meaning and by words together."""
    from datetime import date

    from nlp import search, store
    from nlp.sources.formats import mmss
    from nlp.themes.embed import embed_for

    settings = _settings()
    try:
        day = date.fromisoformat(since) if since else None
    except ValueError:
        fail(f"--since {since!r} is not a date; give it as YYYY-MM-DD, e.g. 2026-01-31")
    kept = store.Store(settings.store_url)
    if kept.last_run() is None:
        fail("no run in the store yet; run `voc run` first")
    stored = kept.searchable_quotes()
    if not stored:
        fail("the store holds no quotes yet (its runs were made by an older voc); run `voc run` again")
    where = search.SearchFilter(kind.value if kind else None, customer, day)
    hits = search.search(query, stored, lambda texts: embed_for(texts, settings), where, limit)
    for rank, hit in enumerate(hits, start=1):
        q = hit.quote
        if as_json:
            sys.stdout.write(json.dumps({"rank": rank, "quote_id": q.quote_id, "text": q.text, "customer": q.customer,
                                         "kind": q.kind, "theme_id": q.theme_id, "theme_label": q.theme_label,
                                         "recording": q.recording, "start": q.start, "end": q.end, "run_id": hit.run_id,
                                         "first_seen": hit.first_seen, "score": hit.score, "meaning": hit.meaning,
                                         "words": hit.words}) + "\n")
            continue
        theme = f"{q.theme_label} ({q.theme_id})" if q.theme_id else "no theme"
        typer.echo(f'{rank}. "{q.text}"\n   {q.customer} · {q.kind} · {theme} · '
                   f"{Path(q.recording).name} {mmss(q.start)} · run {hit.run_id}")
    if not hits and not as_json:
        typer.echo("No quote matches.")


# The researcher's edits (issue 13): flows/workspace/commands.py
from flows.workspace import commands as _workspace  # noqa: E402

app.add_typer(_workspace.theme_app, name="theme")
app.add_typer(_workspace.quote_app, name="quote")
app.add_typer(_workspace.edits_app, name="edits")
app.command("open")(_workspace.open_workspace)


def main() -> None:
    app()


if __name__ == "__main__":
    main()
