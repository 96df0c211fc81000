"""Import existing transcripts into voc's Transcript, speakers kept.

WebVTT (Zoom: "Name: text" cues; Teams: `<v Name>` voice spans) and SRT are read with webvtt-py;
plain text (`Name: text` lines, `[00:01:02] Name: text`, Otter's "Name  0:03" headers followed by
the words) and Teams .docx (the same lines as paragraphs, read with python-docx) share one line
parser; voc's own transcript JSON is validated and kept. A file that is not what its extension
says raises TranscriptFormatError with the reason, and the run lists it as skipped.
"""

from __future__ import annotations

import re
from pathlib import Path

from nlp.sources.formats import read_transcript
from nlp.schema import EngineInfo, RecordingInfo, Segment, Transcript

IMPORT_ENGINE = "import"
TRANSCRIPT_SUFFIXES = (".vtt", ".srt", ".txt", ".docx", ".json")

_TS = r"\d{1,2}:\d{2}(?::\d{2})?(?:[.,]\d{1,3})?"
_CUE_TIMING = re.compile(rf"^\s*({_TS})\s*-->\s*({_TS})")
_HEADER = re.compile(rf"^(?P<name>[^\d\s:][^:]{{0,60}}?)(?P<sep>\s{{2,}}|\t|\s*[(\[]|\s)(?P<ts>{_TS})[\])]?\s*$")
_LEADING_TS = re.compile(rf"^[\[(]?(?P<ts>{_TS})[\])]?\s+(?P<rest>.*)$")
_NAMED = re.compile(r"^(?P<name>[^\W\d][\w .'’\-]{0,48}?)\s*:\s+(?P<text>\S.*)$")


class TranscriptFormatError(ValueError):
    """The file is not a transcript voc can read; the message says why."""


def seconds(stamp: str) -> float:
    parts = [float(p) for p in stamp.replace(",", ".").split(":")]
    total = 0.0
    for p in parts:
        total = total * 60 + p
    return total


def _named(text: str, speaker: str | None) -> tuple[str | None, str]:
    """'Name: words' -> (Name, words); other text keeps the speaker it had."""
    match = _NAMED.match(text)
    if match and len(match["name"].split()) <= 4:
        return match["name"].strip(), match["text"].strip()
    return speaker, text


def read_captions(path: Path) -> list[Segment]:
    """WebVTT or SRT cues -> segments; the speaker from a <v Name> span or a 'Name:' prefix."""
    import webvtt
    from webvtt.errors import MalformedCaptionError, MalformedFileError

    try:
        captions = webvtt.from_srt(str(path)) if path.suffix.lower() == ".srt" else webvtt.read(str(path))
    except (MalformedFileError, MalformedCaptionError, UnicodeDecodeError, ValueError) as exc:
        kind = "SRT" if path.suffix.lower() == ".srt" else "WebVTT"
        raise TranscriptFormatError(f"not a valid {kind} file ({exc or 'invalid format'}); export the transcript "
                                    f"again from the meeting tool") from exc
    segments = []
    for cue in captions:
        text = " ".join(cue.text.split())
        if not text:
            continue
        speaker, text = _named(text, cue.voice.strip() if cue.voice else None)
        segments.append(Segment(start=cue.start_time.in_milliseconds() / 1000,
                                end=cue.end_time.in_milliseconds() / 1000, speaker=speaker, text=text))
    return segments


def _is_header(match: re.Match) -> bool:
    """'Maria Lopez  0:03' is a header; 'we met at 10:30' is speech: a name is short, and set off by
    two spaces, a tab or brackets, or else made of capitalised words."""
    words = match["name"].split()
    if len(words) > 5 or match["name"].rstrip().endswith((".", ",", "?", "!")):
        return False
    return match["sep"] != " " or all(w[0].isupper() or w[0].isdigit() for w in words)


def parse_lines(lines: list[str]) -> list[Segment]:
    """Speaker-labelled text lines (plain text, Otter, Teams docx) -> segments.

    Times come from cue timings, 'Name  0:03' headers or leading [00:01:02] stamps; a segment with
    no time of its own starts where the previous one ended."""
    segments: list[Segment] = []
    speaker: str | None = None
    start: float | None = None
    end: float | None = None
    expect_name = False  # Teams' older layout: timing line, then the name alone, then the words
    for raw in lines:
        line = " ".join(raw.split())
        if not line or line.upper() == "WEBVTT":
            continue
        if m := _CUE_TIMING.match(line):
            start, end, expect_name = seconds(m[1]), seconds(m[2]), True
            continue
        if (m := _HEADER.match(raw.strip())) and _is_header(m):
            speaker, start, end, expect_name = m["name"].strip(), seconds(m["ts"]), None, False
            continue
        if m := _LEADING_TS.match(line):
            start, line = seconds(m["ts"]), m["rest"]
        if expect_name and not _NAMED.match(line) and len(line.split()) <= 4 and not line.endswith((".", "?", "!")):
            speaker, expect_name = line, False
            continue
        expect_name = False
        speaker, text = _named(line, speaker)
        if segments and start is None and segments[-1].speaker == speaker:
            segments[-1].text += " " + text  # a paragraph continues the same turn
            continue
        begin = start if start is not None else (segments[-1].end if segments else 0.0)
        segments.append(Segment(start=begin, end=max(end if end is not None else begin, begin),
                                speaker=speaker, text=text))
        start = end = None
    for seg, following in zip(segments, segments[1:]):
        if seg.end <= seg.start and following.start > seg.start:
            seg.end = following.start  # a header gives only the start: the turn lasts until the next
    return segments


def read_text(path: Path) -> list[Segment]:
    data = path.read_bytes()
    if b"\x00" in data[:4096]:
        raise TranscriptFormatError("binary data, not a text transcript")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")  # Windows exports
    return parse_lines(text.splitlines())


def read_docx(path: Path) -> list[Segment]:
    import zipfile

    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        document = docx.Document(str(path))
    except (PackageNotFoundError, zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise TranscriptFormatError(f"not a readable Word document ({exc}); save it again as .docx") from exc
    lines: list[str] = []
    for paragraph in document.paragraphs:
        lines += paragraph.text.splitlines() or [""]
    return parse_lines(lines)


def read_json(path: Path) -> Transcript:
    try:
        return read_transcript(path)
    except (ValueError, UnicodeDecodeError) as exc:
        raise TranscriptFormatError("not a voc transcript JSON (schema_version, recording, engine, segments); "
                                    "only voc's own JSON can be imported") from exc


def import_transcript(path: Path, sha256: str) -> Transcript:
    """The transcript in `path` (.vtt .srt .txt .docx .json) as a voc Transcript."""
    suffix = path.suffix.lower()
    if suffix not in TRANSCRIPT_SUFFIXES:
        raise TranscriptFormatError(f"{suffix or 'no extension'} is not a transcript format; "
                                    f"voc imports {', '.join(TRANSCRIPT_SUFFIXES)}")
    if suffix == ".json":
        transcript = read_json(path)
        return transcript.model_copy(update={"recording": transcript.recording.model_copy(
            update={"path": str(path), "sha256": sha256})})
    reader = {".vtt": read_captions, ".srt": read_captions, ".txt": read_text, ".docx": read_docx}[suffix]
    segments = [s for s in reader(path) if s.text.strip()]
    labelled = [i for i, s in enumerate(segments) if s.speaker]
    if labelled:
        segments = segments[labelled[0]:]  # a title line above the first speaker is not speech
    if not segments:
        raise TranscriptFormatError("no transcript text found in it; expected speaker-labelled lines "
                                    "such as 'Name: what they said'")
    return Transcript(
        recording=RecordingInfo(path=str(path), sha256=sha256, duration_s=round(max(s.end for s in segments), 3)),
        engine=EngineInfo(name=IMPORT_ENGINE, model=suffix.lstrip(".")), language=None, segments=segments,
    )
