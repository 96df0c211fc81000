"""The tagger's kinds on real labelled feedback, leave-one-source-out: for each source of
../shared/eval/feedback (three forums of Tizard et al. 2019, three app-store samples of Maalej et al.
2016) a kind model is trained by scripts/train_tagger.py's recipe on the other sources (its offsets
chosen by LOSO among those, never on the scored source) and scores the one left out. Each (source,
kind) is scored as a binary task: "is this text of that kind?", precision / recall / F1.

"before" is the tagger of a git revision (its `voc classify`, run from `git archive`), which had no
training; "after" is the learned model, over several seeds, each training on a random share of the
training rows (the spread says how much the figures depend on the particular examples).

The figure that matters: mean and minimum binary F1 over the (source, kind) pairs for pain and
request with at least MIN_POSITIVES examples in the source. --group dataset leaves a whole data set
out instead (train on forums, score app reviews, and back): the harder, cross-domain reading.

Usage: python bench/tagger_loso.py [--seeds 5] [--share 0.8] [--group source|dataset] [--before REV]
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tarfile
import tempfile
from io import BytesIO
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.schema import KINDS  # noqa: E402
from scripts.train_tagger import CACHE, MIN_POSITIVES, featurize, load_rows, train  # noqa: E402

BEFORE_REV = "b147408"   # the tagger before the learned model (cue patterns + prototype similarity)
SCORED = ("pain", "request")


def before_predictions(texts: list[str], rev: str) -> list[str]:
    """Kinds from `voc classify` of git revision `rev`, cached under .voc/cache."""
    cached = CACHE / f"before-{rev}-{len(texts)}.json"
    if cached.is_file():
        return json.loads(cached.read_text())
    archive = subprocess.run(["git", "archive", rev], cwd=ROOT, capture_output=True, check=True).stdout
    with tempfile.TemporaryDirectory() as tmp:
        tarfile.open(fileobj=BytesIO(archive)).extractall(tmp, filter="data")
        env = dict(os.environ, PYTHONPATH=tmp, VOC_PATHS__STATE=str(ROOT / ".voc"))
        done = subprocess.run([sys.executable, "-m", "flows.cli", "classify"], cwd=tmp, env=env, check=True,
                              input="\n".join(texts) + "\n", capture_output=True, text=True)
    kinds = [json.loads(line)["kind"] for line in done.stdout.splitlines()]
    assert len(kinds) == len(texts), "voc classify must keep every line"
    CACHE.mkdir(parents=True, exist_ok=True)
    cached.write_text(json.dumps(kinds))
    return kinds


def prf(gold: np.ndarray, pred: np.ndarray) -> tuple[float, float, float]:
    tp = float(np.sum(gold & pred))
    p = tp / max(pred.sum(), 1)
    r = tp / max(gold.sum(), 1)
    return p, r, 2 * tp / max(gold.sum() + pred.sum(), 1)


def after_predictions(feats, vectors, labels, sources, groups, held: str, seed: int, share: float) -> np.ndarray:
    rng = np.random.default_rng(seed)
    train_idx = np.flatnonzero(groups != held)
    train_idx = np.sort(rng.choice(train_idx, int(round(share * len(train_idx))), replace=False))
    model = train(feats[train_idx], vectors[train_idx], labels[train_idx], sources[train_idx])
    test = groups == held
    return np.asarray(model.predict(feats[test], vectors[test]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, default=5)
    parser.add_argument("--share", type=float, default=0.8, help="share of the training rows each seed draws")
    parser.add_argument("--group", choices=["source", "dataset"], default="source")
    parser.add_argument("--before", default=BEFORE_REV, help="git revision of the tagger to compare with")
    args = parser.parse_args()

    rows = load_rows()
    texts = [r["text"] for r in rows]
    feats, vectors = featurize(texts)
    labels = np.asarray([r["kind"] for r in rows])
    sources = np.asarray([r["source"] for r in rows])
    groups = sources if args.group == "source" else np.asarray([s.split(":")[0] for s in sources])
    before = np.asarray(before_predictions(texts, args.before))

    print(f"leave one {args.group} out: {len(rows)} texts; after = {args.seeds} seeds x {args.share:.0%} of the "
          f"training rows; before = `voc classify` at {args.before}")
    print(f"{'left out':28} {'kind':8} {'n+':>5} {'share':>6}   {'before P / R / F1':>18}   "
          f"{'after P / R / F1 (mean over seeds)':>34}  F1 sd")
    pairs_before, pairs_after = [], []
    for held in sorted(set(groups)):
        test = groups == held
        preds = [after_predictions(feats, vectors, labels, sources, groups, held, seed, args.share)
                 for seed in range(args.seeds)]
        for kind in KINDS:
            gold = labels[test] == kind
            if gold.sum() == 0:
                continue
            b = prf(gold, before[test] == kind)
            a = np.array([prf(gold, p == kind) for p in preds])
            scored = kind in SCORED and gold.sum() >= MIN_POSITIVES
            mark = "*" if scored else " "
            print(f"{held:28} {kind:8} {gold.sum():5d} {gold.mean():6.1%}   {b[0]:.2f} / {b[1]:.2f} / {b[2]:.2f}"
                  f"   {a[:, 0].mean():18.2f} / {a[:, 1].mean():.2f} / {a[:, 2].mean():.2f}  "
                  f"{a[:, 2].std():.3f} {mark}")
            if scored:
                pairs_before.append(b[2])
                pairs_after.append(a[:, 2])
    after = np.array(pairs_after)            # (pairs, seeds)
    means, mins = after.mean(axis=0), after.min(axis=0)
    print(f"* scored pairs ({len(pairs_before)}: pain and request with >= {MIN_POSITIVES} examples in the source)")
    print(f"  before: mean F1 {np.mean(pairs_before):.3f}, min {np.min(pairs_before):.3f}")
    print(f"  after:  mean F1 {means.mean():.3f} (seeds {statistics.median(means):.3f} median, "
          f"{means.min():.3f}-{means.max():.3f}), min {mins.mean():.3f} ({mins.min():.3f}-{mins.max():.3f})")


if __name__ == "__main__":
    main()
