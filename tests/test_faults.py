"""Bad input and crashes, through the real command line: every bad file is skipped with a reason
and the run goes on (exit 1); the inbox is never touched; a run killed with SIGKILL at any stage
leaves the previous report intact and the next run completes without duplicate quotes."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import random
import shutil
import subprocess
import sys
import threading
import time
import wave
from pathlib import Path

import numpy as np
import pytest

from conftest import JFK, ROOT, SAMPLES, project_settings, require

SAMPLES_USED = ("acme-logistics.ogg", "cobalt-retail.m4a", "evergreen-energy.ogg")


def wav_of(source: Path, target: Path, rate: int) -> None:
    """The same speech in another container and rate: different bytes, same words."""
    from nlp.audio.decode import decode, to_mono

    samples = (np.clip(to_mono(decode(source, rate)), -1, 1) * 32767).astype("<i2")
    with wave.open(str(target), "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(rate)
        w.writeframes(samples.tobytes())


def silent_flac(target: Path, hours: float, rate: int = 100) -> None:
    """A real FLAC file `hours` long; at 100 samples a second it is small and quick to make."""
    import av

    with av.open(str(target), "w") as out:
        stream = out.add_stream("flac", rate=rate)
        stream.layout = "mono"
        block = rate * 600
        for i in range(int(hours * 3600) // 600):
            frame = av.AudioFrame.from_ndarray(np.zeros((1, block), dtype=np.int16), format="s16", layout="mono")
            frame.sample_rate, frame.pts = rate, i * block
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def video_without_audio(target: Path) -> None:
    import av

    with av.open(str(target), "w") as out:
        stream = out.add_stream("mpeg4", rate=5)
        stream.width, stream.height, stream.pix_fmt = 32, 32, "yuv420p"
        for i in range(5):
            frame = av.VideoFrame.from_ndarray(np.full((32, 32, 3), i * 40, dtype=np.uint8), format="rgb24")
            out.mux(stream.encode(frame))
        out.mux(stream.encode(None))


def fingerprint_tree(folder: Path) -> dict[str, tuple]:
    """Every entry under `folder`: content hash, and where a link points."""
    out = {}
    for path in sorted(folder.rglob("*")):
        link = os.readlink(path) if path.is_symlink() else None
        digest = hashlib.sha256(path.read_bytes()).hexdigest() if path.is_file() else None
        out[str(path.relative_to(folder))] = (digest, link)
    return out


class Project:
    def __init__(self, root: Path, api_url: str):
        self.root = root
        self.settings = project_settings(root, root / "inbox")
        self.env = dict(os.environ, PREFECT_API_URL=api_url, VOC_DASK__ENABLED="false", VOC_RUN__LOCK_WAIT_S="0",
                        VOC_PATHS__INBOX=str(self.settings.paths.inbox),
                        VOC_PATHS__TRANSCRIPTS=str(self.settings.paths.transcripts),
                        VOC_PATHS__REPORTS=str(self.settings.paths.reports),
                        VOC_PATHS__STATE=str(self.settings.paths.state))

    @property
    def reports(self) -> Path:
        return self.settings.paths.reports

    def run(self, kill_on_line: str | None = None, kill_when=None, timeout: float = 600) -> tuple[int, str]:
        """`voc run` in a subprocess; SIGKILL it when a log line contains `kill_on_line` or `kill_when()`."""
        proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "run", "--no-progress"], cwd=ROOT, env=self.env,
                                stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
        lines: list[str] = []

        def read():
            for line in proc.stdout:
                lines.append(line)
                if kill_on_line and kill_on_line in line:
                    proc.kill()

        reader = threading.Thread(target=read)
        reader.start()
        deadline = time.monotonic() + timeout
        while proc.poll() is None and time.monotonic() < deadline:
            if kill_when is not None and kill_when():
                proc.kill()
            time.sleep(0.002)
        if proc.poll() is None:
            proc.kill()
        reader.join(30)
        return proc.wait(), "".join(lines)


@pytest.fixture(scope="module")
def project(sample_run, harness_api_url, tmp_path_factory):
    """A project whose inbox holds three sample interviews and every kind of bad input; one `voc run`."""
    root = tmp_path_factory.mktemp("faults")
    inbox = root / "inbox"
    (inbox / "backup").mkdir(parents=True)
    for name in SAMPLES_USED:
        shutil.copy(SAMPLES / name, inbox / name)
    shutil.copytree(sample_run[0].paths.transcripts, root / "transcripts")  # the samples need no transcription
    shutil.copy(require(JFK), inbox / "Zoë Müller – call 1.flac")         # unicode and spaces
    wav_of(JFK, inbox / "speech.mp3", 16000)                                # WAV content, .mp3 name
    (inbox / "corrupt.mp3").write_bytes(random.Random(7).randbytes(50_000))
    (inbox / "empty.wav").write_bytes(b"")
    whole = (SAMPLES / "delta-fintech.m4a").read_bytes()
    (inbox / "truncated.m4a").write_bytes(whole[: len(whole) // 2])
    (inbox / "notes.wav").write_text("Call notes: customer wants SSO.\n")  # not audio at all
    video_without_audio(inbox / "slides.mp4")
    silent_flac(inbox / "all-day workshop.flac", hours=5)
    (root / "outside").mkdir()
    shutil.copy(SAMPLES / "greenleaf-media.ogg", root / "outside" / "greenleaf-media.ogg")
    (inbox / "outside.ogg").symlink_to(root / "outside" / "greenleaf-media.ogg")
    shutil.copy(SAMPLES / "acme-logistics.ogg", inbox / "backup" / "acme-logistics.ogg")  # the same interview twice
    # No customer column; an extra column; one row with a cell too many, one with a cell too few.
    (inbox / "participants.csv").write_text(
        "file,company,plan,interviewer,team size\n"
        "acme-logistics.ogg,Acme Logistics,Enterprise,Sam Carter,40\n"
        "cobalt-retail.m4a,Cobalt Retail,Pro,Jordan Lee,12,unexpected\n"
        "evergreen-energy.ogg,Evergreen Energy,Starter,Sam Carter\n", encoding="utf-8")
    p = Project(root, harness_api_url)
    p.before = fingerprint_tree(inbox) | {"outside": fingerprint_tree(root / "outside")}
    p.first = p.run()
    p.after = fingerprint_tree(inbox) | {"outside": fingerprint_tree(root / "outside")}
    return p


EXPECTED_REASONS = {
    "participants.csv": "no 'customer' column",
    "participants.csv:3": "more cell(s) than the header",
    "corrupt.mp3": "could not be decoded",
    "empty.wav": "file is empty",
    "truncated.m4a": "check that the file is complete",
    "notes.wav": "could not be decoded",
    "slides.mp4": "no audio track",
    "all-day workshop.flac": "5.0 h long, over the 4 h limit",
    "outside.ogg": "leads outside the inbox",
    "backup/acme-logistics.ogg": "same content as acme-logistics.ogg",
}


def skipped_by_name(skipped: list[dict], inbox: Path) -> dict[str, str]:
    return {str(Path(s["path"]).relative_to(inbox)) if s["path"].startswith(str(inbox)) else s["path"]: s["reason"]
            for s in skipped}


def test_each_bad_input_is_skipped_with_its_reason_and_the_run_goes_on(project):
    code, output = project.first
    assert code == 1, output
    latest = project.reports / "latest"
    doc = json.loads((latest / "themes.json").read_text(encoding="utf-8"))
    reasons = skipped_by_name(doc["run"]["skipped"], project.settings.paths.inbox)
    assert set(reasons) == set(EXPECTED_REASONS), reasons
    for name, reason in EXPECTED_REASONS.items():
        assert reason in reasons[name], (name, reasons[name])
        assert name.split(":")[0].split("/")[-1] in output  # in the run's log / error output
    assert doc["run"]["recordings"] == 5 and doc["themes"]
    report_md = (latest / "report.md").read_text(encoding="utf-8")
    assert "Skipped inputs" in report_md and "all-day workshop.flac" in report_md and "slides.mp4" in report_md
    with open(latest / "quotes.csv", newline="", encoding="utf-8") as f:
        quotes = list(csv.DictReader(f))
    # Participant rows still apply (segments), and a recording without a customer column is its own customer.
    assert any(t["segments"].get("team size") for t in doc["themes"])
    assert {q["customer"] for q in quotes} >= {"acme-logistics", "cobalt-retail", "evergreen-energy"}


def test_the_inbox_is_never_changed(project):
    assert project.after == project.before


def test_a_second_run_at_once_exits_with_a_clear_message(project):
    from flows.lock import run_lock

    with run_lock(project.settings.paths.state, 0, "a test holding the project"):
        code, output = project.run()
    assert code == 3, output
    assert "a test holding the project" in output and "already working on this project" in output
    assert "Traceback" not in output  # a message, not a crash


def test_a_run_killed_at_any_stage_leaves_the_previous_report_and_the_next_run_completes(project):
    reports = project.reports
    previous = json.loads((reports / "latest" / "themes.json").read_text())["run"]["id"]
    kept = fingerprint_tree(reports / previous)
    kept_latest = (reports / "latest" / "themes.json").read_text()
    wav_of(JFK, project.settings.paths.inbox / "late arrival.wav", 22050)  # something new to do

    def staging_exists() -> bool:
        return any(p.name.endswith(".tmp") for p in reports.iterdir() if p.name.startswith("."))

    kills = [dict(kill_on_line="that have no transcript yet"), dict(kill_on_line="finding themes in"),
             dict(kill_when=staging_exists)]
    for kill in kills:
        code, output = project.run(**kill)
        assert code == -9, f"the run was meant to be killed ({kill}) but ended with {code}:\n{output[-3000:]}"
        assert fingerprint_tree(reports / previous) == kept
        latest = reports / "latest" if (reports / "latest").exists() else reports / ".latest.old"
        assert (latest / "themes.json").read_text() == kept_latest

    code, output = project.run()
    assert code == 1, output  # the bad inputs are still there
    doc = json.loads((reports / "latest" / "themes.json").read_text())
    assert doc["run"]["id"] != previous and doc["run"]["recordings"] == 6
    with open(reports / "latest" / "quotes.csv", newline="", encoding="utf-8") as f:
        quotes = list(csv.DictReader(f))
    ids = [q["quote_id"] for q in quotes]
    assert len(ids) == len(set(ids))
    assert len({(q["recording"], q["start"]) for q in quotes}) == len(quotes)
    assert not [p.name for p in reports.iterdir() if p.name.startswith(".")]  # no half-written leftovers
    assert fingerprint_tree(reports / previous) == kept
