"""Time `voc run` over the samples from cold (empty transcript cache) and warm (everything cached).

Prints the median of several runs of each. Usage: .venv/bin/python bench/pipeline.py [--repeat 3]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def voc_run(work: Path) -> float:
    env = dict(os.environ, VOC_PATHS__TRANSCRIPTS=str(work / "transcripts"), VOC_PATHS__REPORTS=str(work / "reports"),
               VOC_PATHS__STATE=str(work / "state"))
    start = time.perf_counter()
    subprocess.run([sys.executable, "-m", "flows.cli", "run"], cwd=ROOT, env=env, check=True,
                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    cold, warm = [], []
    for _ in range(args.repeat):
        with tempfile.TemporaryDirectory() as tmp:
            cold.append(voc_run(Path(tmp)))
            warm.append(voc_run(Path(tmp)))
    print(f"voc run over {len(list((ROOT / 'recordings').glob('*.[mo]*')))} sample interviews, {args.repeat} runs each")
    print(f"  cold (transcribe everything): median {statistics.median(cold):6.1f} s  {['%.1f' % t for t in cold]}")
    print(f"  warm (all transcripts cached): median {statistics.median(warm):6.1f} s  {['%.1f' % t for t in warm]}")
    print(f"  warm / cold: {statistics.median(warm) / statistics.median(cold):.2f}")


if __name__ == "__main__":
    main()
