"""What a researcher's corrected kinds buy (nlp/text/corrections.py: the tagger's kind plus votes
of close corrected texts), on real labelled feedback nobody here wrote (../shared/eval/feedback, six
sources).

Each source plays a project: per seed its texts are split in two halves; n corrections are drawn
from the first (n = 10, 50, 200), the second is held back and scored: binary F1 of pain and request
(where the held-back half has at least MIN_TEST_POSITIVES of them) and the share of texts whose kind
is right, the tagger alone vs the correction model fitted on the n corrections. Two ways a researcher
corrects: "sample" (they check n random quotes and set each one's kind, confirming the right ones)
and "errors" (they only change n quotes the tagger got wrong).

Usage: python bench/corrections.py [--seeds 5] [--sizes 10 50 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.feedback import featurize, load_rows, prf, tagged
from nlp.text.corrections import CorrectionModel

MIN_TEST_POSITIVES = 10


def scores(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    out = {"right": float(np.mean(gold == pred))}
    for kind in ("pain", "request"):
        if np.sum(gold == kind) >= MIN_TEST_POSITIVES:
            out[kind] = prf(gold == kind, pred == kind)[2]
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10, 50, 200])
    args = parser.parse_args()
    rows = load_rows()
    texts = [r["text"] for r in rows]
    _, vectors = featurize(texts)
    tags = tagged(texts)
    labels = np.asarray([r["kind"] for r in rows])
    sources = np.asarray([r["source"] for r in rows])
    prior = np.asarray([c.kind for c in tags])
    gains: dict[tuple[str, int, str], list[float]] = {}
    print(f"the tagger alone -> with n corrections, on the held-back half of each source "
          f"(mean over {args.seeds} seeds; gain +- its sd)")
    for held in sorted(set(sources)):
        idx = np.flatnonzero(sources == held)
        for mode in ("sample", "errors"):
            for n in args.sizes:
                per_seed: list[dict[str, tuple[float, float]]] = []
                for seed in range(args.seeds):
                    order = idx[np.random.default_rng(seed).permutation(len(idx))]
                    pool, test = order[: len(idx) // 2], order[len(idx) // 2:]
                    if mode == "errors":
                        pool = pool[prior[pool] != labels[pool]]
                    if len(pool) < n:
                        continue
                    chosen = pool[:n]
                    model = CorrectionModel(vectors[chosen], list(labels[chosen]), {})
                    after = model.predict(list(prior[test]), vectors[test])
                    before_s, after_s = scores(labels[test], prior[test]), scores(labels[test], np.asarray(after))
                    per_seed.append({k: (before_s[k], after_s[k]) for k in before_s})
                if not per_seed:
                    print(f"{held:36} {mode:6} n={n:3}: fewer than {n} to draw from")
                    continue
                parts = []
                for metric in [m for m in per_seed[0] if all(m in s for s in per_seed)]:
                    pairs = np.array([s[metric] for s in per_seed])
                    gain = pairs[:, 1] - pairs[:, 0]
                    gains.setdefault((mode, n, metric), []).append(float(gain.mean()))
                    parts.append(f"{metric} {pairs[:, 0].mean():.2f}->{pairs[:, 1].mean():.2f} "
                                 f"({gain.mean():+.2f}+-{gain.std():.2f})")
                print(f"{held:36} {mode:6} n={n:3}: " + "  ".join(parts), flush=True)
    print("mean gain over the sources (lowest source in brackets):")
    for (mode, n, metric), values in sorted(gains.items()):
        print(f"  {mode:6} n={n:3} {metric:8} {np.mean(values):+.3f} ({np.min(values):+.3f}, {len(values)} sources)")


if __name__ == "__main__":
    main()
