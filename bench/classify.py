"""`voc classify`: speed on 10,000 lines through the command itself (a whole process, model loading
included). Its quality is measured leave-one-source-out on real labelled feedback by
bench/tagger_loso.py (and what corrections buy by bench/corrections.py).

Speed: median wall time of several runs over 10,000 lines, and the lines per second, on real
feedback (forum sentences and app reviews from ../shared/eval/feedback) and banking77 queries.

Usage: .venv/bin/python bench/classify.py [--repeat 3] [--lines 10000]
(On a shared machine, `nice -n -10` gives the run the cores the other processes are using.)
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = Path(os.environ.get("VOC_EVAL", ROOT.parent / "shared" / "eval"))
FEEDBACK = ("tizard2019_product_forums.jsonl", "maalej2016_app_reviews.jsonl")
BANKING = EVAL / "banking77" / "train.csv"


def voc_classify(lines: list[str]) -> tuple[list[dict], float, float]:
    """-> (output records, wall seconds, CPU seconds of the child process)."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-m", "flows.cli", "classify"], cwd=ROOT, input="\n".join(lines) + "\n",
                          capture_output=True, text=True, check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return [json.loads(line) for line in done.stdout.splitlines()], wall, cpu


def speed_inputs(n: int) -> dict[str, list[str]]:
    feedback = [" ".join(json.loads(line)["text"].split()) for name in FEEDBACK
                for line in (EVAL / "feedback" / name).read_text(encoding="utf-8").splitlines()]
    # Texts as they come, then (past the ~7,000 real ones) pairs of them, so no line repeats.
    lines = [feedback[i] if i < len(feedback) else f"{feedback[i % len(feedback)]} {feedback[(i * 7 + 1) % len(feedback)]}"
             for i in range(n)]
    inputs = {"real feedback (forum sentences, app reviews)": lines}
    if BANKING.exists():
        import csv

        with BANKING.open(encoding="utf-8") as f:
            queries = [" ".join(row["text"].split()) for row in csv.DictReader(f)]
        inputs["banking77 customer queries"] = [queries[i % len(queries)] for i in range(n)]
    return inputs


def speed(n: int, repeat: int) -> None:
    print(f"speed of `voc classify` on {n} lines, {repeat} runs each (os.cpu_count()={os.cpu_count()})")
    for name, lines in speed_inputs(n).items():
        walls, cpus = [], []
        for _ in range(repeat):
            out, wall, cpu = voc_classify(lines)
            assert len(out) == n
            walls.append(wall)
            cpus.append(cpu)
        wall = statistics.median(walls)
        words = sum(len(t.split()) for t in lines) / n
        # CPU seconds say what the work costs when other processes share the cores (see the load).
        print(f"  {name} ({words:.0f} words/line): median {wall:5.1f} s wall, {n / wall:6.0f} lines/s, "
              f"median CPU {statistics.median(cpus):5.1f} s  runs {['%.1f' % w for w in walls]}  "
              f"load average {os.getloadavg()[0]:.1f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--lines", type=int, default=10_000)
    args = parser.parse_args()
    speed(args.lines, args.repeat)


if __name__ == "__main__":
    main()
