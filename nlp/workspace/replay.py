"""Replay the edit log onto a run's own themes, in order: the researcher's version of the run.

voc clusters from scratch every run and matches theme ids to its own themes of the last run
(nlp.store.clusters), so the ids the edits name keep meaning the same themes. Replaying then:
renamed labels hold while the theme id lives, merged themes stay merged, split-off themes keep
their ids, moved quotes stay where they were put, hidden quotes stay hidden, kinds stay set,
deleted themes' quotes stay out of themes, and the quotes the researcher saw in a theme when
curating it stay in it. Quotes that are new to an edit (not in the run it was made on) are then
anchored (nlp.workspace.anchor) to the curated themes they resemble; a quote the researcher saw
and left where voc put it stays voc's (the interviewer's words moved out of a theme do not drag
the customers' look-alikes along).

An edit whose target is gone (a recording removed, a theme that no longer forms and is not
pinned) is kept in the log and reported stale; it never breaks a run.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from nlp.workspace.anchor import anchor
from nlp.workspace.edits import Edit, undone_by

APPLIED = "applied"


@dataclass
class RunState:
    """A run's own result, before any edit: each quote's id and voc's theme for it (None: unthemed)."""

    quote_ids: list[str]
    theme_of: list[str | None]


@dataclass
class Curation:
    """What the edits in force make of a run."""

    theme_of: list[str | None]                 # each quote's theme (None: unthemed or hidden)
    labels: dict[str, str] = field(default_factory=dict)     # theme -> the researcher's label
    notes: dict[str, str] = field(default_factory=dict)
    pinned: set[str] = field(default_factory=set)
    split_from: dict[str, str] = field(default_factory=dict)  # split-off theme -> the theme it came from
    curated: set[str] = field(default_factory=set)           # themes an edit in force touches
    kinds: dict[int, str] = field(default_factory=dict)      # quote index -> kind set by the researcher
    hidden: set[int] = field(default_factory=set)
    starred: set[int] = field(default_factory=set)
    placed: set[int] = field(default_factory=set)            # quotes the researcher put somewhere
    anchored: set[int] = field(default_factory=set)          # quotes anchoring moved
    theme_editors: dict[str, list[str]] = field(default_factory=dict)
    quote_editors: dict[int, list[str]] = field(default_factory=dict)
    outcomes: dict[int, str] = field(default_factory=dict)   # edit id -> applied | stale: why | undone by N


def _add(editors: dict, key, author: str) -> None:
    names = editors.setdefault(key, [])
    if author not in names:
        names.append(author)


class _Replay:
    def __init__(self, state: RunState, log: list[Edit], run_quotes: dict[str, set[str]]):
        self.state, self.run_quotes = state, run_quotes
        self.index = {q: i for i, q in enumerate(state.quote_ids)}
        self.cancelled = undone_by(log)
        self.active = [e for e in log if e.action != "undo" and e.id not in self.cancelled]
        self.undos = [e for e in log if e.action == "undo"]
        self.out = Curation(theme_of=list(state.theme_of))
        self.alias: dict[str, str] = {}
        self.deleted: set[str] = set()
        # quote index -> (anchor group: theme id or None, placed by hand, the run the edit was made on)
        self.anchors: dict[int, tuple[str | None, bool, str | None]] = {}
        self.exists = self._existing()

    def _present(self, quote_ids) -> list[int]:
        return [self.index[q] for q in quote_ids if q in self.index]

    def _existing(self) -> set[str]:
        """Themes there are this run: voc's own, split-off ones with a quote left, pinned ones with a
        quote left of those the researcher saw in them."""
        exists = {t for t in self.state.theme_of if t}
        for e in self.active:
            if e.action == "theme.split" and self._present(e.targets[1:]):
                exists.add(e.payload["new_id"])
            if e.action == "theme.pin" and self._present(e.payload.get("members", {}).get(e.targets[0], [])):
                exists.add(e.targets[0])
        return exists

    def live(self, theme: str | None) -> bool:
        return theme in self.exists and theme not in self.deleted and theme not in self.alias

    def resolve(self, theme: str | None) -> str | None:
        seen = set()
        while theme in self.alias and theme not in seen:
            seen.add(theme)
            theme = self.alias[theme]
        return None if theme is None or theme in self.deleted or theme not in self.exists else theme

    def _seen(self, edit: Edit) -> None:
        """Members the researcher saw in the themes the edit touches: they stay there (a deleted
        theme's: in no theme) while the theme lives, and anchor the quotes nobody placed."""
        for theme, members in edit.payload.get("members", {}).items():
            label = None if edit.action == "theme.delete" else theme
            for i in self._present(members):
                self.anchors[i] = (label, False, edit.run_id)

    def run(self, vectors: np.ndarray, fallback: float) -> Curation:
        out = self.out
        for edit in self.active:
            why = (self._quote_edit if edit.action.startswith("quote.") else self._theme_edit)(edit)
            out.outcomes[edit.id] = f"stale: {why}" if why else APPLIED
        for edit_id, undo_id in self.cancelled.items():
            out.outcomes[edit_id] = f"undone by {undo_id}"
        for edit in self.undos:
            out.outcomes.setdefault(edit.id, APPLIED)
        self._place(vectors, fallback)
        self._finish()
        return out

    def _quote_edit(self, edit: Edit) -> str:
        quote = edit.targets[0]
        i = self.index.get(quote)
        if i is None:
            return f"quote {quote} is no longer in the synthesis (its recording was removed or changed)"
        out, action = self.out, edit.action
        if action == "quote.move":
            theme = edit.payload.get("theme")
            if theme is not None and not self.live(theme):
                return f"theme {theme} no longer exists"
            self._seen(edit)
            self.anchors[i] = (theme, True, edit.run_id)
            out.placed.add(i)
            if theme:
                out.curated.add(theme)
                _add(out.theme_editors, theme, edit.author)
        elif action == "quote.kind":
            out.kinds[i] = edit.payload["kind"]
        elif action == "quote.hide":
            out.hidden.add(i)
        elif action == "quote.star":
            out.starred.add(i)
        _add(out.quote_editors, i, edit.author)
        return ""

    def _theme_edit(self, edit: Edit) -> str:
        out, action, theme = self.out, edit.action, edit.targets[0]
        if action == "theme.split":
            listed = self._present(edit.targets[1:])
            if not listed:
                return f"none of the quotes split off {theme} is left"
            new = edit.payload["new_id"]
            self._seen(edit)
            for i in listed:
                self.anchors[i] = (new, True, edit.run_id)
                out.placed.add(i)
                _add(out.quote_editors, i, edit.author)
            out.split_from[new] = theme
            touched = [new] + ([theme] if self.live(theme) else [])
        else:
            if not self.live(theme):
                return f"theme {theme} no longer exists"
            touched = [theme]
            if action == "theme.merge":
                others = [o for o in edit.targets[1:] if o != theme and self.live(o)]
                if not others:
                    return f"none of {', '.join(edit.targets[1:])} exists any more"
                self._seen(edit)
                for other in others:
                    self.alias[other] = theme
                    for author in out.theme_editors.pop(other, []):
                        _add(out.theme_editors, theme, author)
                touched = [theme]
            elif action == "theme.delete":
                self._seen(edit)
                self.deleted.add(theme)
                touched = []
            else:
                self._seen(edit)
                if action == "theme.rename":
                    out.labels[theme] = edit.payload["label"]
                elif action == "theme.note":
                    out.notes[theme] = edit.payload.get("text", "")
                elif action == "theme.pin":
                    out.pinned.add(theme)
        for t in touched:
            out.curated.add(t)
            _add(out.theme_editors, t, edit.author)
        return ""

    def _place(self, vectors: np.ndarray, fallback: float) -> None:
        out = self.out
        current = [self.resolve(t) for t in self.state.theme_of]
        groups: dict[int, str | None] = {}
        hard: dict[int, str | None] = {}
        seen: dict[str | None, set[int]] = {}  # anchor group -> the quotes the researcher saw when making it
        in_run = {r: {self.index[q] for q in quotes if q in self.index} for r, quotes in self.run_quotes.items()}
        for i, (label, by_hand, run_id) in self.anchors.items():
            if i in out.hidden:
                continue
            resolved = self.resolve(label)
            if label is not None and resolved is None and label not in self.deleted and not by_hand:
                continue  # a theme that no longer forms (nor is pinned): what was seen in it holds nothing
            groups[i] = hard[i] = resolved
            seen.setdefault(resolved, set()).update(in_run.get(run_id, ()))
        free = [i for i in range(len(current)) if i not in hard and i not in out.hidden]
        placed = [None if i in out.hidden else hard.get(i, current[i]) for i in range(len(current))]
        moved = anchor(vectors, placed, groups, free, fallback, hidden=out.hidden, seen=seen) if len(vectors) else {}
        out.anchored = set(moved)
        out.theme_of = [None if i in out.hidden else hard.get(i, moved.get(i, current[i])) for i in range(len(current))]

    def _finish(self) -> None:
        """Curated themes are the live ones an edit touched; a theme edit whose theme ended with no
        quote is stale (all its quotes were moved, hidden or removed)."""
        out = self.out
        final = {t for t in out.theme_of if t}
        out.curated = {t for t in (self.resolve(c) for c in out.curated) if t in final}
        out.pinned &= final
        out.labels = {t: v for t, v in out.labels.items() if t in final}
        out.notes = {t: v for t, v in out.notes.items() if t in final and v}
        out.theme_editors = {t: v for t, v in out.theme_editors.items() if t in final}
        for edit in self.active:
            if edit.action in ("theme.rename", "theme.note", "theme.pin", "theme.merge") \
                    and out.outcomes.get(edit.id) == APPLIED and self.resolve(edit.targets[0]) not in final:
                out.outcomes[edit.id] = f"stale: theme {edit.targets[0]} has no quote left"


def replay(state: RunState, vectors: np.ndarray, log: list[Edit], fallback: float = 0.5,
           run_quotes: dict[str, set[str]] | None = None) -> Curation:
    """The edits of `log` in force, applied in order to `state`, then the quotes nobody placed
    anchored. `vectors` are the quotes' unit embeddings (rows as state.quote_ids); `fallback` is the
    cosine similarity that pulls a quote to an anchor group of one or two quotes; `run_quotes` the
    quote ids of the runs the edits were made on (Edit.run_id): a quote in an edit's run was seen
    by the researcher and is not pulled by that edit's anchors."""
    return _Replay(state, log, run_quotes or {}).run(vectors, fallback)
