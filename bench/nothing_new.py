"""Time `voc run` when nothing is new, over a project of 200 transcribed interviews, as a whole process.

How the 200 interviews are made (no 200 real recordings ship with voc): the 7 sample interviews are
transcribed (or --transcripts gives their transcripts), and interview i reuses the transcript of
sample i mod 7 under its own name, customer and participant row. Its recording in the inbox is a
real but tiny placeholder: one second of quiet noise, different for each i, whose sha256 is the
one written into the transcript, so voc sees 200 distinct recordings, each already transcribed.
Hashing cost does not depend on the placeholder's size after the first run: voc remembers each
file's hash by size, mtime, ctime and inode (state/hashes.json).

One untimed run makes the first report (quotes, embeddings, themes over all 200). Then `voc run` is
timed --repeat times, from process start to exit, in two situations:
  cold  no Prefect server is up: voc starts one for the run and stops it (a plain `voc run`);
  warm  the project's server is already up, as it is under `voc serve` (the nightly case).
Each timed run must report "nothing new" and must not import a model library (checked).

Usage: .venv/bin/python bench/nothing_new.py [--interviews 200] [--repeat 5] [--transcripts DIR]
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import io
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import wave
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
MODEL_LIBRARIES = ("faster_whisper", "ctranslate2", "whisper", "sentence_transformers", "transformers", "torch",
                   "onnxruntime", "spacy", "umap", "hdbscan")
# Runs `voc run` and reports, at exit, which model libraries the process imported.
PROBE = ("import atexit, sys, runpy\n"
         f"atexit.register(lambda: print('IMPORTED', [m for m in {MODEL_LIBRARIES!r} if m in sys.modules]))\n"
         "sys.argv = ['voc', 'run', '--no-progress']\n"
         "runpy.run_module('flows.cli', run_name='__main__')\n")


def sample_transcripts(folder: Path | None, work: Path) -> list[Path]:
    if folder is None:
        from nlp.sources.inbox import scan_inbox
        from nlp.settings import Settings
        from nlp.audio.transcribe import transcribe_recording

        folder = work / "sample-transcripts"
        settings = Settings()
        print("transcribing the 7 sample interviews once (pass --transcripts DIR to reuse them) ...", flush=True)
        for recording in scan_inbox(ROOT / "recordings").recordings:
            transcribe_recording(recording, folder, settings.transcribe)
    found = sorted(folder.glob("*.json"))
    if len(found) < 7:
        sys.exit(f"{folder} holds {len(found)} transcripts; it needs the 7 sample interviews' transcripts")
    return found


def placeholder_wav(seed: int) -> bytes:
    rng = np.random.default_rng(seed)
    out = io.BytesIO()
    with wave.open(out, "wb") as w:
        w.setnchannels(1), w.setsampwidth(2), w.setframerate(16000)
        w.writeframes((rng.standard_normal(16000) * 30).astype("<i2").tobytes())
    return out.getvalue()


def make_project(root: Path, samples: list[Path], interviews: int) -> None:
    inbox, transcripts = root / "inbox", root / "transcripts"
    inbox.mkdir(parents=True)
    transcripts.mkdir()
    with open(ROOT / "recordings" / "participants.csv", newline="", encoding="utf-8") as f:
        rows = {Path(r["file"]).stem: r for r in csv.DictReader(f)}
    columns = ["file", "customer", "company", "interviewer", "plan", "region", "role"]
    people = []
    for i in range(interviews):
        base = json.loads(samples[i % len(samples)].read_text(encoding="utf-8"))
        stem = Path(base["recording"]["path"]).stem
        name = f"interview-{i + 1:03d}.wav"
        audio = placeholder_wav(i)
        (inbox / name).write_bytes(audio)
        base["recording"]["path"] = str(inbox / name)
        base["recording"]["sha256"] = hashlib.sha256(audio).hexdigest()
        (transcripts / f"interview-{i + 1:03d}-{base['recording']['sha256'][:8]}.json").write_text(
            json.dumps(base), encoding="utf-8")
        row = dict(rows[stem], file=name, customer=f"Customer {i + 1:03d}", company=f"Company {i + 1:03d}")
        people.append({c: row.get(c, "") for c in columns})
    with open(inbox / "participants.csv", "w", newline="", encoding="utf-8") as f:
        writer = csv.DictWriter(f, fieldnames=columns)
        writer.writeheader()
        writer.writerows(people)


def voc_run(env: dict[str, str]) -> tuple[float, str]:
    start = time.perf_counter()
    out = subprocess.run([sys.executable, "-c", PROBE], cwd=ROOT, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    if out.returncode != 0:
        sys.exit(f"voc run failed ({out.returncode}):\n{out.stdout[-2000:]}\n{out.stderr[-4000:]}")
    return elapsed, out.stdout + out.stderr


def timed_runs(env: dict[str, str], repeat: int) -> list[float]:
    times = []
    for _ in range(repeat):
        elapsed, output = voc_run(env)
        if "Nothing new since the last run" not in output:
            sys.exit(f"expected a 'nothing new' run:\n{output[-3000:]}")
        if "IMPORTED []" not in output:
            sys.exit(f"a model library was imported in a run with nothing new:\n{output[-2000:]}")
        times.append(elapsed)
    return times


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--interviews", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--transcripts", type=Path, help="a folder with the 7 sample interviews' transcripts")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        make_project(work / "project", sample_transcripts(args.transcripts, work), args.interviews)
        project = work / "project"
        env = dict(os.environ, VOC_CONFIG=str(ROOT / "voc.toml"), VOC_PATHS__INBOX=str(project / "inbox"),
                   VOC_PATHS__TRANSCRIPTS=str(project / "transcripts"), VOC_PATHS__REPORTS=str(project / "reports"),
                   VOC_PATHS__STATE=str(project / "state"), VOC_PREFECT__PORT=str(free_port()))
        env.pop("PREFECT_API_URL", None)
        first, output = voc_run(env)
        themes = json.loads((project / "reports" / "latest" / "themes.json").read_text())
        print(f"project: {args.interviews} transcribed interviews, {len(themes['themes'])} themes; "
              f"first (full) run {first:.1f} s")
        cold = timed_runs(env, args.repeat)

        from flows.config import Operations
        from flows.server import LocalServer
        from nlp.settings import Settings

        os.environ.update({k: v for k, v in env.items() if k.startswith("VOC_")})
        with LocalServer(Settings(), Operations()):
            warm = timed_runs(env, args.repeat)
    print(f"voc run with nothing new, whole process, {args.repeat} runs each (no model library imported):")
    print(f"  cold (starts and stops its own Prefect server): median {statistics.median(cold):5.1f} s  "
          f"{['%.1f' % t for t in cold]}")
    print(f"  warm (server up, as under voc serve):           median {statistics.median(warm):5.1f} s  "
          f"{['%.1f' % t for t in warm]}")
    print(f"  os.cpu_count()={os.cpu_count()}, load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
