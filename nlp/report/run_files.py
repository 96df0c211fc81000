"""A finished run as its folder holds it (themes.json, quotes.csv, transcripts.json) with the
participants.csv rows of the inbox: what every export reads, so each carries the run's own ids and
the text its report shows (personal data redacted alike)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from nlp.report.transcripts import ShownTranscript, read_shown
from nlp.report.writers import read_people, read_quotes_csv
from nlp.schema import Quote, ThemesDocument


@dataclass
class RunFiles:
    run_dir: Path
    doc: ThemesDocument
    quotes: list[Quote]
    transcripts: list[ShownTranscript]
    people: dict[str, dict[str, str]]  # customer -> participants.csv row

    def notes(self) -> dict[str, str]:
        """Theme id -> the researcher's note on the theme, for themes that have one."""
        return {t.id: note for t in self.doc.themes if (note := (getattr(t, "note", None) or "").strip())}


def latest_run_dir(reports_dir: Path) -> Path | None:
    """The newest finished run's own folder (reports/<run-id>/; latest/ if that is gone); None before the first run."""
    latest = reports_dir / "latest"
    if not (latest / "themes.json").is_file():
        return None
    run_id = ThemesDocument.model_validate_json((latest / "themes.json").read_text(encoding="utf-8")).run.id
    own = reports_dir / run_id
    return own if (own / "themes.json").is_file() else latest


def load_run(run_dir: Path, inbox: Path) -> RunFiles:
    doc = ThemesDocument.model_validate_json((run_dir / "themes.json").read_text(encoding="utf-8"))
    quotes = [q for q in read_quotes_csv(run_dir / "quotes.csv") if not q.hidden]  # hidden by the researcher: in no export
    return RunFiles(run_dir, doc, quotes, read_shown(run_dir), read_people(inbox))
