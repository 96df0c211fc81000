"""One run at a time per project: an OS file lock (flock) on the state folder.

The kernel drops the lock when its holder dies, even by SIGKILL, so a crashed run never leaves a
stale lock behind. (Prefect's FileSystemLockManager is not used: it races under concurrency.)
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from typing import Iterator

from filelock import FileLock, Timeout

from nlp.sources.formats import write_atomic

LOCK_FILE = "run.lock"
HOLDER_FILE = "run.lock.json"


class RunLocked(RuntimeError):
    """Another voc process holds the project; the message says which and what to do."""


def holder(state: Path) -> dict:
    """Who holds (or last held) the lock: {pid, what, since}; empty when unknown."""
    try:
        return json.loads((state / HOLDER_FILE).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}


def describe_holder(state: Path) -> str:
    info = holder(state)
    if not info:
        return "another voc process"
    return f"{info.get('what', 'a voc run')} (pid {info.get('pid')}, since {info.get('since')})"


@contextmanager
def run_lock(state: Path, wait_s: float, what: str = "voc run", on_wait=None) -> Iterator[None]:
    """Hold the project's run lock; wait up to `wait_s` seconds for another holder, then raise RunLocked.
    `on_wait(message)` is called once if the lock is busy, before waiting. Re-entrant in one thread."""
    state.mkdir(parents=True, exist_ok=True)
    # One lock object per file, its state per thread: the thread that holds the lock may take it again
    # (`voc run` takes it before its flow does), any other thread or process waits.
    lock = FileLock(state / LOCK_FILE, is_singleton=True)
    if lock.is_locked:
        yield
        return
    try:
        lock.acquire(timeout=0)
    except Timeout:
        busy = describe_holder(state)
        if wait_s <= 0:
            raise RunLocked(f"{busy} is already working on this project ({state}); wait for it to finish, "
                            f"or stop it, then run again") from None
        if on_wait:
            on_wait(f"{busy} is working on this project; waiting up to {wait_s:.0f} s for it to finish")
        try:
            lock.acquire(timeout=wait_s)
        except Timeout:
            raise RunLocked(f"{describe_holder(state)} still holds this project ({state}) after {wait_s:.0f} s; "
                            "wait for it to finish or stop it, then run again (run.lock_wait_s in voc.toml "
                            "sets how long to wait)") from None
    try:
        write_atomic(state / HOLDER_FILE, json.dumps({
            "pid": os.getpid(), "what": what, "since": datetime.now(timezone.utc).isoformat(timespec="seconds")}))
        yield
    finally:
        lock.release()


def is_held(state: Path) -> bool:
    """Whether some process holds the project's lock now (probed without waiting)."""
    if not (state / LOCK_FILE).exists():
        return False
    probe = FileLock(state / LOCK_FILE)  # an object of its own: it sees any holder, this process included
    try:
        probe.acquire(timeout=0)
    except Timeout:
        return True
    probe.release()
    return False
