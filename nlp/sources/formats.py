"""Transcript files: voc's JSON (the cache and contract), plain text and WebVTT output."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from nlp.schema import Transcript


def write_atomic(path: Path, text: str) -> None:
    """Write via a temp file in the same folder and rename, so readers never see half a file."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def write_transcript(transcript: Transcript, path: Path) -> None:
    write_atomic(path, transcript.model_dump_json(indent=1))


def read_transcript(path: Path) -> Transcript:
    return Transcript.model_validate_json(path.read_text(encoding="utf-8"))


def timestamp(seconds: float, sep: str = ".") -> str:
    ms = int(round(seconds * 1000))
    h, ms = divmod(ms, 3_600_000)
    m, ms = divmod(ms, 60_000)
    s, ms = divmod(ms, 1000)
    return f"{h:02d}:{m:02d}:{s:02d}{sep}{ms:03d}"


def mmss(seconds: float) -> str:
    m, s = divmod(int(seconds), 60)
    return f"{m:02d}:{s:02d}"


def to_txt(transcript: Transcript) -> str:
    lines = []
    for seg in transcript.segments:
        who = f"{seg.speaker}: " if seg.speaker else ""
        lines.append(f"[{mmss(seg.start)}] {who}{seg.text}")
    return "\n".join(lines) + "\n"


def to_vtt(transcript: Transcript) -> str:
    cues = ["WEBVTT", ""]
    for seg in transcript.segments:
        voice = f"<v {seg.speaker}>" if seg.speaker else ""
        cues += [f"{timestamp(seg.start)} --> {timestamp(seg.end)}", f"{voice}{seg.text}", ""]
    return "\n".join(cues)
