"""Find the recordings in the inbox, hash them and attach participant metadata.

The inbox is read-only to voc: nothing here moves, changes or deletes a file.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from nlp.schema import Recording, Skipped

AUDIO_EXTENSIONS = {".wav", ".mp3", ".m4a", ".ogg", ".opus", ".flac", ".aac", ".wma", ".aiff", ".aif"}
VIDEO_EXTENSIONS = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS
TRANSCRIPT_EXTENSIONS = {".vtt", ".srt", ".txt", ".docx", ".json"}
PARTICIPANTS_FILE = "participants.csv"
# Columns that describe who is who rather than a segment of the customer base.
IDENTITY_COLUMNS = ("file", "customer", "company", "interviewer")


@dataclass
class Inbox:
    recordings: list[Recording] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def read_participants(path: Path) -> tuple[dict[str, dict[str, str]], list[Skipped]]:
    """participants.csv -> {file name or stem: row}; a row without `file` is skipped with a reason."""
    if not path.exists():
        return {}, []
    rows: dict[str, dict[str, str]] = {}
    skipped: list[Skipped] = []
    with open(path, newline="", encoding="utf-8-sig") as f:
        reader = csv.DictReader(f)
        if not reader.fieldnames or "file" not in [c.strip().lower() for c in reader.fieldnames]:
            return {}, [Skipped(path=str(path), reason="participants.csv has no 'file' column; add one "
                                "naming each recording (file name or stem)")]
        for line_no, raw in enumerate(reader, start=2):
            row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
            if not row.get("file"):
                skipped.append(Skipped(path=f"{path}:{line_no}", reason="row has an empty 'file' cell"))
                continue
            rows[row["file"]] = row
            rows.setdefault(Path(row["file"]).stem, row)
    return rows, skipped


def segment_columns(participants: dict[str, dict[str, str]]) -> list[str]:
    """Columns of participants.csv that become segment dimensions in the report."""
    columns: list[str] = []
    for row in participants.values():
        columns += [c for c in row if c not in IDENTITY_COLUMNS and c not in columns]
    return columns


def scan_inbox(inbox: Path) -> Inbox:
    """All media files below `inbox` (recursively, sorted), hashed, with their participant rows."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder {inbox} does not exist: create it and drop recordings "
                                f"into it, or point --inbox (or paths.inbox in voc.toml) at your folder")
    participants, skipped = read_participants(inbox / PARTICIPANTS_FILE)
    found = Inbox(skipped=skipped)
    root = inbox.resolve()
    for path in sorted(p for p in inbox.rglob("*") if p.is_file() or p.is_symlink()):
        if any(part.startswith(".") for part in path.relative_to(inbox).parts):
            continue  # hidden files and folders (.DS_Store, partial downloads)
        suffix = path.suffix.lower()
        if path.name == PARTICIPANTS_FILE or suffix not in MEDIA_EXTENSIONS | TRANSCRIPT_EXTENSIONS:
            continue
        target = path.resolve()
        if not target.is_relative_to(root):
            found.skipped.append(Skipped(path=str(path), reason=f"symbolic link leads outside the inbox "
                                         f"({target}); copy the file into the inbox instead"))
            continue
        if not target.exists():
            found.skipped.append(Skipped(path=str(path), reason="broken symbolic link"))
            continue
        if target.stat().st_size == 0:
            found.skipped.append(Skipped(path=str(path), reason="file is empty"))
            continue
        row = participants.get(path.name) or participants.get(path.stem) or {}
        found.recordings.append(Recording(path=path, sha256=sha256_of(path), participant=row))
    return found
