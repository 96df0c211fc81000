"""What a researcher's corrected kinds buy (nlp/text/corrections.py), on real labelled feedback.

For each source of ../shared/eval/feedback, the prior is the kind model trained by
scripts/train_tagger.py's recipe on the OTHER sources (as the shipped model stands to a new
project). The source's texts are split in two halves per seed: n corrections are drawn from the
first (n = 10, 50, 200), the second is held back and scored: binary F1 of pain and request (where
the held-back half has at least 10 of them) and the share of texts whose kind is right, prior vs
the correction model. Two ways a researcher corrects: "sample" (they check n random quotes and set
each one's kind, confirming the right ones) and "errors" (they only fix n quotes the prior got wrong).

Usage: python bench/corrections.py [--seeds 5] [--sizes 10 50 200]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.text.corrections import MIN_CORRECTIONS, fit_on  # noqa: E402
from scripts.train_tagger import featurize, load_rows, train  # noqa: E402
from bench.tagger_loso import prf  # noqa: E402

MIN_TEST_POSITIVES = 10


def scores(gold: np.ndarray, pred: np.ndarray) -> dict[str, float]:
    out = {"accuracy": float(np.mean(gold == pred))}
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
    feats, vectors = featurize([r["text"] for r in rows])
    labels = np.asarray([r["kind"] for r in rows])
    sources = np.asarray([r["source"] for r in rows])
    gains: dict[tuple[str, int, str], list[float]] = {}
    print("gain of the correction model over its prior on the held-back half of each source "
          f"(mean +- sd over {args.seeds} seeds); prior = trained without the source")
    for held in sorted(set(sources)):
        idx = np.flatnonzero(sources == held)
        prior = train(feats[sources != held], vectors[sources != held], labels[sources != held],
                      sources[sources != held])
        prior_pred = np.asarray(prior.predict(feats[idx], vectors[idx]))
        for mode in ("sample", "errors"):
            for n in args.sizes:
                per_seed: list[dict[str, tuple[float, float]]] = []
                for seed in range(args.seeds):
                    order = np.random.default_rng(seed).permutation(len(idx))
                    pool, test = order[: len(idx) // 2], order[len(idx) // 2:]
                    if mode == "errors":
                        pool = pool[prior_pred[pool] != labels[idx][pool]]
                    if len(pool) < n or n < MIN_CORRECTIONS:
                        continue
                    chosen = idx[pool[:n]]
                    model = fit_on(feats[chosen], vectors[chosen], list(labels[chosen]), prior)
                    gold = labels[idx][test]
                    before = scores(gold, prior_pred[test])
                    after = scores(gold, np.asarray(model.predict(feats[idx][test], vectors[idx][test])))
                    per_seed.append({k: (before[k], after[k]) for k in before})
                if not per_seed:
                    print(f"{held:28} {mode:6} n={n:3}: too few {'errors' if mode == 'errors' else 'texts'} to draw from")
                    continue
                parts = []
                for metric in per_seed[0]:
                    pairs = np.array([s[metric] for s in per_seed])
                    gain = pairs[:, 1] - pairs[:, 0]
                    gains.setdefault((mode, n, metric), []).append(gain.mean())
                    parts.append(f"{metric} {pairs[:, 0].mean():.2f} -> {pairs[:, 1].mean():.2f} "
                                 f"({gain.mean():+.2f} +- {gain.std():.2f})")
                print(f"{held:28} {mode:6} n={n:3}: " + "  ".join(parts))
    print("mean gain over sources:")
    for (mode, n, metric), values in sorted(gains.items()):
        print(f"  {mode:6} n={n:3} {metric:8} {np.mean(values):+.3f} (sources {len(values)}, "
              f"lowest {np.min(values):+.3f})")


if __name__ == "__main__":
    main()
