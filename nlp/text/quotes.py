"""Customer quotes: the customer's exact words, spaCy sentences grouped into quotes that stand on
their own, with start and end seconds taken from the words."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.text.display import display_text
from nlp.schema import Quote, Segment, Transcript, Word
from nlp.settings import ExtractSettings

# A sentence opening with one of these leans on the one before it ("It crashes every day.").
LEANING_OPENERS = {"it", "that", "this", "they", "those", "these", "which", "so", "and", "but", "because",
                   "she", "he", "also"}


@lru_cache(maxsize=2)
def load_spacy(name: str):
    import spacy

    return spacy.load(name)


@dataclass
class Turn:
    """Consecutive words of one speaker, with each word's character offset in `text`."""

    speaker: str | None
    words: list[Word]
    offsets: list[int]
    text: str


def words_of(segment: Segment) -> list[Word]:
    if segment.words:
        return segment.words
    # Imported transcripts carry no word times: spread the segment's time over its words.
    tokens = segment.text.split()
    step = (segment.end - segment.start) / max(len(tokens), 1)
    return [Word(start=segment.start + i * step, end=segment.start + (i + 1) * step, word=" " + t)
            for i, t in enumerate(tokens)]


def turns_of(transcript: Transcript, roles: dict[str, str], role: str = "customer") -> list[Turn]:
    turns: list[Turn] = []
    current: list[Word] = []
    speaker = None
    for seg in transcript.segments + [Segment(start=0, end=0, speaker="\0end", text="")]:
        seg_role = roles.get(seg.speaker, "customer") if seg.speaker != "\0end" else None
        if (seg.speaker != speaker or seg_role != role) and current:
            turns.append(_turn(speaker, current))
            current = []
        speaker = seg.speaker
        if seg_role == role:
            current += words_of(seg)
    return turns


def _turn(speaker: str | None, words: list[Word]) -> Turn:
    offsets, parts, pos = [], [], 0
    for w in words:
        token = w.word  # Whisper's words carry their leading space; "-on" in "sign-on" does not
        offsets.append(pos + len(token) - len(token.lstrip()))
        parts.append(token)
        pos += len(token)
    text = "".join(parts)
    lead = len(text) - len(text.lstrip())
    return Turn(speaker, words, [o - lead for o in offsets], text.strip())


def written_turn(text: str) -> Turn:
    """A written text (a survey answer, a review) as one turn: its words, without times."""
    return _turn(None, [Word(start=0.0, end=0.0, word=" " + w) for w in text.split()])


def _word_span(turn: Turn, start_char: int, end_char: int) -> list[Word]:
    return [w for w, o in zip(turn.words, turn.offsets) if start_char <= o < end_char]


def _leans_back(sentence_text: str) -> bool:
    """A sentence that refers back, or one Whisper cut off mid-sentence (lower-case start)."""
    text = sentence_text.strip()
    first = re.split(r"\W+", text.lower(), maxsplit=1)[0]
    return first in LEANING_OPENERS or text[:1].islower()


def quotes_from_turn(turn: Turn, doc, settings: ExtractSettings) -> list[tuple[list, list[Word]]]:
    """Group a turn's sentences into self-contained quotes of 1..max_sentences sentences.
    -> [(sentence spans, words)]. A sentence that leans on the one before it ("It crashes.")
    joins that sentence's quote; when that quote is full, the sentence it leans on moves over."""
    groups: list[list] = []
    for sent in doc.sents:
        words = _word_span(turn, sent.start_char, sent.end_char)
        if not words:
            continue
        last = groups[-1] if groups else None
        short = last is not None and sum(len(display_text(s).split()) for s, _ in last) < settings.min_words
        if last and (_leans_back(sent.text) or short):
            if len(last) < settings.max_sentences:
                last.append((sent, words))
                continue
            if len(last) > 1 and not _leans_back(last[-1][0].text):
                groups.append([last.pop(), (sent, words)])
                continue
        groups.append([(sent, words)])
    quotes = []
    for group in groups:
        shown = " ".join(display_text(s) for s, _ in group)
        if len(shown.split()) >= settings.min_words:
            quotes.append(([s for s, _ in group], [w for _, ws in group for w in ws]))
    return quotes


def extract_quotes(transcript: Transcript, roles: dict[str, str], names: dict[str, str], customer: str,
                   settings: ExtractSettings) -> list[Quote]:
    """All quotes of the customer speakers in one transcript, in time order. `verbatim` is the
    customer's exact words; `text` is the same without fillers, for display."""
    nlp = load_spacy(settings.spacy_model)
    turns = turns_of(transcript, roles)
    sha8 = transcript.recording.sha256[:8]
    quotes: list[Quote] = []
    taken: dict[str, int] = {}
    for turn, doc in zip(turns, nlp.pipe(t.text for t in turns)):
        for sentences, words in quotes_from_turn(turn, doc, settings):
            start, end = round(words[0].start, 2), round(words[-1].end, 2)
            quote_id = f"{sha8}-{int(start * 1000):07d}"
            # A transcript without times (a plain-text paragraph) starts every quote at 0: number the repeats.
            taken[quote_id] = taken.get(quote_id, 0) + 1
            quotes.append(Quote(
                quote_id=quote_id if taken[quote_id] == 1 else f"{quote_id}-{taken[quote_id]}",
                recording=transcript.recording.path,
                customer=customer, speaker=names.get(turn.speaker, turn.speaker), role="customer",
                start=start, end=end, verbatim=" ".join(s.text.strip() for s in sentences),
                text=" ".join(display_text(s) for s in sentences),
            ))
    return quotes
