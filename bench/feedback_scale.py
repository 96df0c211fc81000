"""Time `voc run` over many small items of real feedback, as a whole process, with its peak memory.

Two projects, each in a temporary folder, built from real text nobody here wrote:
  rows         --rows table rows: the 3,286 app reviews of ../shared/eval/feedback (Maalej et al., CC0) as
               reviews.csv (rating, store), then banking77 customer queries (CC BY 4.0) as tickets.csv
               (category), until --rows is reached. The data sets carry no dates or customers: each row
               gets a date spread over 2024 and each ticket one of 2,000 customer emails (said here so
               nobody mistakes them for data).
  transcripts  --transcripts one-paragraph .txt transcripts, each one app review.
  beside       the seven sample interviews (recordings/) and, beside them, every app review as one export
               (3,286 rows): one report with channels, dates and segments (--sample-transcripts DIR reuses
               the samples' transcripts; without it they are transcribed in the run).
For each: one full `voc run` (Prefect server, flow, models: everything a user waits for), timed from
process start to exit, with peak resident memory polled every 0.1 s: the voc process itself and the
whole tree (voc, the Prefect server it starts, any workers). Then `voc run` again --repeat times with
nothing changed: each must say "nothing new", import no model library and no Prefect.

The ONNX encoder is exported into each project's state folder first, untimed (a project's first run
does it once; every later run reuses it). Usage: .venv/bin/python bench/feedback_scale.py [--rows 10000]
[--transcripts 1000] [--repeat 3] [--only rows|transcripts|beside] [--sample-transcripts DIR]
The machine may be shared: the load average is printed with the figures.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"
REVIEWS = EVAL / "feedback" / "maalej2016_app_reviews.jsonl"
QUERIES = EVAL / "banking77" / "train.csv"
MODEL_LIBRARIES = ("faster_whisper", "ctranslate2", "whisper", "sentence_transformers", "transformers", "torch",
                   "onnxruntime", "spacy", "umap", "hdbscan", "prefect")
PROBE = ("import atexit, sys, runpy\n"
         f"atexit.register(lambda: print('IMPORTED', [m for m in {MODEL_LIBRARIES!r} if m in sys.modules]))\n"
         "sys.argv = ['voc', 'run', '--no-progress']\n"
         "runpy.run_module('flows.cli', run_name='__main__')\n")


def reviews() -> list[dict]:
    return [json.loads(line) for line in REVIEWS.read_text(encoding="utf-8").splitlines() if line.strip()]


def day(i: int, n: int) -> str:
    return (date(2024, 1, 1) + timedelta(days=(i * 366) // max(n, 1))).isoformat()


def rows_project(inbox: Path, rows: int) -> None:
    found = reviews()[:rows]
    with open(inbox / "reviews.csv", "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Date", "Rating", "Store", "Review"])
        for i, r in enumerate(found):
            out.writerow([day(i, len(found)), r["rating"], r["source"].split(":", 1)[-1], r["text"]])
    left = rows - len(found)
    if left > 0:
        with open(QUERIES, newline="", encoding="utf-8") as f:
            queries = list(csv.DictReader(f))[:left]
        with open(inbox / "tickets.csv", "w", newline="", encoding="utf-8") as f:
            out = csv.writer(f)
            out.writerow(["Created", "Requester", "Category", "Body"])
            for i, q in enumerate(queries):
                out.writerow([day(i, len(queries)), f"customer{i % 2000:04d}@example.com", q["category"], q["text"]])


def transcripts_project(inbox: Path, count: int) -> None:
    for i, r in enumerate(reviews()[:count]):
        (inbox / f"review-{i + 1:04d}.txt").write_text(r["text"] + "\n", encoding="utf-8")


def beside_samples_project(inbox: Path, _size: int) -> None:
    import shutil

    for sample in (ROOT / "recordings").iterdir():
        shutil.copy(sample, inbox / sample.name)
    rows_project(inbox, len(reviews()))


def export_encoder(env: dict[str, str]) -> float:
    """The project's first-run export of the int8 encoder, done before timing (`voc classify` triggers it)."""
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "classify"], input="warm up the encoder\n", text=True, cwd=ROOT,
                   env=env, check=True, capture_output=True)
    return time.perf_counter() - start


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def watch_memory(pid: int, peaks: dict, stop: threading.Event) -> None:
    import psutil

    try:
        root = psutil.Process(pid)
    except psutil.NoSuchProcess:
        return
    while not stop.is_set():
        try:
            own = root.memory_info().rss
            tree = own
            for child in root.children(recursive=True):
                try:
                    tree += child.memory_info().rss
                except psutil.NoSuchProcess:
                    pass
        except psutil.NoSuchProcess:
            return
        peaks["voc"] = max(peaks.get("voc", 0), own)
        peaks["tree"] = max(peaks.get("tree", 0), tree)
        stop.wait(0.1)


def voc_run(env: dict[str, str]) -> tuple[float, dict, str]:
    peaks: dict = {}
    stop = threading.Event()
    start = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-c", PROBE], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    watcher = threading.Thread(target=watch_memory, args=(process.pid, peaks, stop), daemon=True)
    watcher.start()
    output, _ = process.communicate()
    elapsed = time.perf_counter() - start
    stop.set()
    watcher.join()
    if process.returncode not in (0, 1):
        sys.exit(f"voc run failed ({process.returncode}):\n{output[-5000:]}")
    return elapsed, peaks, output


def measure(name: str, make, size: int, repeat: int, transcripts: Path | None = None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        project = Path(tmp)
        (project / "inbox").mkdir()
        make(project / "inbox", size)
        if transcripts:
            import shutil

            shutil.copytree(transcripts, project / "transcripts")
        env = dict(os.environ, VOC_CONFIG=str(ROOT / "voc.toml"), VOC_PATHS__INBOX=str(project / "inbox"),
                   VOC_PATHS__TRANSCRIPTS=str(project / "transcripts"), VOC_PATHS__REPORTS=str(project / "reports"),
                   VOC_PATHS__STATE=str(project / "state"), VOC_PREFECT__PORT=str(free_port()),
                   PYTHONPATH=str(ROOT))
        env.pop("PREFECT_API_URL", None)
        exported = export_encoder(env)
        full, peaks, output = voc_run(env)
        doc = json.loads((project / "reports" / "latest" / "themes.json").read_text())
        quotes = sum(1 for _ in open(project / "reports" / "latest" / "quotes.csv", encoding="utf-8")) - 1
        print(f"{name}: {size:,} items -> {quotes:,} quotes, {len(doc['themes'])} themes, channels {doc['run']['channels']}")
        print(f"  full voc run:  {full:6.1f} s   peak RSS voc process {peaks.get('voc', 0) / 2**20:6.0f} MB, "
              f"whole tree {peaks.get('tree', 0) / 2**20:6.0f} MB   (encoder export before it, untimed: {exported:.0f} s)")
        if name == "beside the samples":
            describe_report(doc)
        times = []
        for _ in range(repeat):
            elapsed, _, output = voc_run(env)
            if "Nothing new since the last run" not in output or "IMPORTED []" not in output:
                sys.exit(f"expected a 'nothing new' run that imports no model library nor Prefect:\n{output[-3000:]}")
            times.append(elapsed)
        print(f"  nothing new:   median {statistics.median(times):5.2f} s  {['%.2f' % t for t in times]} "
              "(no model library, no Prefect imported)")


def describe_report(doc: dict) -> None:
    """What the report of interviews and reviews together shows: channels, dates, segments."""
    both = [t for t in doc["themes"] if len(t["channels"]) > 1]
    dated = [t for t in doc["themes"] if t["period_trends"]]
    dims = sorted(set().union(*(t["segments"] for t in doc["themes"])))
    print(f"  {len(doc['themes'])} themes; {len(both)} raised in interviews and reviews alike, e.g. "
          + "; ".join(f"{t['label']!r} {t['channels']}" for t in both[:3]))
    print(f"  {len(dated)} themes with monthly trends, e.g. "
          + "; ".join(f"{t['label']!r} {t['period_trends']['month']} {list(t['periods']['month'].values())}"
                      for t in dated[:2]))
    print(f"  segment dimensions: {', '.join(dims)}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--transcripts", type=int, default=1_000)
    parser.add_argument("--repeat", type=int, default=3, help="nothing-new runs after each full run")
    parser.add_argument("--only", choices=("rows", "transcripts", "beside"))
    parser.add_argument("--sample-transcripts", type=Path, help="the 7 sample interviews' transcripts, to reuse")
    args = parser.parse_args()
    if args.only in (None, "rows"):
        measure("table rows", rows_project, args.rows, args.repeat)
    if args.only in (None, "transcripts"):
        measure("one-paragraph transcripts", transcripts_project, args.transcripts, args.repeat)
    if args.only in (None, "beside"):
        measure("beside the samples", beside_samples_project, len(reviews()), args.repeat, args.sample_transcripts)
    print(f"os.cpu_count()={os.cpu_count()}, load average at the end {os.getloadavg()[0]:.1f} (shared machine: "
          "figures are slower than on a quiet one)")


if __name__ == "__main__":
    main()
