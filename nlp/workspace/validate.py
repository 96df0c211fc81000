"""Checks of one edit against what the researcher sees now (the latest run with the log replayed):
ids that exist, a kind voc knows, text of sane length. A bad edit raises EditError with a message
that names what exists; a good one comes back with the members the researcher saw in the themes it
touches (the anchors of nlp.workspace.anchor)."""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass, field

from nlp.schema import KINDS
from nlp.workspace.edits import ACTIONS, Edit, undone_by

MAX_LABEL = 120
MAX_NOTE = 2000
CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


class EditError(ValueError):
    """An edit that cannot be made; the message says why and what exists."""


@dataclass
class Workspace:
    """What exists now: themes with their quotes, every quote (hidden ones too), the log."""

    run_id: str
    themes: dict[str, list[str]]                  # theme id -> its quote ids
    labels: dict[str, str]                        # theme id -> label shown
    quotes: set[str]
    hidden: set[str] = field(default_factory=set)
    starred: set[str] = field(default_factory=set)
    pinned: set[str] = field(default_factory=set)
    theme_of: dict[str, str | None] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)
    log: list[Edit] = field(default_factory=list)
    quotes_file: str = "quotes.csv"


def clean_text(text: str, limit: int, what: str, allow_empty: bool = False) -> str:
    text = " ".join(CONTROL.sub(" ", str(text)).split())
    if not text and not allow_empty:
        raise EditError(f"the {what} is empty; give some text")
    if len(text) > limit:
        raise EditError(f"the {what} is {len(text)} characters long; keep it under {limit}")
    return text


def _theme(ws: Workspace, theme: str) -> str:
    if theme not in ws.themes:
        known = ", ".join(f"{t} ({ws.labels.get(t, '')})" for t in sorted(ws.themes)) or "none"
        raise EditError(f"no theme {theme!r} in the latest synthesis; themes: {known}")
    return theme


def _quote(ws: Workspace, quote: str) -> str:
    if quote not in ws.quotes:
        close = difflib.get_close_matches(quote, sorted(ws.quotes), n=5, cutoff=0.6)
        hint = f"; did you mean {', '.join(close)}?" if close else ""
        raise EditError(f"no quote {quote!r} in the latest synthesis ({len(ws.quotes)} quotes, listed in "
                        f"{ws.quotes_file}){hint}")
    return quote


def _seen(ws: Workspace, *themes: str) -> dict:
    return {"members": {t: list(ws.themes.get(t, [])) for t in themes if t}}


def check(ws: Workspace, action: str, targets: list[str], payload: dict | None = None) -> tuple[list[str], dict]:
    """-> (targets, payload) ready for EditLog.append; raises EditError. A split's new theme id is
    the caller's to give (payload["new_id"]): it is claimed in the store."""
    payload = dict(payload or {})
    targets = [str(t).strip() for t in targets]
    if action not in ACTIONS:
        raise EditError(f"unknown action {action!r}; one of {', '.join(ACTIONS)}")
    if not targets or not all(targets):
        raise EditError(f"{action} needs {'an edit id' if action == 'undo' else 'a theme or quote id'}")
    if action == "undo":
        return _check_undo(ws, targets[0])
    if action.startswith("quote."):
        return _check_quote(ws, action, targets, payload)
    theme = _theme(ws, targets[0])
    if action == "theme.rename":
        return [theme], {"label": clean_text(payload.get("label", ""), MAX_LABEL, "label"), **_seen(ws, theme)}
    if action == "theme.note":
        return [theme], {"text": clean_text(payload.get("text", ""), MAX_NOTE, "note", allow_empty=True),
                         **_seen(ws, theme)}
    if action == "theme.pin":
        if theme in ws.pinned:
            raise EditError(f"{theme} is already pinned (undo the pin to release it)")
        return [theme], _seen(ws, theme)
    if action == "theme.delete":
        return [theme], _seen(ws, theme)
    if action == "theme.merge":
        others = list(dict.fromkeys(_theme(ws, t) for t in targets[1:]))
        if not others or theme in others:
            raise EditError(f"merge needs {theme} and at least one other theme to merge into it")
        return [theme, *others], _seen(ws, theme, *others)
    # theme.split
    quotes = list(dict.fromkeys(_quote(ws, q) for q in targets[1:]))
    if not quotes:
        raise EditError(f"split needs the ids of the quotes of {theme} that become a new theme")
    outside = [q for q in quotes if ws.theme_of.get(q) != theme]
    if outside:
        raise EditError(f"{', '.join(outside)} {'is' if len(outside) == 1 else 'are'} not in {theme}; "
                        f"its quotes: {', '.join(ws.themes[theme])}")
    if not payload.get("new_id"):
        raise EditError("split needs a new theme id")
    seen = _seen(ws, theme)
    seen["members"][theme] = [q for q in ws.themes[theme] if q not in quotes]
    return [theme, *quotes], {"new_id": payload["new_id"], **seen}


def _check_quote(ws: Workspace, action: str, targets: list[str], payload: dict) -> tuple[list[str], dict]:
    quote = _quote(ws, targets[0])
    if action == "quote.move":
        where = payload.get("theme")
        where = None if where in (None, "", "none", "None") else _theme(ws, str(where))
        if where == ws.theme_of.get(quote):
            raise EditError(f"{quote} is already {'in ' + where if where else 'in no theme'}")
        return [quote], {"theme": where, **_seen(ws, where)}
    if action == "quote.kind":
        kind = str(payload.get("kind", "")).strip().lower()
        if kind not in KINDS:
            raise EditError(f"unknown kind {payload.get('kind')!r}; one of {', '.join(KINDS)}")
        # The text goes with it: the tagger learns from the correction even once the quote is gone.
        return [quote], {"kind": kind, "text": ws.texts.get(quote, "")}
    if action == "quote.hide" and quote in ws.hidden:
        raise EditError(f"{quote} is already hidden (undo the hide to show it again)")
    if action == "quote.star" and quote in ws.starred:
        raise EditError(f"{quote} is already starred (undo the star to take it off)")
    return [quote], {}


def _check_undo(ws: Workspace, target: str) -> tuple[list[str], dict]:
    by_id = {str(e.id): e for e in ws.log}
    if target.lstrip("#") not in by_id:
        recent = ", ".join(f"{e.id} ({e.describe()})" for e in ws.log[-5:]) or "none yet"
        raise EditError(f"no edit {target!r}; the latest edits: {recent}")
    target = target.lstrip("#")
    undone = undone_by(ws.log).get(int(target))
    if undone is not None:
        raise EditError(f"edit {target} is already undone by edit {undone}; undo {undone} to bring it back")
    return [target], {}
