"""Kind corrections teach the tagger: the gain on held-back quotes as the researcher's corrections
grow (10, 50, 200), on real labelled feedback (../shared/eval/feedback: product-forum sentences,
app reviews). Each file plays one project: its quotes are what voc tagged; the researcher sets kinds
in one of two ways: "errors" (they change quotes voc got wrong, as they meet them) or "sample" (they
check quotes as they meet them and set each one's kind, confirming the right ones). Each run fits
the project's correction model on those (nlp.workspace.teach, through fit_corrections) and re-tags
the quotes nobody touched. Scored on quotes of the same project held back from the corrections.

  python bench/corrections.py [--seeds 3] [--test 800] [--steps 10 50 200] [--how errors sample]

Printed per project and number of corrections: accuracy and macro-F1 of the shipped tagger and of
the corrected one on the held-back quotes (mean over seeds, with min and max of the gain).
Embeddings are cached in .voc/bench-embeddings.db.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nlp  # noqa: E402,F401  (offline mode)
from nlp.schema import KINDS  # noqa: E402
from nlp.settings import Settings  # noqa: E402
from nlp.text.tagger import classify_for  # noqa: E402
from nlp.workspace.teach import fit_corrections  # noqa: E402

FEEDBACK = ROOT.parent / "shared" / "eval" / "feedback"
PROJECTS = {"forums": "tizard2019_product_forums.jsonl", "app reviews": "maalej2016_app_reviews.jsonl"}
LABELS = {"PROBLEM": "pain", "REQUEST": "request", "PRAISE": "praise", "QUESTION": "question", "OTHER": "other"}
STATE = ROOT / ".voc"


def load(name: str) -> tuple[list[str], list[str]]:
    path = FEEDBACK / name
    if not path.exists():
        sys.exit(f"{path} is missing: put the shared eval folder beside the checkout")
    rows = [json.loads(line) for line in path.open(encoding="utf-8")]
    return [r["text"] for r in rows], [LABELS[r["label"]] for r in rows]


def scores(truth: list[str], predicted: list[str]) -> tuple[float, float]:
    from sklearn.metrics import f1_score

    accuracy = float(np.mean([t == p for t, p in zip(truth, predicted)]))
    return accuracy, float(f1_score(truth, predicted, labels=list(KINDS), average="macro", zero_division=0))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--test", type=int, default=800, help="held-back quotes per project and seed")
    parser.add_argument("--steps", type=int, nargs="+", default=[10, 50, 200])
    parser.add_argument("--how", nargs="+", default=["errors", "sample"], choices=["errors", "sample"])
    args = parser.parse_args()
    settings = Settings(store={"url": f"sqlite:///{STATE / 'bench-embeddings.db'}"})
    settings.paths.state = STATE
    print(f"correction model: {fit_corrections.__module__}", flush=True)
    for project, name in PROJECTS.items():
        texts, truth = load(name)
        shipped = [c.kind for c in classify_for(texts, settings)]
        results: dict[tuple[str, int], list[tuple[float, float, float, float]]] = {}
        for seed in range(1, args.seeds + 1):
            order = np.random.default_rng(seed).permutation(len(texts))
            test, pool = order[: args.test], order[args.test:]
            # The researcher meets the pool's quotes in this order.
            met = {"errors": [i for i in pool if shipped[i] != truth[i]], "sample": list(pool)}
            # The tagger on the held-back quotes as the model sees them (one batch: embeddings move a
            # little with their batch-mates, and that must not count as a correction's doing).
            alone = [c.kind for c in classify_for([texts[i] for i in test], settings)]
            base = scores([truth[i] for i in test], alone)
            for how in args.how:
                for n in args.steps:
                    taught = met[how][:n]
                    model = fit_corrections([texts[i] for i in taught], [truth[i] for i in taught], settings)
                    predicted = [c.kind for c in model.classify([texts[i] for i in test])] if model is not None else alone
                    after = scores([truth[i] for i in test], predicted)
                    results.setdefault((how, n), []).append((*base, *after))
                    print(f"{project} seed {seed}, {how}, {len(taught)} kinds set: accuracy {base[0]:.3f} -> "
                          f"{after[0]:.3f}, macro-F1 {base[1]:.3f} -> {after[1]:.3f}", flush=True)
        for (how, n), rows in results.items():
            r = np.array(rows)
            gain_acc, gain_f1 = r[:, 2] - r[:, 0], r[:, 3] - r[:, 1]
            print(f"{project}, {how}, {n} kinds set, {len(rows)} seeds, {args.test} held-back quotes each: accuracy "
                  f"{r[:, 0].mean():.3f} -> {r[:, 2].mean():.3f} (gain {gain_acc.mean():+.3f}, min {gain_acc.min():+.3f}, "
                  f"max {gain_acc.max():+.3f}); macro-F1 {r[:, 1].mean():.3f} -> {r[:, 3].mean():.3f} (gain "
                  f"{gain_f1.mean():+.3f}, min {gain_f1.min():+.3f}, max {gain_f1.max():+.3f})", flush=True)


if __name__ == "__main__":
    main()
