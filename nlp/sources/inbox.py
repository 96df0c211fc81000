"""Find the recordings in the inbox, hash them and attach participant metadata.

The inbox is read-only to voc: nothing here moves, changes or deletes a file.
"""

from __future__ import annotations

import csv
import hashlib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable

from nlp.schema import Recording, Skipped
from nlp.sources.tables import TABLE_EXTENSIONS, looks_like_table_json

AUDIO_EXTENSIONS = {".wav", ".mp3", ".m4a", ".ogg", ".opus", ".flac", ".aac", ".wma", ".aiff", ".aif"}
VIDEO_EXTENSIONS = {".mp4", ".mov", ".mkv", ".webm", ".avi", ".m4v"}
MEDIA_EXTENSIONS = AUDIO_EXTENSIONS | VIDEO_EXTENSIONS
TRANSCRIPT_EXTENSIONS = {".vtt", ".srt", ".txt", ".docx", ".json"}
PARTICIPANTS_FILE = "participants.csv"
# How to reach a customer (follow-ups), not a segment of the customer base.
CONTACT_COLUMNS = ("email", "phone", "owner")
# Columns that describe who is who rather than a segment of the customer base.
IDENTITY_COLUMNS = ("file", "customer", "company", "interviewer") + CONTACT_COLUMNS


@dataclass
class Inbox:
    recordings: list[Recording] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    waiting: list[Path] = field(default_factory=list)  # files still being copied in, left for a later scan
    tables: list[Recording] = field(default_factory=list)  # tabular feedback: surveys, tickets, reviews

    def files(self) -> set[str]:
        """Every file the scan looked at (used or skipped): the ones whose hashes are worth keeping."""
        return {str(r.path) for r in self.recordings + self.tables} | {s.path for s in self.skipped}


def sha256_of(path: Path, chunk: int = 1 << 20) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(chunk):
            digest.update(block)
    return digest.hexdigest()


def known_sha256(path: Path, known: dict[str, list] | None) -> str:
    """sha256_of, remembered in `known` by the file's size, mtime, ctime and inode: an unchanged file is
    not read again (hours of audio take seconds to hash). ctime moves on every write, even one that
    restores the old mtime, so a changed file is always hashed anew."""
    if known is None:
        return sha256_of(path)
    st = path.stat()
    stamp = [st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino]
    entry = known.get(str(path))
    if entry and entry[:4] == stamp:
        return entry[4]
    digest = sha256_of(path)
    known[str(path)] = stamp + [digest]
    return digest


def read_participants(path: Path) -> tuple[dict[str, dict[str, str]], list[Skipped]]:
    """participants.csv -> {file name or stem: row}; a row without `file` is skipped with a reason."""
    if not path.exists():
        return {}, []
    rows: dict[str, dict[str, str]] = {}
    skipped: list[Skipped] = []
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            reader = csv.DictReader(f)
            columns = [c.strip().lower() for c in reader.fieldnames or []]
            if "file" not in columns:
                return {}, [Skipped(path=str(path), reason="participants.csv has no 'file' column; add one "
                                    "naming each recording (file name or stem)")]
            if "customer" not in columns:
                skipped.append(Skipped(path=str(path), reason="participants.csv has no 'customer' column, so "
                                       "each recording counts as its own customer; add the column to group "
                                       "interviews by customer"))
            for line_no, raw in enumerate(reader, start=2):
                extra = raw.pop(None, None)  # cells beyond the header
                row = {(k or "").strip().lower(): (v or "").strip() for k, v in raw.items() if k}
                if extra and any(cell.strip() for cell in extra):
                    skipped.append(Skipped(path=f"{path}:{line_no}", reason=f"row has {len(extra)} more cell(s) "
                                           "than the header; the extra cells are ignored (add a column name "
                                           "for them or remove them)"))
                if not row.get("file"):
                    skipped.append(Skipped(path=f"{path}:{line_no}", reason="row has an empty 'file' cell"))
                    continue
                rows[row["file"]] = row
                rows.setdefault(Path(row["file"]).stem, row)
    except (UnicodeDecodeError, csv.Error) as exc:
        return {}, [Skipped(path=str(path), reason=f"participants.csv could not be read ({exc}); save it as "
                            "CSV in UTF-8 with a header row")]
    return rows, skipped


def relative_name(path: Path, inbox: Path) -> str:
    """A file's path inside the inbox, with '/' (what [sources."pattern"] in voc.toml matches)."""
    try:
        return path.relative_to(inbox).as_posix()
    except ValueError:
        return path.name


def segment_columns(participants: dict[str, dict[str, str]]) -> list[str]:
    """Columns of participants.csv that become segment dimensions in the report."""
    columns: list[str] = []
    for row in participants.values():
        columns += [c for c in row if c not in IDENTITY_COLUMNS and c not in columns]
    return columns


def scan_inbox(inbox: Path, known_hashes: dict[str, list] | None = None,
               settled: Callable[[Path], bool] | None = None) -> Inbox:
    """All media, transcript and table files below `inbox` (recursively, sorted), hashed; recordings and
    transcripts with their participant rows, tables (.csv .tsv .xlsx .jsonl, .json arrays) apart.
    `known_hashes` (see known_sha256) spares re-reading unchanged files; it is updated in place.
    Files for which `settled(path)` is false (still being copied) go to `waiting`, unread."""
    if not inbox.is_dir():
        raise FileNotFoundError(f"inbox folder {inbox} does not exist: create it and drop recordings "
                                f"into it, or point --inbox (or paths.inbox in voc.toml) at your folder")
    participants, skipped = read_participants(inbox / PARTICIPANTS_FILE)
    found = Inbox(skipped=skipped)
    root = inbox.resolve()
    first_of: dict[str, Path] = {}  # content hash -> the first file with it
    for path in sorted(p for p in inbox.rglob("*") if p.is_file() or p.is_symlink()):
        if any(part.startswith(".") for part in path.relative_to(inbox).parts):
            continue  # hidden files and folders (.DS_Store, partial downloads)
        suffix = path.suffix.lower()
        if path.name == PARTICIPANTS_FILE or suffix not in MEDIA_EXTENSIONS | TRANSCRIPT_EXTENSIONS | TABLE_EXTENSIONS:
            continue
        try:
            target = path.resolve()
        except (RuntimeError, OSError):
            found.skipped.append(Skipped(path=str(path), reason="symbolic link loop; replace the link with the file"))
            continue
        if not target.is_relative_to(root):
            found.skipped.append(Skipped(path=str(path), reason=f"symbolic link leads outside the inbox "
                                         f"({target}); copy the file into the inbox instead"))
            continue
        if not target.exists():
            found.skipped.append(Skipped(path=str(path), reason="broken symbolic link; point it at an "
                                         "existing file or remove it"))
            continue
        if target.stat().st_size == 0:
            found.skipped.append(Skipped(path=str(path), reason="file is empty; copy the recording again"))
            continue
        if settled is not None and not settled(path):
            found.waiting.append(path)
            continue
        try:
            digest = known_sha256(path, known_hashes)
        except OSError as exc:
            found.skipped.append(Skipped(path=str(path), reason=f"cannot be read ({exc.strerror or exc}); "
                                         "check the file's permissions"))
            continue
        if digest in first_of:
            found.skipped.append(Skipped(path=str(path), reason=f"same content as {first_of[digest].name}, "
                                         "which is used instead (each interview counts once)"))
            continue
        first_of[digest] = path
        if suffix in TABLE_EXTENSIONS - {".json"} or (suffix == ".json" and _table_json(path)):
            found.tables.append(Recording(path=path, sha256=digest))
            continue
        row = participants.get(path.name) or participants.get(path.stem) or {}
        found.recordings.append(Recording(path=path, sha256=digest, participant=row))
    return found


def _table_json(path: Path) -> bool:
    try:
        return looks_like_table_json(path)
    except OSError:
        return False  # the import reports what is wrong with it


def media_duration(path: Path) -> float | None:
    """Seconds, from the container's header without decoding; None when the header does not say
    (decoding then finds out) or the file does not open (decoding reports why)."""
    import av

    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if container.duration:
                return container.duration / 1_000_000  # AV_TIME_BASE
            stream = next(iter(container.streams.audio), None)
            if stream is not None and stream.duration and stream.time_base:
                return float(stream.duration * stream.time_base)
    except (av.error.FFmpegError, OSError, UnicodeDecodeError, IndexError):
        return None
    return None
