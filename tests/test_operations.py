"""Running voc unattended: the run lock, incremental ("nothing new") runs, pick-up of new
recordings, progress and `voc status`."""

from __future__ import annotations

import itertools
import json
import os
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import datetime, timedelta
from pathlib import Path

import pytest

from conftest import JFK, ROOT, project_settings, require


def copy_project(settings, root: Path):
    """A copy of a finished project (transcripts, reports, state) that a test may change freely."""
    copy = project_settings(root, settings.paths.inbox)
    for name in ("transcripts", "reports", "state"):
        shutil.copytree(getattr(settings.paths, name), getattr(copy.paths, name), symlinks=True)
    return copy


def no_dask():
    from flows.config import Operations

    ops = Operations()
    ops.dask.enabled = False
    return ops


# --- the run lock ---

def test_second_run_waits_for_the_lock_then_gives_up_with_a_message(tmp_path: Path):
    from flows.lock import RunLocked, run_lock

    held, release = threading.Event(), threading.Event()

    def first():
        with run_lock(tmp_path, 0, "nightly synthesis"):
            held.set()
            release.wait(10)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait(10)
    with pytest.raises(RunLocked, match=r"nightly synthesis \(pid \d+.*already working on this project"):
        with run_lock(tmp_path, 0):
            pass
    waits = []
    threading.Timer(0.5, release.set).start()
    started = time.monotonic()
    with run_lock(tmp_path, 30, on_wait=waits.append):
        waited = time.monotonic() - started
        with run_lock(tmp_path, 0):  # the holder's own thread may take it again (`voc run`, then its flow)
            pass
    thread.join()
    assert waits and "waiting up to 30 s" in waits[0] and waited >= 0.4


def test_lock_of_a_killed_process_is_free_at_once(tmp_path: Path):
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time; from pathlib import Path; from flows.lock import run_lock\n"
        "with run_lock(Path(sys.argv[1]), 0, 'doomed run'):\n"
        "    print('held', flush=True); time.sleep(60)\n"), str(tmp_path)], cwd=ROOT, stdout=subprocess.PIPE, text=True)
    assert holder.stdout.readline().strip() == "held"
    from flows.lock import RunLocked, run_lock

    with pytest.raises(RunLocked, match="doomed run"):
        with run_lock(tmp_path, 0):
            pass
    holder.send_signal(signal.SIGKILL)
    holder.wait(10)
    with run_lock(tmp_path, 0):  # the kernel dropped the dead holder's lock
        pass


# --- crash recovery of reports/ ---

def test_interrupted_latest_refresh_is_restored_and_staging_removed(tmp_path: Path):
    from flows.state import recover_reports

    reports = tmp_path / "reports"
    (reports / "run-1").mkdir(parents=True)
    (reports / "run-1" / "themes.json").write_text("{}")
    (reports / ".latest.old").mkdir()  # killed between the two renames of refresh_latest
    (reports / ".latest.old" / "themes.json").write_text('{"run": 1}')
    (reports / ".run-2.tmp").mkdir()  # killed while writing run-2
    (reports / ".run-2.tmp" / "report.html").write_text("<html")
    done = recover_reports(reports)
    assert (reports / "latest" / "themes.json").read_text() == '{"run": 1}'
    assert sorted(p.name for p in reports.iterdir()) == ["latest", "run-1"]
    assert len(done) == 2


# --- incremental runs ---

def test_fingerprint_follows_content_participants_and_settings(tmp_path: Path):
    from flows.incremental import fingerprint
    from nlp.schema import Recording
    from nlp.settings import Settings

    rec = Recording(path=Path("recordings/a.ogg"), sha256="ab" * 32, participant={"customer": "Ann"})
    base = fingerprint([rec], Settings())
    assert fingerprint([rec.model_copy()], Settings()) == base
    assert fingerprint([rec.model_copy(update={"sha256": "cd" * 32})], Settings()) != base
    assert fingerprint([rec.model_copy(update={"participant": {"customer": "Bo"}})], Settings()) != base
    tuned = Settings()
    tuned.themes.min_cluster_size += 1
    assert fingerprint([rec], tuned) != base
    moved = Settings()
    moved.paths.reports = tmp_path  # where reports go does not change what they say
    assert fingerprint([rec], moved) == base


def test_progress_covers_transcription_and_embedding(sample_run):
    _, result, events = sample_run
    totals = {stage: total for kind, stage, total in events if kind == "start"}
    done = {}
    for kind, stage, n in events:
        if kind == "advance":
            done[stage] = done.get(stage, 0) + n
    assert totals["transcribing"] == done["transcribing"] == 7
    assert totals["embedding quotes"] == done["embedding quotes"] == result["quotes"]


def test_nothing_new_reuses_the_last_run_without_loading_a_model(sample_run, tmp_path: Path, monkeypatch):
    from flows import publish
    from flows.synthesis import synthesize
    from nlp.text.tagger import load_pipeline
    from nlp.themes.encoder import load_encoder
    from nlp.themes.embed_onnx import _load_onnx_encoder
    from nlp.text.quotes import load_spacy
    from nlp.audio.engines import _load_faster_whisper, _load_openai_whisper

    settings = copy_project(sample_run[0], tmp_path)
    first = Path(sample_run[1]["report"])
    # The clock ticks on from the sample run's start, a second per reading: the runs' dates (and so
    # their themes' "steady since ...") stay those of a suite that did not cross midnight.
    sample_start = datetime.fromisoformat(json.loads((first / "themes.json").read_text())["run"]["started_at"])
    ticks = itertools.count(1)
    monkeypatch.setattr(publish, "utc_now", lambda: sample_start + timedelta(seconds=next(ticks)))
    loaders = (load_encoder, _load_onnx_encoder, load_spacy, load_pipeline, _load_faster_whisper, _load_openai_whisper)
    for loader in loaders:
        loader.cache_clear()
    reused = synthesize(settings, no_dask())
    assert reused["reused"] and reused["new_recordings"] == 0
    assert [loader.cache_info().currsize for loader in loaders] == [0] * len(loaders)
    old = json.loads((first / "themes.json").read_text())
    new = json.loads((Path(reused["report"]) / "themes.json").read_text())
    assert new["run"]["id"] != old["run"]["id"] and new["run"]["recordings"] == 7
    assert all(t["trend"] == "steady" and "steady since 20" in t["why"] for t in new["themes"])
    assert (Path(reused["report"]) / "quotes.csv").read_text() == (first / "quotes.csv").read_text()

    # Computing the same run from scratch gives exactly what the reuse gave.
    (settings.paths.state / "last_run.json").unlink()
    recomputed = synthesize(settings, no_dask())
    assert not recomputed["reused"]
    again = json.loads((Path(recomputed["report"]) / "themes.json").read_text())
    for doc in (new, again):
        doc.pop("run")
    assert again == new
    assert (Path(recomputed["report"]) / "quotes.csv").read_text() == (first / "quotes.csv").read_text()


# --- pick-up between nightly runs ---

def test_pickup_leaves_files_being_copied_for_a_later_pass(prefect_harness, tmp_path: Path):
    from flows.watch import Pickup

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    settings = project_settings(tmp_path, inbox)
    pickup = Pickup(settings, no_dask())
    audio = require(JFK).read_bytes()
    target = inbox / "arriving call.flac"
    target.write_bytes(audio[: len(audio) // 3])  # a copy in progress
    (inbox / "broken.mp3").write_bytes(os.urandom(4096))
    first = pickup.run_once()
    assert first["transcribed"] == [] and set(first["waiting"]) == {"arriving call.flac", "broken.mp3"}
    with open(target, "ab") as f:
        f.write(audio[len(audio) // 3:])  # the copy goes on: changed since the last pass
    second = pickup.run_once()
    assert second["transcribed"] == [] and "arriving call.flac" in second["waiting"]
    assert second["failed"] == ["broken.mp3"]  # settled, but not audio: reported once
    third = pickup.run_once()  # unchanged since the last pass: settled
    assert third == {"transcribed": ["arriving call.flac"], "failed": [], "waiting": []}
    transcripts = list(settings.paths.transcripts.glob("arriving call-*.json"))
    assert len(transcripts) == 1
    assert "ask not what your country" in transcripts[0].read_text().lower()
    assert pickup.run_once() == {"transcribed": [], "failed": [], "waiting": []}
    assert target.read_bytes() == audio  # the inbox is read, never written


# --- voc status ---

def test_status_shows_inbox_last_run_and_next_run(sample_run, tmp_path: Path):
    settings = copy_project(sample_run[0], tmp_path)
    (tmp_path / "inbox").mkdir()
    for sample in sorted(settings.paths.inbox.iterdir()):
        shutil.copy(sample, tmp_path / "inbox" / sample.name)
    shutil.copy(require(JFK), tmp_path / "inbox" / "new call.flac")
    env = dict(os.environ, VOC_PATHS__INBOX=str(tmp_path / "inbox"), VOC_PATHS__TRANSCRIPTS=str(settings.paths.transcripts),
               VOC_PATHS__REPORTS=str(settings.paths.reports), VOC_PATHS__STATE=str(settings.paths.state),
               VOC_PREFECT__PORT="9", VOC_SCHEDULE__CRON="15 3 * * *", VOC_SCHEDULE__TIMEZONE="America/New_York")
    env.pop("PREFECT_API_URL", None)
    from flows.lock import run_lock

    with run_lock(settings.paths.state, 0, "nightly synthesis"):
        out = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--json"], cwd=ROOT, env=env,
                             capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    status = json.loads(out.stdout)
    assert status["running"].startswith("nightly synthesis (pid ")
    assert status["inbox"]["recordings"] == 8 and status["inbox"]["transcribed"] == 7
    assert status["inbox"]["pending"] == ["new call.flac"]
    assert status["last_run"]["id"] == Path(sample_run[1]["report"]).name and status["last_run"]["themes"] > 0
    schedule = status["schedule"]
    assert schedule["served"] is False and schedule["timezone"] == "America/New_York"
    assert schedule["next"].startswith(tuple(f"{d}T03:15" for d in _next_dates("America/New_York")))
    text = subprocess.run([sys.executable, "-m", "flows.cli", "status"], cwd=ROOT, env=env, capture_output=True,
                          text=True, timeout=120).stdout
    assert "8 recordings, 7 transcribed, 1 waiting for transcription" in text
    assert "`voc serve` is not running" in text and "waiting: new call.flac" in text


def _next_dates(zone: str) -> list[str]:
    from datetime import datetime, timedelta
    from zoneinfo import ZoneInfo

    today = datetime.now(ZoneInfo(zone)).date()
    return [str(today), str(today + timedelta(days=1))]
