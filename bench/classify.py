"""`voc classify`: quality on the labelled development set and speed on 10,000 lines, both through the
command itself (a whole process, model loading included).

Quality: precision / recall / F1 per kind on tests/data/classify_dev.jsonl, for the "tune" half
(looked at while developing) and the "heldout" half (not), and for the review-style lines the
app-review view: pain against bug reports, request against feature requests. App stores are mostly
ratings, so that view is also given reweighted to an assumed mix (ASSUMED_REVIEW_MIX).
Speed: median wall time of several runs over 10,000 lines, and the lines per second.

Usage: .venv/bin/python bench/classify.py [--repeat 3] [--lines 10000] [--skip-speed] [--skip-quality]
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
from collections import Counter
from pathlib import Path

from sklearn.metrics import precision_recall_fscore_support

ROOT = Path(__file__).resolve().parent.parent
DEV = ROOT / "tests" / "data" / "classify_dev.jsonl"
BANKING = Path(os.environ.get("VOC_EVAL", ROOT.parent / "shared" / "eval")) / "banking77" / "train.csv"
KINDS = ["pain", "request", "praise", "question", "other"]
REVIEW_KIND = {"bug": "pain", "feature": "request"}
# An assumption, not a measurement: in app stores most reviews are bare ratings.
ASSUMED_REVIEW_MIX = {"rating": 0.55, "experience": 0.20, "bug": 0.15, "feature": 0.10}


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


def scores_line(gold: list[str], pred: list[str], kinds: list[str], weights: list[float] | None = None) -> str:
    p, r, f, _ = precision_recall_fscore_support(gold, pred, labels=kinds, sample_weight=weights, zero_division=0)
    return "  ".join(f"{k} P {p[i]:.2f} R {r[i]:.2f} F1 {f[i]:.2f}" for i, k in enumerate(kinds))


def quality() -> None:
    rows = [json.loads(line) for line in DEV.read_text(encoding="utf-8").splitlines()]
    out, _, _ = voc_classify([r["text"] for r in rows])
    assert [o["text"] for o in out] == [r["text"] for r in rows], "voc classify must keep every line, in order"
    print(f"quality on {DEV.relative_to(ROOT)} ({len(rows)} lines) through `voc classify`")
    for split in ("tune", "heldout"):
        for style in ("interview", "review", "all"):
            idx = [i for i, r in enumerate(rows) if r["split"] == split and style in ("all", r["style"])]
            present = [k for k in KINDS if any(rows[i]["kind"] == k for i in idx)]
            print(f"  {split:7} {style:9} n={len(idx):3}  "
                  + scores_line([rows[i]["kind"] for i in idx], [out[i]["kind"] for i in idx], present))
        idx = [i for i, r in enumerate(rows) if r["split"] == split and r["style"] == "review"]
        gold = [REVIEW_KIND.get(rows[i]["review_label"], "neither") for i in idx]
        pred = [out[i]["kind"] for i in idx]
        print(f"  {split:7} app-review view (pain~bug report, request~feature request), n={len(idx)}: "
              + scores_line(gold, pred, ["pain", "request"]))
        share = Counter(rows[i]["review_label"] for i in idx)
        weights = [ASSUMED_REVIEW_MIX[rows[i]["review_label"]] / share[rows[i]["review_label"]] * len(idx) for i in idx]
        print(f"  {split:7} same, reweighted to {ASSUMED_REVIEW_MIX}: " + scores_line(gold, pred, ["pain", "request"], weights))


def speed_inputs(n: int) -> dict[str, list[str]]:
    dev = [json.loads(line)["text"] for line in DEV.read_text(encoding="utf-8").splitlines()]
    # Two dev-set lines to a line: review-length texts, all different (the command classifies a
    # repeated text only once, which would flatter it).
    pairs = [f"{dev[i % len(dev)]} {dev[(i // len(dev) + i + 1) % len(dev)]}" for i in range(n)]
    inputs = {"pairs of dev-set lines": pairs}
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
    parser.add_argument("--skip-speed", action="store_true")
    parser.add_argument("--skip-quality", action="store_true")
    args = parser.parse_args()
    if not args.skip_quality:
        quality()
    if not args.skip_speed:
        speed(args.lines, args.repeat)


if __name__ == "__main__":
    main()
