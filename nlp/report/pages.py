"""One self-contained page per interview in reports/<run>/transcripts/: every line with its speaker
(customer and interviewer told apart), a button that plays the recording from the line's second, and
the quotes highlighted with their theme and kind, each with an anchor (#q-<quote id>) the report
links to."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from jinja2 import Environment

from nlp.report.details import TRANSCRIPTS_FOLDER
from nlp.report.transcripts import Line, ShownTranscript
from nlp.schema import Quote, ThemesDocument
from nlp.sources.inbox import MEDIA_EXTENSIONS


@dataclass
class ShownPiece:
    text: str
    quote: Quote | None
    first: bool  # the quote's first piece: carries its anchor
    last: bool  # the quote's last piece: followed by its theme and kind


@dataclass
class ShownLine:
    line: Line
    turn: bool  # a new speaker starts here
    pieces: list[ShownPiece]


def shown_lines(transcript: ShownTranscript, quotes: dict[str, Quote]) -> list[ShownLine]:
    last_piece: dict[str, tuple[int, int]] = {}
    for i, line in enumerate(transcript.lines):
        for j, piece in enumerate(line.pieces):
            if piece.quote_id:
                last_piece[piece.quote_id] = (i, j)
    seen: set[str] = set()
    out = []
    for i, line in enumerate(transcript.lines):
        pieces = []
        for j, piece in enumerate(line.pieces):
            quote = quotes.get(piece.quote_id) if piece.quote_id else None
            first = quote is not None and quote.quote_id not in seen
            if quote is not None:
                seen.add(quote.quote_id)
            pieces.append(ShownPiece(piece.text, quote, first, quote is not None and last_piece[quote.quote_id] == (i, j)))
        turn = i == 0 or line.speaker != transcript.lines[i - 1].speaker
        out.append(ShownLine(line, turn, pieces))
    return out


def transcript_pages(env: Environment, transcripts: list[ShownTranscript], quotes: list[Quote],
                     doc: ThemesDocument, people: dict[str, dict[str, str]], audio_src, assets: dict) -> dict[str, str]:
    """-> {"transcripts/<page>": html}. `audio_src(recording)` is the recording's link from the pages' folder."""
    by_id = {q.quote_id: q for q in quotes}
    template = env.get_template("transcript.html.j2")
    pages = {}
    for t in transcripts:
        playable = Path(t.recording).suffix.lower() in MEDIA_EXTENSIONS
        pages[f"{TRANSCRIPTS_FOLDER}/{t.page}"] = template.render(
            t=t, doc=doc, company=people.get(t.customer, {}).get("company", ""), lines=shown_lines(t, by_id),
            quotes=sum(1 for q in quotes if q.recording == t.recording),
            audio=audio_src(t.recording) if playable else None, **assets)
    return pages
