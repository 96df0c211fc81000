"""The synthesis flow: ingest -> transcribe -> extract -> themes -> rank -> report.

Tasks pass file paths and small pydantic records, never models or arrays: models load once per
process through nlp's cached loaders. Audio is transcribed one task per recording (fanned out on
Dask); everything small is handled in batches, never a task per file or row: transcripts are
imported together, quotes extracted many transcripts at a time, tables read and quoted in one task.
"""

from __future__ import annotations

from collections import Counter
from datetime import datetime

import nlp  # noqa: F401  (offline mode for the model hubs before anything loads)
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger
from prefect.utilities.annotations import quote as as_is

from flows import incremental, progress, publish, quoting, state, unchanged
from flows.publish import new_run_id
from flows.config import Operations
from flows.feedback import FeedbackQuotes, feedback_quotes
from flows.lock import run_lock
from flows.transcription import transcribe_all
from nlp import store
from nlp.report import writers
from nlp.schema import Quote, Recording, RunInfo, ThemesDocument
from nlp.settings import Settings
from nlp.sources.inbox import Inbox
from nlp.text.quotes import load_spacy
from nlp.themes import cluster, embed, rank
from nlp.workspace.edits import EditLog, edits_markdown
from nlp.workspace.runs import curated_synthesis


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_inbox(settings: Settings, ops: Operations) -> tuple[Inbox, str]:
    """Scan the inbox (content hashes of unchanged files remembered) -> (inbox, its fingerprint)."""
    return unchanged.scan(settings, ops)


@task(name="extract quotes (batch)", cache_policy=NO_CACHE)
def extract_quotes_batch(pairs: list[tuple[str, Recording]], settings: Settings) -> list[Quote]:
    """Quotes of many transcripts, in chunks: in worker processes when there are several chunks."""
    quotes: list[Quote] = []
    with progress.tracking("quoting transcripts", len(pairs)) as advance:
        for done, part in quoting.quote_transcripts(pairs, settings):
            quotes += part
            advance(done)
    return quotes


@task(name="themes and ranking", cache_policy=NO_CACHE)
def find_themes(quotes: list[Quote], recordings: list[Recording], run: RunInfo, settings: Settings,
                people: dict[str, dict[str, str]] | None = None) -> tuple[ThemesDocument, list[Quote], list]:
    """Cluster, match theme ids to voc's own themes of the last run, then replay the researcher's
    edits onto them (nlp.workspace) and rank. `people`: table customers' segments, beside the
    recordings' participants.csv rows."""
    texts = [q.text for q in quotes]
    vectors = progress.embed_with_progress(texts, settings)
    spacy_nlp = load_spacy(settings.extract.spacy_model)
    history = store.Store(settings.store_url)
    own, placed = history.last_run_memory()  # the last run's themes stay apart (cluster.keep_apart)
    drafts, _ = cluster.build_themes(texts, vectors, settings.themes, spacy_nlp, encode=embed.encoder_for(settings),
                                     previous=[placed.get(q.quote_id) for q in quotes], last=own)
    general = {quotes[m].quote_id for d in drafts if d.general for m in d.members}
    drafts = [d for d in drafts if not d.general]  # "Great app!" is counted apart, never ranked as a theme
    ids = history.theme_ids_for([d.centroid for d in drafts], own)
    participants = publish.people_of(recordings, people)
    doc, curated, centroids = curated_synthesis(quotes, vectors, drafts, ids, run, participants, settings,
                                                lambda: spacy_nlp)
    rank.count_general_apart(doc, curated, vectors, general, settings.report.top_quotes)
    return doc, curated, centroids


@task(name="write report", cache_policy=NO_CACHE)
def write_report(doc: ThemesDocument, quotes: list[Quote], recordings: list[Recording], centroids: list,
                 settings: Settings, people: dict[str, dict[str, str]] | None = None) -> str:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    people = publish.people_of(recordings, people)
    run_dir, trend = publish.publish(doc, quotes, recordings, people, centroids, settings)
    # Fixed keys: the Prefect UI shows each run's takeaways and ranking as the history of one artifact.
    takeaways, table = writers.summary(doc, quotes, people, trend)
    where = f"Run {doc.run.id}: {run_dir / 'report.html'}"
    create_markdown_artifact(key="voc-takeaways", markdown=takeaways, description=where)
    create_table_artifact(key="voc-themes", table=table, description=where)
    log = EditLog(settings.store_url)
    record = log.run_record(doc.run.id)
    if record and record[0]:
        create_markdown_artifact(key="voc-edits", markdown=edits_markdown(log.all(record[0]), record[1], doc.run.id),
                                 description=where)
    return str(run_dir)


@flow(name="voc-synthesis", log_prints=True)
def synthesize(settings: Settings | None = None, operations: Operations | None = None) -> dict:
    """One synthesis over the inbox. -> {"report": run folder, "skipped": [...], "reused": bool, ...}

    One run at a time per project (a lock on the state folder): a second one waits, then gives up
    with a message. What a killed run left half-done is cleaned up first."""
    settings = settings or Settings()
    ops = operations or Operations()
    logger = get_run_logger()
    with run_lock(settings.paths.state, ops.run.lock_wait_s, "voc synthesis", on_wait=logger.warning):
        for line in state.recover_reports(settings.paths.reports):
            logger.warning(line)
        return _synthesize(settings, ops, logger)


def _synthesize(settings: Settings, ops: Operations, logger) -> dict:
    started = publish.utc_now()
    inbox, fingerprint = ingest_inbox(settings, ops)
    for skip in inbox.skipped:
        logger.warning("skipped %s: %s", skip.path, skip.reason)

    def write(doc, quotes, recordings, centroids, people) -> str:
        logger.info("writing the report")
        return write_report(doc, as_is(quotes), recordings, centroids, settings, as_is(people))

    previous = incremental.reusable_run(settings, fingerprint)
    if previous is not None:
        logger.info("nothing new since run %s: reusing its themes and quotes", previous.name)
        doc, quotes, run_dir = unchanged.carry_over(settings, inbox, fingerprint, previous, started, write)
    else:
        doc, quotes, run_dir = _synthesize_anew(settings, ops, logger, inbox, fingerprint, started, write)
    logger.info("%d themes from %d quotes of %d recordings and %d table items; report in %s", len(doc.themes),
                len(quotes), doc.run.recordings, sum(doc.run.channels.values()) - doc.run.recordings, run_dir)
    return unchanged.result_of(doc, quotes, run_dir, reused=previous is not None)


def _synthesize_anew(settings: Settings, ops: Operations, logger, inbox: Inbox, fingerprint: str, started: datetime,
                     write: unchanged.Writer) -> tuple[ThemesDocument, list[Quote], str]:
    """Something changed: quote what is new, find and rank themes, write the report. -> (doc, quotes, run folder)"""
    run = RunInfo(id=new_run_id(settings.paths.reports, started), started_at=started.isoformat(timespec="seconds"),
                  skipped=list(inbox.skipped))
    quotes, used = quotes_of_recordings(inbox.recordings, run, settings, ops, logger)
    feedback = feedback_quotes(inbox.tables, settings, ops.run.max_table_rows) if inbox.tables else FeedbackQuotes()
    for skip in feedback.skipped:
        logger.warning("skipped %s: %s", skip.path, skip.reason)
    for note in feedback.notes:
        logger.info("%s: %s", note.path, note.reason)
    run.skipped += feedback.skipped
    run.notes += feedback.notes
    run.new_items = feedback.new_items
    for channel, n in feedback.channels.items():
        run.channels[channel] = run.channels.get(channel, 0) + n
    quotes += feedback.quotes
    logger.info("finding themes in %d quotes", len(quotes))
    doc, quotes, centroids = find_themes(as_is(quotes), used, run, settings, as_is(feedback.people))
    doc.run.finished_at = publish.utc_now().isoformat(timespec="seconds")
    run_dir = write(doc, quotes, used, centroids, feedback.people)
    state.save_last_run(settings.paths.state, doc.run.id, fingerprint, run_dir, feedback.people, feedback.sources)
    return doc, quotes, run_dir


def quotes_of_recordings(recordings: list[Recording], run: RunInfo, settings: Settings, ops: Operations,
                         logger) -> tuple[list[Quote], list[Recording]]:
    """Transcribe what is new (a task per recording), import transcripts, extract quotes in batches.
    -> (quotes, the recordings used); the skipped ones are added to `run`."""
    quotes: list[Quote] = []
    used: list[Recording] = []
    transcribed: list[tuple[str, Recording]] = []
    outcomes = transcribe_all(recordings, settings, ops)
    logger.info("extracting quotes from %d transcripts", sum(1 for _, _, skip in outcomes if not skip))
    for recording, (path, fresh, skip) in zip(recordings, outcomes):
        if skip:
            logger.warning("skipped %s: %s", skip.path, skip.reason)
            run.skipped.append(skip)
            continue
        run.new_recordings += fresh
        used.append(recording)
        transcribed.append((path, recording))
    if transcribed:
        quotes += extract_quotes_batch(transcribed, settings)
    run.recordings = len(used)
    run.channels = dict(Counter(quoting.channel_of(r, settings) for r in used))
    return quotes, used
