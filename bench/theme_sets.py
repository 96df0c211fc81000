"""The shared intent sets for theme benchmarks: banking77 (77 near-equal intents), hwu64 (64 intents of
36-194), their vectors as voc computes them, subsets of many shapes, the plain BERTopic recipe and
the scores the issue is judged by.

Vectors are cached in .voc/bench-vectors/, named by a hash of the texts, the model, the backend,
the exported encoder's bytes and the embedding code itself: a cached file is exactly what
`embed()` returns for that set on a fresh state (a stale cache misled an earlier stop).
"""

from __future__ import annotations

import csv
import hashlib
import json
import sys
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nlp  # noqa: E402,F401  (offline mode)
from nlp.themes.cluster import UNTHEMED  # noqa: E402

EVAL = ROOT.parent / "shared" / "eval"
STATE = ROOT / ".voc"


@dataclass
class IntentSet:
    name: str
    texts: list[str]
    truth: np.ndarray        # intent per text
    intent_names: dict[str, str]  # intent -> its name as the judge embeds it ("card arrival")


def load(name: str) -> IntentSet:
    """banking77 (train.csv), hwu64, or both ("both": 141 intents, 20,023 texts)."""
    if name == "both":
        a, b = load("banking77"), load("hwu64")
        return IntentSet("both", a.texts + b.texts, np.concatenate([a.truth, b.truth]),
                         {**a.intent_names, **b.intent_names})
    path = {"banking77": EVAL / "banking77" / "train.csv", "hwu64": EVAL / "hwu64" / "hwu64.csv"}[name]
    if not path.exists():
        sys.exit(f"{path} is missing: put the shared eval folder beside the checkout")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    column = "category" if name == "banking77" else "intent"
    truth = np.array([f"{name}:{r[column]}" for r in rows])
    if name == "banking77":  # the intent names as published (categories.json), underscores to spaces
        published = json.loads((EVAL / "banking77" / "categories.json").read_text(encoding="utf-8"))
        names = {f"banking77:{c}": c.replace("_", " ").strip("?") for c in published}
    else:
        names = {t: t.split(":", 1)[1].replace("_", " ") for t in set(truth.tolist())}
    return IntentSet(name, [r["text"] for r in rows], truth, names)


def vectors_of(texts: list[str], settings) -> np.ndarray:
    """embed() of these texts as voc computes them on a fresh state (no store cache), cached in a file
    named by everything that decides the vectors."""
    from nlp.themes import embed as embed_module
    from nlp.themes import embed_onnx
    from nlp.themes.embed import embed

    models = STATE / "models"
    embed(texts[:2], settings.embedding_model, backend=settings.embedding_backend, models_dir=models)  # exported
    digest = hashlib.sha256()
    for part in [settings.embedding_model, settings.embedding_backend, *texts]:
        digest.update(part.encode("utf-8") + b"\0")
    for source in (embed_module.__file__, embed_onnx.__file__):
        digest.update(Path(source).read_bytes())
    for exported in sorted(models.glob("*/model-int8.onnx")) if settings.embedding_backend == "onnx-int8" else []:
        digest.update(exported.read_bytes())
    path = STATE / "bench-vectors" / f"{digest.hexdigest()[:20]}.npy"
    if path.exists():
        return np.load(path)
    vectors = embed(texts, settings.embedding_model, backend=settings.embedding_backend, models_dir=models)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, vectors)
    return vectors


# Shapes to draw: (set, intents, quotes per intent or "natural"/"zipf"). "natural": every quote of the
# chosen intents (hwu64's own imbalance); "zipf": per-intent counts falling as 1/rank (very unequal).
SHAPES = [
    ("banking77", 77, 40), ("both", 141, 30), ("hwu64", 60, 30), ("hwu64", 64, 40), ("banking77", 40, 100),
    ("banking77", 20, 50), ("hwu64", 20, 60), ("banking77", 10, 30), ("hwu64", 5, 150), ("banking77", 5, 150),
    ("banking77", 5, 10), ("hwu64", 30, "natural"), ("banking77", 40, "zipf"), ("hwu64", 40, "zipf"),
    # interview-sized sets of 100-200 quotes, around where the small-set (leaf) path ends
    ("banking77", 10, 10), ("hwu64", 12, 10), ("banking77", 15, 8), ("hwu64", 5, 40), ("banking77", 10, 20),
]


def draw(truth: np.ndarray, intents: int, per_intent, seed: int) -> np.ndarray:
    """Row indices of a subset: `intents` intents drawn at random, `per_intent` quotes of each."""
    rng = np.random.default_rng(seed)
    chosen = rng.choice(sorted(set(truth.tolist())), intents, replace=False)
    rows = []
    for rank, intent in enumerate(chosen, start=1):
        members = np.flatnonzero(truth == intent)
        count = {"natural": len(members), "zipf": max(8, round(len(members) / rank ** 0.8))}.get(per_intent, per_intent)
        rows += sorted(rng.choice(members, min(count, len(members)), replace=False).tolist())
    return np.array(rows)


def recipe(vectors: np.ndarray, seed: int) -> np.ndarray:
    """The plain BERTopic recipe on the same vectors: UMAP 5-d, 15 neighbours, HDBSCAN min cluster size 10."""
    import warnings

    import hdbscan
    import umap

    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        reduced = umap.UMAP(n_neighbors=15, n_components=5, min_dist=0.0, metric="cosine",
                            random_state=seed).fit_transform(vectors)
    return hdbscan.HDBSCAN(min_cluster_size=10, metric="euclidean", cluster_selection_method="eom").fit_predict(reduced)


def scores(truth: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    """V and ARI with each unthemed quote its own singleton (as the issue is judged)."""
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    themed = labels != UNTHEMED
    singletons = labels.copy()
    singletons[~themed] = labels.max() + 1 + np.arange((~themed).sum())
    return {"V": v_measure_score(truth, singletons), "ARI": adjusted_rand_score(truth, singletons),
            "unthemed": 1 - themed.mean(), "themes": len(set(labels.tolist()) - {UNTHEMED})}


def label_hits(labels_text: list[str], members: list[np.ndarray], truth: np.ndarray, names: dict[str, str],
               encode) -> tuple[float, float]:
    """Share of themes whose label's nearest intent name (embedded by `encode`) is the theme's
    majority intent: (top-1, top-3). Every intent name of the set is a candidate."""
    intents = sorted(names)
    # One text at a time: int8 embeddings move a little with their batch-mates, so a batch of all the
    # labels would let one changed label flip the hits of others.
    name_vecs = np.vstack([encode([names[i]]) for i in intents])
    label_vecs = np.vstack([encode([text]) for text in labels_text])
    sims = label_vecs @ name_vecs.T
    top1 = top3 = 0
    for row, m in enumerate(members):
        values, counts = np.unique(truth[m], return_counts=True)
        majority = intents.index(values[np.argmax(counts)])
        ranked = np.argsort(-sims[row], kind="stable")
        top1 += ranked[0] == majority
        top3 += majority in ranked[:3]
    return top1 / max(len(members), 1), top3 / max(len(members), 1)
