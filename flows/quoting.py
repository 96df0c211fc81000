"""Quotes of many inputs at once: transcripts, and written feedback items (table rows).

Work goes in fixed chunks (the same chunks however many cores there are, so the same input gives the
same quotes). One chunk is quoted in this process; more go to worker processes, one per core: spaCy
parses on one core per process, so a second process is the way to use a second core, and the models
the workers load (spaCy, the tagger's encoder) leave with them instead of staying in the flow's
process for the rest of the run. Workers are spawned, not forked: no thread or model state is copied.
No Prefect here: the flow's tasks call these, a worker imports only the library.
"""

from __future__ import annotations

import multiprocessing
from pathlib import Path
from typing import Callable, Iterator, Sequence, TypeVar

from nlp.audio import speakers
from nlp.schema import FeedbackItem, Quote, Recording
from nlp.settings import Settings
from nlp.sources.columns import recording_channel
from nlp.sources.formats import read_transcript
from nlp.sources.inbox import relative_name
from nlp.text import redact, tagger, written
from nlp.text.quotes import extract_quotes as quotes_of
from nlp.text.quotes import load_spacy
from nlp.themes.embed import cpu_count

ITEMS_PER_CHUNK = 500        # written items: one tagger chunk
TRANSCRIPTS_PER_CHUNK = 100  # small transcripts (a long interview is one chunk's worth on its own)
T = TypeVar("T")
R = TypeVar("R")

_settings: Settings | None = None


def channel_of(recording: Recording, settings: Settings) -> str:
    return recording_channel(relative_name(recording.path, settings.paths.inbox), settings.sources)


def transcript_quotes(pairs: Sequence[tuple[str, Recording]], settings: Settings) -> list[Quote]:
    """Quotes of many transcripts at once: one tagger pass over all of them, then redaction grouped by
    the names each recording knows (participants.csv, speaker labels)."""
    found: list[tuple[list[Quote], tuple[str, ...]]] = []
    for transcript_path, recording in pairs:
        transcript = read_transcript(Path(transcript_path))
        roles = speakers.assign_roles(transcript, recording.participant)
        names = speakers.display_names(roles, recording.participant)
        quotes = quotes_of(transcript, roles, names, recording.customer, settings.extract)
        channel = channel_of(recording, settings)
        for q in quotes:
            q.channel = channel
        found.append((quotes, tuple(redact.known_people(recording.participant, roles, names))))
    everything = [q for quotes, _ in found for q in quotes]
    for q, c in zip(everything, tagger.classify_for([q.text for q in everything], settings)):
        q.kind, q.severity, q.sentiment = c.kind, c.severity, c.sentiment
    if settings.extract.redact_pii:
        # Reports show quotes with personal data replaced; the transcript and q.verbatim keep it.
        groups: dict[tuple[str, ...], list[Quote]] = {}
        for quotes, people in found:
            groups.setdefault(people, []).extend(quotes)
        for people, quotes in groups.items():
            shown = redact.redact_many([q.text for q in quotes], load_spacy(settings.extract.spacy_model), list(people))
            for q, text in zip(quotes, shown):
                q.text = text
    return everything


def _written_chunk(items: Sequence[FeedbackItem]) -> dict[str, list[dict]]:
    return written.quote_fields(list(items), _settings)


def _transcript_chunk(pairs: Sequence[tuple[str, Recording]]) -> list[Quote]:
    return transcript_quotes(pairs, _settings)


def _start_worker(settings: Settings) -> None:
    global _settings
    import nlp  # noqa: F401  (offline mode for the model hubs)

    _settings = settings


def chunks(items: Sequence[T], size: int) -> list[Sequence[T]]:
    return [items[start:start + size] for start in range(0, len(items), size)]


def in_chunks(work: Callable[[Sequence[T]], R], parts: list[Sequence[T]], settings: Settings,
              processes: int | None = None) -> Iterator[R]:
    """work(part) for each part, in order: here for one part, else in worker processes (one per core)."""
    workers = min(processes or cpu_count(), len(parts))
    if workers <= 1:
        _start_worker(settings)
        yield from (work(part) for part in parts)
        return
    with multiprocessing.get_context("spawn").Pool(workers, initializer=_start_worker, initargs=(settings,)) as pool:
        yield from pool.imap(work, parts)


def quote_items(items: list[FeedbackItem], settings: Settings, known: dict[str, list[dict]],
                processes: int | None = None) -> Iterator[tuple[int, dict[str, list[dict]]]]:
    """Quote the items `known` lacks (each distinct item once). -> (items quoted, {key: quote fields}) per chunk."""
    fresh = list({item.key: item for item in items if item.key not in known}.values())
    parts = chunks(fresh, ITEMS_PER_CHUNK)
    for part, made in zip(parts, in_chunks(_written_chunk, parts, settings, processes)):
        yield len(part), made


def quote_transcripts(pairs: list[tuple[str, Recording]], settings: Settings,
                      processes: int | None = None) -> Iterator[tuple[int, list[Quote]]]:
    """-> (transcripts quoted, their quotes) per chunk, in order."""
    parts = chunks(pairs, TRANSCRIPTS_PER_CHUNK)
    for part, quotes in zip(parts, in_chunks(_transcript_chunk, parts, settings, processes)):
        yield len(part), quotes
