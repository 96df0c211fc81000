"""The synthesis flow: ingest -> transcribe -> extract -> themes -> rank -> report.

Tasks pass file paths and small pydantic records, never models or arrays: models load once per
process through nlp's cached loaders.
"""

from __future__ import annotations

from datetime import datetime, timezone
from pathlib import Path

import nlp  # noqa: F401  (offline mode for the model hubs before anything loads)
from prefect import flow, task
from prefect.cache_policies import NO_CACHE
from prefect.logging import get_run_logger

from flows import incremental, progress, state
from flows.config import Operations
from flows.lock import run_lock
from flows.transcription import transcribe_all
from nlp import store
from nlp.audio import speakers
from nlp.report import transcripts, writers
from nlp.schema import Quote, Recording, RunInfo, ThemesDocument
from nlp.settings import Settings
from nlp.sources.formats import read_transcript
from nlp.sources.inbox import Inbox, scan_inbox
from nlp.text import redact, tagger
from nlp.text.quotes import load_spacy
from nlp.text.quotes import extract_quotes as quotes_of
from nlp.themes import cluster
from nlp.workspace.edits import EditLog, edits_markdown
from nlp.workspace.runs import curated_synthesis


@task(name="ingest", cache_policy=NO_CACHE)
def ingest_inbox(inbox: Path, state_dir: Path | None = None) -> Inbox:
    """Scan the inbox; with a state folder, content hashes of unchanged files are remembered there."""
    known = state.load_hashes(state_dir) if state_dir else None
    found = scan_inbox(inbox, known)
    if state_dir:
        state.save_hashes(state_dir, known, {str(r.path) for r in found.recordings} | {s.path for s in found.skipped})
    return found


@task(name="extract quotes", cache_policy=NO_CACHE)
def extract_quotes(transcript_path: str, recording: Recording, settings: Settings) -> list[Quote]:
    transcript = read_transcript(Path(transcript_path))
    roles = speakers.assign_roles(transcript, recording.participant)
    names = speakers.display_names(roles, recording.participant)
    quotes = quotes_of(transcript, roles, names, recording.customer, settings.extract)
    for q, c in zip(quotes, tagger.classify_for([q.text for q in quotes], settings)):
        q.kind, q.severity, q.sentiment = c.kind, c.severity, c.sentiment
    if settings.extract.redact_pii:
        # Reports show quotes with personal data replaced; the transcript and q.verbatim keep it.
        shown = redact.redact_many([q.text for q in quotes], load_spacy(settings.extract.spacy_model),
                                   redact.known_people(recording.participant, roles, names))
        for q, text in zip(quotes, shown):
            q.text = text
    return quotes


@task(name="themes and ranking", cache_policy=NO_CACHE)
def find_themes(quotes: list[Quote], recordings: list[Recording], run: RunInfo, settings: Settings) -> tuple[ThemesDocument, list[Quote], list]:
    """Cluster, match theme ids to voc's own themes of the last run, then replay the researcher's
    edits onto them (nlp.workspace) and rank."""
    texts = [q.text for q in quotes]
    vectors = progress.embed_with_progress(texts, settings)
    spacy_nlp = load_spacy(settings.extract.spacy_model)
    drafts, _ = cluster.build_themes(texts, vectors, settings.themes, spacy_nlp)
    history = store.Store(settings.store_url)
    ids = history.theme_ids_for([d.centroid for d in drafts], history.last_run_clusters())
    participants = {r.customer: r.participant for r in recordings}
    return curated_synthesis(quotes, vectors, drafts, ids, run, participants, settings, lambda: spacy_nlp)


@task(name="write report", cache_policy=NO_CACHE)
def write_report(doc: ThemesDocument, quotes: list[Quote], recordings: list[Recording], centroids: list,
                 settings: Settings) -> str:
    from prefect.artifacts import create_markdown_artifact, create_table_artifact

    people = {r.customer: r.participant for r in recordings}
    history = store.Store(settings.store_url)
    trend = writers.run_history(history.history, doc)
    shown = show_transcripts(quotes, recordings, settings)
    run_dir = writers.write_report(doc, quotes, settings.paths.reports, people, trend, shown)
    # Recorded only once the report is safely on disk: an interrupted run leaves no trace in history.
    import numpy as np

    history.save_run(
        doc.run.id, doc.run.started_at, doc.run.finished_at or "", doc.run.recordings,
        [(i, label, n, score, np.array(c)) for i, label, n, score, c in centroids])
    history.save_quotes(doc.run.id, quotes)
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


def show_transcripts(quotes: list[Quote], recordings: list[Recording], settings: Settings) -> list[transcripts.ShownTranscript]:
    """The run's transcripts as its report shows them. Those the last run showed alike (same transcript,
    people, quotes and redaction) are taken from its transcripts.json: a run with nothing new loads no model."""
    last = state.load_last_run(settings.paths.state).get("report")
    previous = {t.key: t for t in transcripts.read_shown(Path(last))} if last else {}
    sources = [(r, settings.paths.transcripts / r.cache_name) for r in recordings]
    return transcripts.show_transcripts(sources, quotes, settings.extract.redact_pii,
                                        lambda: load_spacy(settings.extract.spacy_model), previous)


def new_run_id(reports_dir: Path, now: datetime) -> str:
    base = now.strftime("%Y%m%d-%H%M%S")
    run_id, n = base, 1
    while (reports_dir / run_id).exists():
        n += 1
        run_id = f"{base}-{n}"
    return run_id


@task(name="reuse last run", cache_policy=NO_CACHE)
def reuse_last_run(previous_dir: Path, run: RunInfo, recordings: list[Recording],
                   settings: Settings) -> tuple[ThemesDocument, list[Quote], list]:
    """Nothing new: the last run's themes and quotes, with trends against it. Loads no model."""
    previous = ThemesDocument.model_validate_json((previous_dir / "themes.json").read_text(encoding="utf-8"))
    # Recordings that failed to transcribe last time fail again: carry their reasons over.
    paths = {str(r.path) for r in recordings}
    failed = [s for s in previous.run.skipped if s.path in paths]
    run.skipped += failed
    run.recordings = len(recordings) - len(failed)
    return incremental.rerun(previous_dir, run, settings)


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
    started = datetime.now(timezone.utc)
    inbox = ingest_inbox(settings.paths.inbox, settings.paths.state)
    for skip in inbox.skipped:
        logger.warning("skipped %s: %s", skip.path, skip.reason)
    run = RunInfo(id=new_run_id(settings.paths.reports, started), started_at=started.isoformat(timespec="seconds"),
                  skipped=list(inbox.skipped))
    fingerprint = incremental.fingerprint(inbox.recordings, settings)
    previous = incremental.reusable_run(settings, fingerprint)
    if previous is not None:
        logger.info("nothing new since run %s: reusing its themes and quotes", previous.name)
        used = inbox.recordings
        doc, quotes, centroids = reuse_last_run(previous, run, used, settings)
    else:
        quotes: list[Quote] = []
        used = []
        outcomes = transcribe_all(inbox.recordings, settings, ops)
        logger.info("extracting quotes from %d transcripts", sum(1 for _, _, skip in outcomes if not skip))
        for recording, (path, fresh, skip) in zip(inbox.recordings, outcomes):
            if skip:
                logger.warning("skipped %s: %s", skip.path, skip.reason)
                run.skipped.append(skip)
                continue
            run.new_recordings += fresh
            used.append(recording)
            quotes += extract_quotes(path, recording, settings)
        run.recordings = len(used)
        logger.info("finding themes in %d quotes", len(quotes))
        doc, quotes, centroids = find_themes(quotes, used, run, settings)
    doc.run.finished_at = datetime.now(timezone.utc).isoformat(timespec="seconds")
    logger.info("writing the report")
    run_dir = write_report(doc, quotes, used, centroids, settings)
    state.save_last_run(settings.paths.state, doc.run.id, fingerprint, run_dir)
    logger.info("%d themes from %d quotes of %d recordings; report in %s", len(doc.themes), len(quotes),
                doc.run.recordings, run_dir)
    return {"report": run_dir, "themes": len(doc.themes), "quotes": len(quotes), "reused": previous is not None,
            "new_recordings": doc.run.new_recordings, "skipped": [s.model_dump() for s in doc.run.skipped]}
