"""`voc theme ...`, `voc quote ...`, `voc edits` and `voc open`: the researcher's edits from the
terminal, through the same checks and store functions as the workspace page. Ids are those of
themes.json and quotes.csv (T001, ca872d04-0014740); an unknown id or kind exits 2 naming what
exists."""

from __future__ import annotations

import json
from typing import List

import typer

from nlp.settings import Settings

theme_app = typer.Typer(no_args_is_help=True, help="Edit themes: rename, merge, split, pin, note, delete.")
quote_app = typer.Typer(no_args_is_help=True, help="Edit quotes: move, kind, hide, star.")
edits_app = typer.Typer(help="List the edits (`voc edits [--json]`) or undo one (`voc edits undo EDIT`).")


def _session():
    from flows.config import Operations
    from flows.workspace.session import Session

    return Session(Settings(), Operations().workspace.author)


def _edit(action: str, targets: list[str], payload: dict | None = None):
    from nlp.workspace.validate import EditError

    try:
        edit = _session().edit(action, targets, payload)
    except EditError as exc:
        typer.echo(f"voc: {exc}", err=True)
        raise typer.Exit(2)
    return edit


def _done(edit) -> None:
    typer.echo(f"Edit {edit.id}: {edit.describe()}. The workspace shows it now; reports from the next run.")


@theme_app.command("rename")
def theme_rename(theme: str = typer.Argument(..., help="Theme id, e.g. T001."),
                 label: str = typer.Argument(..., help="The new label (pinned while the theme lives).")) -> None:
    """Rename a theme; the label holds across runs."""
    _done(_edit("theme.rename", [theme], {"label": label}))


@theme_app.command("merge")
def theme_merge(theme: str = typer.Argument(..., help="The theme that keeps its id."),
                others: List[str] = typer.Argument(..., help="Themes merged into it.")) -> None:
    """Merge themes into the first, which keeps its id."""
    _done(_edit("theme.merge", [theme, *others]))


@theme_app.command("split")
def theme_split(theme: str = typer.Argument(..., help="The theme to split."),
                quotes: List[str] = typer.Argument(..., help="Quote ids (quotes.csv) that become a new theme.")) -> None:
    """Split chosen quotes off into a new theme; prints the new theme's id."""
    edit = _edit("theme.split", [theme, *quotes])
    typer.echo(edit.payload["new_id"])
    typer.echo(f"Edit {edit.id}: {edit.describe()}.", err=True)


@theme_app.command("pin")
def theme_pin(theme: str = typer.Argument(..., help="Theme id.")) -> None:
    """Pin a theme: kept even where clustering would dissolve it."""
    _done(_edit("theme.pin", [theme]))


@theme_app.command("note")
def theme_note(theme: str = typer.Argument(..., help="Theme id."),
               text: str = typer.Argument(..., help="The note, shown under the theme in every report ('' clears it).")) -> None:
    """Write a note under a theme."""
    _done(_edit("theme.note", [theme], {"text": text}))


@theme_app.command("delete")
def theme_delete(theme: str = typer.Argument(..., help="Theme id.")) -> None:
    """Delete a theme: its quotes become unthemed and stay out of themes unless moved back."""
    _done(_edit("theme.delete", [theme]))


@quote_app.command("move")
def quote_move(quote: str = typer.Argument(..., help="Quote id (quotes.csv)."),
               theme: str = typer.Argument(..., help="Theme id, or 'none' for no theme.")) -> None:
    """Move a quote to another theme (or to none); it stays there."""
    _done(_edit("quote.move", [quote], {"theme": theme}))


@quote_app.command("kind")
def quote_kind(quote: str = typer.Argument(..., help="Quote id."),
               kind: str = typer.Argument(..., help="pain, request, praise, question or other.")) -> None:
    """Set a quote's kind; corrections also teach the tagger for the quotes nobody touched."""
    _done(_edit("quote.kind", [quote], {"kind": kind}))


@quote_app.command("hide")
def quote_hide(quote: str = typer.Argument(..., help="Quote id.")) -> None:
    """Hide a quote: not shown, not counted (small talk, words mis-assigned)."""
    _done(_edit("quote.hide", [quote]))


@quote_app.command("star")
def quote_star(quote: str = typer.Argument(..., help="Quote id.")) -> None:
    """Star a quote: shown first in its theme and in the key takeaways."""
    _done(_edit("quote.star", [quote]))


@edits_app.callback(invoke_without_command=True)
def edits_list(ctx: typer.Context,
               as_json: bool = typer.Option(False, "--json", help="Print JSON instead of text.")) -> None:
    """List every edit: who, when, what, and its state (applied, stale and why, undone, waiting for a run)."""
    if ctx.invoked_subcommand is not None:
        return
    rows = _session().listing()
    if as_json:
        typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    if not rows:
        typer.echo("No edits yet. Edit with `voc theme ...`, `voc quote ...` or in `voc open`.")
    for r in rows:
        waiting = "" if r["in_latest_run"] or r["state"].startswith("undone") else " (not in a report yet)"
        typer.echo(f"{r['id']:>4}  {r['at']}  {r['author']}  {r['edit']}  [{r['state']}{waiting}]")


@edits_app.command("undo")
def edits_undo(edit: str = typer.Argument(..., help="The edit's number (voc edits).")) -> None:
    """Undo an edit (an edit too: undo the undo to bring it back)."""
    _done(_edit("undo", [edit]))


def open_workspace(browser: bool = typer.Option(True, help="Open the page in the default browser.")) -> None:
    """Serve the latest report with editing controls at http://127.0.0.1:PORT/ (workspace.port) until
    Ctrl-C, without the nightly schedule."""
    from flows.config import Operations
    from flows.workspace.server import WorkspaceError, WorkspaceServer, is_loopback

    config = Operations().workspace
    try:
        server = WorkspaceServer(Settings(), config)
    except WorkspaceError as exc:
        typer.echo(f"voc: {exc}", err=True)
        raise typer.Exit(2)
    if not is_loopback(config.host):
        typer.echo(f"voc: warning: workspace.host is {config.host}: anyone who reaches it can edit", err=True)
    typer.echo(f"voc workspace: {server.url} (Ctrl-C stops)", err=False)
    if browser:
        import webbrowser

        webbrowser.open(server.url)
    server.run()
