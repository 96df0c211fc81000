"""The researcher's edits, as the terminal and the browser make them: one edit checked against the
latest run with the log replayed (what the researcher sees), then appended to the log. Both go
through here, so `voc theme ...` and the workspace page behave the same."""

from __future__ import annotations

import threading
from pathlib import Path

from flows import state
from nlp.settings import Settings
from nlp.store import Store
from nlp.workspace.edits import Edit, EditLog, default_author, undone_by
from nlp.workspace.runs import View, latest_view
from nlp.workspace.validate import EditError, check


class NoRun(EditError):
    """No finished run to edit yet."""


class Session:
    def __init__(self, settings: Settings, author: str = ""):
        self.settings = settings
        self.author = default_author(author)
        self.log = EditLog(settings.store_url)
        self._lock = threading.Lock()  # the web app's requests share one session
        self._cached: tuple[tuple, View] | None = None

    @property
    def latest(self) -> Path:
        return self.settings.paths.reports / "latest"

    def _load_nlp(self):
        from nlp.text.quotes import load_spacy

        return load_spacy(self.settings.extract.spacy_model)

    def view(self) -> View:
        """The latest run with every edit in force; NoRun before the first run. Memoised by the latest
        report's time and the newest edit: it is built again only after a run or an edit."""
        latest = self.latest / "themes.json"
        if not latest.is_file():
            raise NoRun(f"no finished run in {self.settings.paths.reports}; run `voc run` first")
        try:
            key = (latest.stat().st_mtime_ns, self.log.last_id())
            with self._lock:
                if self._cached is None or self._cached[0] != key:
                    customers = state.load_last_run(self.settings.paths.state).get("customers")
                    self._cached = (key, latest_view(self.settings, self.latest, self._load_nlp, customers))
                return self._cached[1]
        except FileNotFoundError as exc:  # a run swapped reports/latest in that instant
            raise NoRun(f"the latest report is being replaced by a run ({exc.filename}); try again") from exc

    def edit(self, action: str, targets: list[str], payload: dict | None = None) -> Edit:
        """Check the edit against what the researcher sees now and add it to the log; EditError if
        it names something that does not exist. A split gets its new theme id here."""
        view = self.view()
        payload = dict(payload or {})
        if action == "theme.split":
            payload["new_id"] = "T000"  # checked first; the real id is claimed only for a good split
        targets, payload = check(view.workspace, action, targets, payload)
        if action == "theme.split":
            payload["new_id"] = f"T{Store(self.settings.store_url).claim_theme_numbers(1)[0]:03d}"
        return self.log.append(action, targets, payload, self.author, run_id=view.doc.run.id)

    def listing(self) -> list[dict]:
        """Every edit with its state now: applied, stale (why), undone (by which), and whether the
        latest run has applied it yet."""
        try:
            view = self.view()
            outcomes, applied_up_to, log = view.curated.curation.outcomes, view.applied_up_to, view.log
        except NoRun:
            log = self.log.all()
            outcomes, applied_up_to = {}, 0
        cancelled = undone_by(log)
        rows = []
        for e in log:
            state = f"undone by {cancelled[e.id]}" if e.id in cancelled else outcomes.get(e.id, "waiting for a run")
            rows.append({**e.as_dict(), "edit": e.describe(), "state": state, "in_latest_run": e.id <= applied_up_to})
        return rows
