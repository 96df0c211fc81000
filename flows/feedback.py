"""Tabular feedback in the synthesis: every table in the inbox read and its new rows quoted in one task,
in chunks (flows.quoting: worker processes when there are several); never a Prefect task or a Dask
round trip (~0.4 s each) per row.

Quotes of rows seen before come from the item cache in the transcripts folder (nlp.text.written), so
a file that gains rows has only those read by spaCy and the tagger; a changed row is a new item and
its old quotes go with the old row; a removed row's quotes are dropped from the cache with it.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from prefect import task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from flows import progress, quoting
from nlp.schema import Quote, Recording, Skipped
from nlp.settings import Settings
from nlp.sources.feedback import read_inbox_tables, sources_version
from nlp.text import written


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
    items = feedback.items
    sources = list(dict.fromkeys(item.source for item in items))
    known = {key: fields for source in sources for key, fields in written.load_cache(folder, source, version).items()}
    fresh = len({item.key for item in items if item.key not in known})
    with progress.tracking("quoting feedback", fresh) as advance:
        for done, made in quoting.quote_items(items, settings, known):
            known.update(made)
            out.new_items += done
            advance(done)
    out.quotes = written.quotes_of_items(items, known)
    for source in sources:
        written.save_cache(folder, source, version, {i.key: known[i.key] for i in items if i.source == source})
    logger.info("%d feedback items (%d read now), %d quotes", len(items), out.new_items, len(out.quotes))
    return out
