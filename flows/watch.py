"""Pick-up between nightly runs: poll the inbox and transcribe new recordings as they arrive, so
the nightly synthesis itself is quick. A file whose size or modification time changed since the
previous pass is still being copied in and waits for a later pass."""

from __future__ import annotations

import threading
from pathlib import Path

from prefect import flow
from prefect.logging import get_logger

from flows import state
from flows.config import Operations
from flows.lock import RunLocked, run_lock
from flows.transcription import Outcome, transcribe_all
from nlp.sources import inbox
from nlp.schema import Recording
from nlp.settings import Settings
from nlp.audio.transcribe import cached_transcript

logger = get_logger("voc.pickup")


@flow(name="voc-pickup", log_prints=True)
def pick_up(recordings: list[Recording], settings: Settings, operations: Operations) -> list[Outcome]:
    """Transcribe newly arrived recordings (a flow, so the Prefect UI shows the work)."""
    return transcribe_all(recordings, settings, operations)


class Pickup:
    """One `run_once()` per poll; remembers what it saw, what is done and what failed."""

    def __init__(self, settings: Settings, ops: Operations, batch: int = 4):
        self.settings, self.ops, self.batch = settings, ops, batch
        self.seen: dict[str, tuple[int, int]] = {}  # path -> (size, mtime) at the previous pass
        self.done: set[str] = set()                 # content hashes with a transcript
        self.failed: set[str] = set()               # content hashes that could not be transcribed

    def _settled(self, now: dict[str, tuple[int, int]]):
        def settled(path: Path) -> bool:
            st = path.stat()
            now[str(path)] = (st.st_size, st.st_mtime_ns)
            return self.seen.get(str(path)) == now[str(path)]
        return settled

    def scan(self) -> tuple[list[Recording], list[Path]]:
        """-> (settled recordings without a transcript, files still changing)."""
        now: dict[str, tuple[int, int]] = {}
        known = state.load_hashes(self.settings.paths.state)
        found = inbox.scan_inbox(self.settings.paths.inbox, known, settled=self._settled(now))
        state.save_hashes(self.settings.paths.state, known, {str(r.path) for r in found.recordings})
        self.seen = now
        todo = []
        for recording in found.recordings:
            if recording.sha256 in self.done | self.failed:
                continue
            if cached_transcript(recording, self.settings.paths.transcripts, self.settings.transcribe) is not None:
                self.done.add(recording.sha256)
            else:
                todo.append(recording)
        return todo, found.waiting

    def run_once(self) -> dict[str, list[str]]:
        """One pass. -> {"transcribed": [...], "failed": [...], "waiting": [...]} (file names)."""
        todo, waiting = self.scan()
        report: dict[str, list[str]] = {"transcribed": [], "failed": [], "waiting": [p.name for p in waiting]}
        if waiting:
            logger.info("still being copied, left for the next pass: %s", ", ".join(report["waiting"]))
        for start in range(0, len(todo), self.batch):
            part = todo[start:start + self.batch]
            try:
                # Batch by batch, so a nightly synthesis waits at most one batch for the lock.
                with run_lock(self.settings.paths.state, 0, "voc pickup (transcribing new recordings)"):
                    outcomes = pick_up(part, self.settings, self.ops)
            except RunLocked:
                logger.info("a synthesis is running; %d new recording(s) wait for the next pass", len(todo) - start)
                break
            for recording, (path, _, skip) in zip(part, outcomes):
                if skip:
                    self.failed.add(recording.sha256)
                    report["failed"].append(recording.path.name)
                    logger.warning("cannot transcribe %s: %s", recording.path.name, skip.reason)
                else:
                    self.done.add(recording.sha256)
                    report["transcribed"].append(recording.path.name)
        return report


def watch(settings: Settings, ops: Operations, stop: threading.Event) -> None:
    """Poll until `stop` is set (the loop of `voc serve`'s pick-up thread)."""
    pickup = Pickup(settings, ops)
    while True:
        try:
            pickup.run_once()
        except Exception:  # noqa: BLE001  a bad pass must not end the watch; the next one retries
            logger.exception("pick-up pass failed; retrying in %.0f s", ops.schedule.pickup_interval_s)
        if stop.wait(ops.schedule.pickup_interval_s):
            return
