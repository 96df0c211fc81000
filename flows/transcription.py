"""Transcribe what is new, fanned out on the configured task runner (flows.runners): one task per
recording to transcribe. Existing transcripts (.vtt .srt .txt .docx .json) are small and need no
model: they are imported together in one task, in this process, never one task or Dask round trip
per file."""

from __future__ import annotations

from pathlib import Path

from prefect import flow, task, unmapped
from prefect.cache_policies import NO_CACHE
from prefect.futures import as_completed
from prefect.logging import get_run_logger

from flows import progress
from flows.config import Operations
from flows.runners import local_worker_environment, transcription_runner
from nlp.audio.decode import AudioError
from nlp.audio.transcribe import cached_transcript
from nlp.sources.importers import TRANSCRIPT_SUFFIXES
from nlp.schema import Recording, Skipped
from nlp.settings import Settings
from nlp.sources.inbox import MEDIA_EXTENSIONS, media_duration

Outcome = tuple[str | None, bool, Skipped | None]  # (transcript path, transcribed now?, skipped reason)


@task(name="transcribe", retries=1, retry_delay_seconds=2, cache_policy=NO_CACHE)
def transcribe_recording(recording: Recording, transcripts_dir: Path, settings: Settings) -> Outcome:
    from nlp.audio.transcribe import transcribe_recording as transcribe  # imports .vtt .srt .txt .docx .json as they are
    from nlp.sources.importers import TranscriptFormatError

    try:
        path, fresh = transcribe(recording, transcripts_dir, settings.transcribe)
    except (AudioError, TranscriptFormatError) as exc:
        return None, False, Skipped(path=str(recording.path), reason=str(exc))
    get_run_logger().info("%s %s", "transcribed" if fresh else "cached", recording.path.name)
    return str(path), fresh, None


@task(name="import transcripts", cache_policy=NO_CACHE)
def import_transcripts(recordings: list[Recording], transcripts_dir: Path, settings: Settings) -> list[Outcome]:
    """Existing transcripts into the transcripts folder, all in this task; a file that does not parse is
    skipped with the reason."""
    from nlp.audio.transcribe import transcribe_recording as transcribe  # imports, never transcribes, these
    from nlp.sources.importers import TranscriptFormatError

    outcomes: list[Outcome] = []
    with progress.tracking("importing transcripts", len(recordings)) as advance:
        for recording in recordings:
            try:
                path, fresh = transcribe(recording, transcripts_dir, settings.transcribe)
                outcomes.append((str(path), fresh, None))
            except (TranscriptFormatError, OSError) as exc:
                outcomes.append((None, False, Skipped(path=str(recording.path), reason=str(exc))))
            advance(1)
    get_run_logger().info("imported %d transcript(s)", sum(1 for _, _, skip in outcomes if skip is None))
    return outcomes


def too_long(recording: Recording, max_hours: float) -> Skipped | None:
    """Decoding holds the whole recording in memory: refuse one far beyond any interview."""
    if recording.path.suffix.lower() not in MEDIA_EXTENSIONS:
        return None
    seconds = media_duration(recording.path)
    if seconds is None or seconds <= max_hours * 3600:
        return None
    return Skipped(path=str(recording.path), reason=f"recording is {seconds / 3600:.1f} h long, over the "
                   f"{max_hours:g} h limit; split it into parts, or raise run.max_recording_hours in voc.toml")


@flow(name="voc-transcribe", log_prints=True)
def transcribe_new(recordings: list[Recording], settings: Settings) -> list[Outcome]:
    """Transcribe each recording on the flow's task runner; a failure skips that recording only."""
    logger = get_run_logger()
    logger.info("transcribing %d recording(s) that have no transcript yet", len(recordings))
    futures = transcribe_recording.map(recordings, unmapped(settings.paths.transcripts), unmapped(settings))
    outcomes: dict[int, Outcome] = {}
    index = {future.task_run_id: i for i, future in enumerate(futures)}
    with progress.tracking("transcribing", len(futures)) as advance:
        for future in as_completed(futures):
            i = index[future.task_run_id]
            try:
                outcomes[i] = future.result()
            except Exception as exc:  # noqa: BLE001  one bad recording must not end the run
                logger.error("transcribing %s failed: %s", recordings[i].path.name, exc)
                outcomes[i] = (None, False, Skipped(path=str(recordings[i].path), reason=(
                    f"transcription failed ({type(exc).__name__}: {exc}); check that the file plays, "
                    "and report a bug if it does")))
            advance(1)
    return [outcomes[i] for i in range(len(recordings))]


def transcribe_all(recordings: list[Recording], settings: Settings, ops: Operations) -> list[Outcome]:
    """One outcome per recording: cached transcripts as they are, the rest transcribed now."""
    outcomes: list[Outcome | None] = [None] * len(recordings)
    todo: list[int] = []
    imports: list[int] = []
    for i, recording in enumerate(recordings):
        if cached_transcript(recording, settings.paths.transcripts, settings.transcribe) is not None:
            outcomes[i] = (str(settings.paths.transcripts / recording.cache_name), False, None)
        elif recording.path.suffix.lower() in TRANSCRIPT_SUFFIXES:
            imports.append(i)
        elif skip := too_long(recording, ops.run.max_recording_hours):
            outcomes[i] = (None, False, skip)
        else:
            todo.append(i)
    if imports:
        done = import_transcripts([recordings[i] for i in imports], settings.paths.transcripts, settings)
        for i, outcome in zip(imports, done):
            outcomes[i] = outcome
    if todo:
        runner = transcription_runner(ops, settings, len(todo))
        with local_worker_environment(ops):
            done = transcribe_new.with_options(task_runner=runner)([recordings[i] for i in todo], settings)
        for i, outcome in zip(todo, done):
            outcomes[i] = outcome
    return outcomes  # type: ignore[return-value]
