"""Tabular feedback in the synthesis: every table in the inbox read and its new rows quoted in one task,
in this process, in batches (a Prefect task or a Dask round trip costs ~0.4 s: never one per row).

Quotes of rows seen before come from the item cache in the transcripts folder (nlp.text.written), so
a file that gains rows has only those read by spaCy and the tagger; a changed row is a new item and
its old quotes go with the old row; a removed row's quotes are dropped from the cache with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from flows import progress
from nlp.schema import Quote, Recording, Skipped
from nlp.settings import Settings
from nlp.sources.feedback import read_inbox_tables, sources_version
from nlp.text import written

BATCH = 2000  # items per extraction batch: a progress step, and bounded memory for the parsed docs


@dataclass
class FeedbackQuotes:
    quotes: list[Quote] = field(default_factory=list)
    people: dict[str, dict[str, str]] = field(default_factory=dict)  # customer -> segments (as participants.csv)
    channels: dict[str, int] = field(default_factory=dict)  # items per channel
    skipped: list[Skipped] = field(default_factory=list)
    notes: list[Skipped] = field(default_factory=list)
    new_items: int = 0
    sources: list[dict] = field(default_factory=list)  # per table: path, sheet, channel, rows, items (voc status)


@task(name="feedback quotes", cache_policy=NO_CACHE)
def feedback_quotes(tables: list[Recording], settings: Settings, max_rows: int) -> FeedbackQuotes:
    """Read every table; quote the rows not quoted before, in batches; -> quotes and what to tell about it."""
    logger = get_run_logger()
    feedback = read_inbox_tables(tables, settings.paths.inbox, settings.sources, max_rows)
    out = FeedbackQuotes(skipped=feedback.skipped, notes=feedback.notes, people=feedback.people(),
                         sources=feedback.counts(tables, sources_version(settings.sources, max_rows)))
    for source in feedback.sources:
        r = source.roles
        logger.info("%s: %d rows, %d items (%s); text %s, customer %s, date %s, segments %s", source.name, source.rows,
                    len(source.items), source.channel, r.text, r.customer or "none (each row its own customer)",
                    r.date or "none", r.segments or "none")
    for counts in out.sources:
        out.channels[counts["channel"]] = out.channels.get(counts["channel"], 0) + counts["items"]
    version = written.extraction_version(settings)
    folder = settings.paths.transcripts
    by_file: dict[str, list] = {}
    for item in feedback.items:
        by_file.setdefault(item.source, []).append(item)
    known = {key: quotes for source in by_file for key, quotes in written.load_cache(folder, source, version).items()}
    items = feedback.items
    fresh_total = sum(1 for key in {i.key for i in items} if key not in known)
    with progress.tracking("quoting feedback", fresh_total) as advance:
        entries: dict[str, list[dict]] = {}
        for start in range(0, len(items), BATCH):
            quotes, cache, fresh = written.extract_written(items[start:start + BATCH], settings, known | entries)
            out.quotes += quotes
            entries.update(cache)
            out.new_items += fresh
            advance(fresh)
    for source, its in by_file.items():
        written.save_cache(folder, source, version, {i.key: entries[i.key] for i in its})
    logger.info("%d feedback items (%d read now), %d quotes", len(items), out.new_items, len(out.quotes))
    return out
