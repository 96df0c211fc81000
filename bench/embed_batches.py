"""How batch size moves the ONNX int8 encoder's speed and memory, on real text: 3,000 app reviews
(../shared/eval/feedback, CC0) and 1,500 banking77 queries (CC BY 4.0), embedded with each cap on
padded tokens per batch (nlp.themes.embed_onnx.BATCH_TOKENS), each in a fresh process.

Prints wall and CPU seconds and how much resident memory encoding added (ONNX Runtime keeps what
its largest batch needed). Usage: .venv/bin/python bench/embed_batches.py [--caps 16384,4096,512,128]
[--threads 2] [--repeat 2]. 16384 tokens is 64 texts a batch whatever their length (the old default).
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
EVAL = ROOT.parent / "shared" / "eval"

CHILD = r"""
import json, sys, time, csv
sys.path.insert(0, {root!r})
import nlp, psutil
from nlp.themes import embed_onnx
from nlp.themes.encoder import resolve_model
embed_onnx.BATCH_TOKENS = {cap}
texts = [json.loads(l)["text"] for l in open({reviews!r}, encoding="utf-8")][:3000]
texts += [r["text"] for r in csv.DictReader(open({queries!r}, encoding="utf-8"))][:1500]
encoder = embed_onnx.load_onnx_encoder(resolve_model("all-MiniLM-L6-v2"), {models!r}, {threads})
encoder.encode(texts[:8])
before = psutil.Process().memory_info().rss
wall, cpu = time.perf_counter(), time.process_time()
encoder.encode(texts)
print(json.dumps([time.perf_counter() - wall, time.process_time() - cpu, (psutil.Process().memory_info().rss - before) / 2**20]))
"""


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--caps", default="16384,4096,512,128")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--models", default=str(ROOT / ".voc" / "models"), help="where the exported encoder is kept")
    args = parser.parse_args()
    print(f"4,500 real texts, int8 ONNX encoder on {args.threads} threads; median of {args.repeat} fresh processes")
    for cap in [int(c) for c in args.caps.split(",")]:
        code = CHILD.format(root=str(ROOT), cap=cap, reviews=str(EVAL / "feedback" / "maalej2016_app_reviews.jsonl"),
                            queries=str(EVAL / "banking77" / "train.csv"), models=args.models, threads=args.threads)
        runs = [json.loads(subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
                           .stdout.strip().splitlines()[-1]) for _ in range(args.repeat)]
        wall, cpu, grown = (statistics.median(r[i] for r in runs) for i in range(3))
        print(f"  at most {cap:5d} tokens a batch: {wall:6.1f} s wall  {cpu:6.1f} s CPU  +{grown:5.0f} MB resident")
    import os

    print(f"  load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores (shared machine: compare the rows, not the absolutes)")


if __name__ == "__main__":
    main()
