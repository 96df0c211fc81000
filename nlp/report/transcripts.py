"""Each interview's transcript as the report shows it: one line per segment, customer and interviewer
told apart, every quote's words marked with its quote id, personal data redacted the way the quotes
are. Written to reports/<run>/transcripts.json; the transcript pages and the REFI-QDA export read it,
so each shows the same text with the same quotes at the same places.

A line is a list of pieces: a quote's words are one piece (or one per line it spans), the words
around them others. Pieces are redacted one by one, so a quote's place in the text is exact however
redaction changes the length of what surrounds it.
"""

from __future__ import annotations

import bisect
import hashlib
import json
from pathlib import Path
from typing import Callable

from pydantic import BaseModel, Field

from nlp.code_hash import code_hash
from nlp.schema import Quote, Recording, Transcript, Word
from nlp.sources.formats import mmss, read_transcript

TRANSCRIPTS_FILE = "transcripts.json"
CODE = ("nlp/text/redact.py", "nlp/report/transcripts.py")  # the code a shown transcript depends on
TIME_SLACK = 0.006  # quote times are rounded to 1/100 s; a word inside a quote lies within this of its ends


class Piece(BaseModel):
    text: str
    quote_id: str | None = None


class Line(BaseModel):
    start: float
    end: float
    speaker: str  # a person's name where participants.csv tells it, else the speaker label
    role: str  # customer | interviewer
    pieces: list[Piece]

    @property
    def text(self) -> str:
        return "".join(p.text for p in self.pieces)


class ShownTranscript(BaseModel):
    recording: str  # as quotes.csv names it
    sha256: str
    customer: str
    page: str  # its page in the run's transcripts/ folder
    duration_s: float = 0.0
    key: str = ""  # what the redacted text depends on: equal keys, equal lines (reused between runs)
    lines: list[Line] = Field(default_factory=list)


class TranscriptsDocument(BaseModel):
    """transcripts.json"""

    transcripts: list[ShownTranscript] = Field(default_factory=list)


def page_name(recording: Recording) -> str:
    return Path(recording.cache_name).with_suffix(".html").name


def shown_key(transcript_bytes: bytes, participant: dict[str, str], quotes: list[Quote], redact_pii: bool) -> str:
    """Everything a shown transcript depends on: the transcript, who is named, where the quotes are,
    whether and how personal data is redacted."""
    data = {"transcript": hashlib.sha256(transcript_bytes).hexdigest(), "people": sorted(participant.items()),
            "quotes": [[q.quote_id, q.speaker, q.start, q.end] for q in quotes], "redact": redact_pii,
            "code": code_hash(CODE)}
    return hashlib.sha256(json.dumps(data, sort_keys=True).encode()).hexdigest()


class _QuoteFinder:
    """Which quote a customer's word belongs to: the speaker's quote whose time span holds it (one
    speaker's quotes never overlap in time; several speakers' may)."""

    def __init__(self, quotes: list[Quote]):
        self.by_speaker: dict[str | None, tuple[list[float], list[Quote]]] = {}
        for q in sorted(quotes, key=lambda q: q.start):
            starts, found = self.by_speaker.setdefault(q.speaker, ([], []))
            starts.append(q.start - TIME_SLACK)
            found.append(q)

    def owner(self, word: Word, speaker: str | None) -> str | None:
        starts, found = self.by_speaker.get(speaker, ([], []))
        i = bisect.bisect_right(starts, word.start) - 1
        if i >= 0 and word.end <= found[i].end + TIME_SLACK:
            return found[i].quote_id
        return None


def _pieces(words: list[Word], owners: list[str | None]) -> list[Piece]:
    """Consecutive words of one owner as one piece; a quote's piece starts at its first letter, the
    space before it stays with the words before."""
    pieces: list[Piece] = []
    for word, owner in zip(words, owners):
        if pieces and pieces[-1].quote_id == owner:
            pieces[-1].text += word.word
            continue
        text = word.word
        if owner is not None and pieces:
            gap = text[: len(text) - len(text.lstrip())]
            text = text.lstrip()
            if gap:
                pieces[-1].text += gap
        pieces.append(Piece(text=text, quote_id=owner))
    if pieces:
        pieces[0].text = pieces[0].text.lstrip()
        pieces[-1].text = pieces[-1].text.rstrip()
    return [p for p in pieces if p.text]


def build_lines(transcript: Transcript, roles: dict[str, str], names: dict[str, str],
                quotes: list[Quote]) -> list[Line]:
    """The transcript's segments as lines, unredacted, with the quotes' words in pieces of their own."""
    from nlp.text.quotes import words_of

    finder = _QuoteFinder(quotes)
    lines = []
    for seg in transcript.segments:
        words = [w for w in words_of(seg) if w.word]
        if not words or not "".join(w.word for w in words).strip():
            continue
        role = roles.get(seg.speaker, "customer")
        said_by = names.get(seg.speaker, seg.speaker)  # as the quotes name their speaker
        owners = [finder.owner(w, said_by) if role == "customer" else None for w in words]
        lines.append(Line(start=round(seg.start, 2), end=round(seg.end, 2), speaker=said_by or "Speaker",
                          role=role, pieces=_pieces(words, owners)))
    return lines


def redact_lines(lines: list[Line], nlp, known_names: list[str]) -> None:
    """Replace personal data in every piece, in place (nlp.text.redact, as for the quotes)."""
    from nlp.text import redact

    pieces = [p for line in lines for p in line.pieces if p.text.strip()]
    shown = redact.redact_many([p.text.strip() for p in pieces], nlp, known_names)
    for piece, text in zip(pieces, shown):
        lead = piece.text[: len(piece.text) - len(piece.text.lstrip())]
        trail = piece.text[len(piece.text.rstrip()):]
        piece.text = lead + text + trail


def show_transcripts(sources: list[tuple[Recording, Path]], quotes: list[Quote], redact_pii: bool,
                     load_nlp: Callable[[], object], previous: dict[str, ShownTranscript] | None = None) -> list[ShownTranscript]:
    """Each recording's transcript (file at the given path) as the report shows it. A transcript whose key
    is in `previous` (key -> shown, from the last run) is reused as it is; spaCy (load_nlp) loads only when
    something must be redacted anew."""
    by_recording: dict[str, list[Quote]] = {}
    for q in quotes:
        by_recording.setdefault(q.recording, []).append(q)
    previous = previous or {}
    out = []
    for recording, path in sources:
        if not path.is_file():
            continue
        raw = path.read_bytes()
        transcript = read_transcript(path)
        mine = by_recording.get(transcript.recording.path, [])
        key = shown_key(raw, recording.participant, mine, redact_pii)
        if key in previous:
            out.append(previous[key])
            continue
        from nlp.audio import speakers  # only for a transcript shown anew: a run with nothing new skips PyAV
        from nlp.text import redact

        roles = speakers.assign_roles(transcript, recording.participant)
        names = speakers.display_names(roles, recording.participant)
        lines = build_lines(transcript, roles, names, mine)
        if redact_pii:
            redact_lines(lines, load_nlp(), redact.known_people(recording.participant, roles, names))
        out.append(ShownTranscript(recording=transcript.recording.path, sha256=recording.sha256,
                                   customer=recording.customer, page=page_name(recording),
                                   duration_s=transcript.recording.duration_s, key=key, lines=lines))
    return out


def read_shown(run_dir: Path) -> list[ShownTranscript]:
    """The run's transcripts.json (empty when the run has none: made before transcripts were shown)."""
    path = run_dir / TRANSCRIPTS_FILE
    if not path.is_file():
        return []
    return TranscriptsDocument.model_validate_json(path.read_text(encoding="utf-8")).transcripts


def transcripts_json(shown: list[ShownTranscript]) -> str:
    return TranscriptsDocument(transcripts=shown).model_dump_json(indent=1) + "\n"


class PlainText(BaseModel):
    """A transcript as one plain text: "[mm:ss] Speaker: words" per line."""

    text: str
    spans: dict[str, tuple[int, int]]  # quote id -> [start, end) character offsets into text
    line_starts: list[tuple[int, float]]  # (offset of the line, its start in seconds)


def plain_text(shown: ShownTranscript) -> PlainText:
    parts: list[str] = []
    spans: dict[str, tuple[int, int]] = {}
    line_starts: list[tuple[int, float]] = []
    pos = 0
    for line in shown.lines:
        head = f"[{mmss(line.start)}] {line.speaker}: "
        line_starts.append((pos, line.start))
        parts.append(head)
        pos += len(head)
        for piece in line.pieces:
            if piece.quote_id is not None and piece.text.strip():
                # the words only: the space between two quotes of one line is neither's
                lead = len(piece.text) - len(piece.text.lstrip())
                first, _ = spans.get(piece.quote_id, (pos + lead, pos))
                spans[piece.quote_id] = (first, pos + len(piece.text.rstrip()))
            parts.append(piece.text)
            pos += len(piece.text)
        parts.append("\n")
        pos += 1
    return PlainText(text="".join(parts), spans=spans, line_starts=line_starts)
