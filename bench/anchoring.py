"""Do new quotes follow the researcher? Curated themes as anchors, measured on real intent data
(banking77 and hwu64 from ../shared/eval; each intent stands for what one theme should be).

For each draw (a number of intents x queries per intent, several seeds):
  1. voc clusters 5/6 of the draw: the first run, its themes T001, T002, ...
  2. A simulated researcher fixes the ten largest mistakes of that run, judged by the true intents,
     through the same checks the terminal and the workspace use (nlp.workspace.validate):
       merge     two themes of one intent: the smaller into the larger
       move      quotes of intent X inside another intent's theme (or in no theme): moved to X's theme
       split     a group (3 or more) of intent X inside another intent's theme, X having no theme: split off
     "Largest" counts the quotes each fix puts right.
  3. The other 1/6 arrive (20 % more quotes) and voc runs again: themes clustered anew and matched
     by id to the first run's, then the log replayed and the free quotes anchored ("with edits"), or
     voc's own themes as they come ("without").
  4. Printed, for the new quotes whose intent is that of a theme the researcher curated: the share
     that lands in a theme of their own intent (the theme's majority), with and without the edits
     (and with the edits but no anchoring, what anchoring itself adds); and the share of new quotes
     of other intents that land in those themes (wrongly pulled in).

  python bench/anchoring.py [--seeds 3] [--sets banking77 hwu64]
Embeddings are cached in .voc/bench-embeddings.db (as bench/themes.py's).
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections import Counter
from dataclasses import dataclass
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))
import nlp  # noqa: E402,F401  (offline mode)
from nlp.settings import ThemeSettings  # noqa: E402
from nlp.store import StoredCluster, match_theme_ids  # noqa: E402
from nlp.themes.cluster import UNTHEMED, centroids, cluster  # noqa: E402
from nlp.workspace.edits import Edit  # noqa: E402
from nlp.workspace.replay import Curation, RunState, replay  # noqa: E402
from nlp.workspace.validate import Workspace, check  # noqa: E402
from themes import embed_cached, load_banking, subset  # noqa: E402  (bench/themes.py)

EVAL = ROOT.parent / "shared" / "eval"
DRAWS = {"banking77": [(20, 40), (40, 60)], "hwu64": [(20, 40), (40, 36)]}  # (intents, queries per intent)
FIXES = 10


def load_hwu() -> tuple[list[str], np.ndarray]:
    path = EVAL / "hwu64" / "hwu64.csv"
    if not path.exists():
        sys.exit(f"{path} is missing: put the shared eval folder beside the checkout")
    with open(path, newline="", encoding="utf-8") as f:
        rows = list(csv.DictReader(f))
    return [r["text"] for r in rows], np.array([r["intent"] for r in rows])


@dataclass
class Fix:
    size: int      # quotes it puts right
    action: str
    targets: list[str]
    payload: dict


def majority(theme_of: list[str | None], truth: np.ndarray) -> dict[str, tuple[str, int]]:
    """theme -> (its most common intent, that intent's count)."""
    out = {}
    for theme in sorted({t for t in theme_of if t}):
        counts = Counter(truth[i] for i, t in enumerate(theme_of) if t == theme)
        intent, n = max(sorted(counts.items()), key=lambda kv: kv[1])
        out[theme] = (intent, n)
    return out


def mistakes(theme_of: list[str | None], ids: list[str], truth: np.ndarray) -> list[Fix]:
    """The first run's mistakes as a researcher would fix them, largest first."""
    major = majority(theme_of, truth)
    size = Counter(t for t in theme_of if t)
    home: dict[str, str] = {}  # intent -> its largest theme
    for theme in sorted(major, key=lambda t: -size[t]):
        home.setdefault(major[theme][0], theme)
    fixes = [Fix(size[t], "theme.merge", [home[major[t][0]], t], {}) for t in major if home[major[t][0]] != t]
    groups: dict[tuple[str | None, str], list[str]] = {}
    for i, t in enumerate(theme_of):
        if t is None or truth[i] != major[t][0]:
            groups.setdefault((t, truth[i]), []).append(ids[i])
    for (theme, intent), quotes in groups.items():
        if intent in home:
            fixes.append(Fix(len(quotes), "quote.move", quotes, {"theme": home[intent]}))
        elif theme is not None and len(quotes) >= 3:
            fixes.append(Fix(len(quotes), "theme.split", [theme, *quotes], {}))
    return sorted(fixes, key=lambda f: -f.size)[:FIXES]


def workspace_of(state: RunState, c: Curation, run_id: str) -> Workspace:
    themes: dict[str, list[str]] = {}
    for q, t in zip(state.quote_ids, c.theme_of):
        if t:
            themes.setdefault(t, []).append(q)
    return Workspace(run_id, themes, {t: t for t in themes}, set(state.quote_ids),
                     theme_of=dict(zip(state.quote_ids, c.theme_of)))


def researcher(state: RunState, vectors: np.ndarray, truth: np.ndarray, next_number: int) -> list[Edit]:
    """The ten largest fixes, each made against what the researcher sees after the previous ones."""
    log: list[Edit] = []
    seen = {"r1": set(state.quote_ids)}

    def make(action: str, targets: list[str], payload: dict) -> None:
        view = replay(state, vectors, log, run_quotes=seen)
        targets, payload = check(workspace_of(state, view, "r1"), action, targets, payload)
        log.append(Edit(len(log) + 1, "", "bench", action, tuple(targets), payload, "r1"))

    for fix in mistakes(state.theme_of, state.quote_ids, truth):
        view = replay(state, vectors, log, run_quotes=seen)
        where = dict(zip(state.quote_ids, view.theme_of))
        shown = set(view.theme_of)
        if fix.action == "theme.merge":
            if set(fix.targets) <= shown:
                make("theme.merge", fix.targets, {})
        elif fix.action == "theme.split":
            quotes = [q for q in fix.targets[1:] if where[q] == fix.targets[0]]
            if quotes:
                make("theme.split", [fix.targets[0], *quotes], {"new_id": f"T{next_number:03d}"})
                next_number += 1
        elif fix.payload["theme"] in shown:  # its theme was not merged away meanwhile
            for q in fix.targets:
                if where[q] != fix.payload["theme"]:
                    make("quote.move", [q], fix.payload)
    return log


def ids_for(labels: np.ndarray, vectors: np.ndarray, previous: list[StoredCluster], next_number: int):
    cents = centroids(vectors, labels)
    order = sorted(cents)
    matched = match_theme_ids([cents[c] for c in order], previous, next_number)
    name = dict(zip(order, matched))
    return [name[l] if l != UNTHEMED else None for l in labels.tolist()], [StoredCluster(name[c], "", [], cents[c]) for c in order]


def landed_right(theme_of: list[str | None], truth: np.ndarray, rows: list[int]) -> np.ndarray:
    major = majority(theme_of, truth)
    return np.array([theme_of[i] is not None and major[theme_of[i]][0] == truth[i] for i in rows])


def one_draw(texts, truth, vectors, intents, per, seed, settings) -> dict:
    rows = subset(truth, intents, per, seed)
    rng = np.random.default_rng(seed)
    rng.shuffle(rows)
    base = rows[: round(len(rows) / 1.2)]  # the rest are the new quotes
    ids = [f"q{i}" for i in rows]
    t_all, v_all = truth[rows], vectors[rows]
    # First run
    first_of, first_clusters = ids_for(cluster(v_all[: len(base)], settings), v_all[: len(base)], [], 1)
    first = RunState(ids[: len(base)], first_of)
    log = researcher(first, v_all[: len(base)], t_all[: len(base)], len(first_clusters) + 1)
    seen = {"r1": set(first.quote_ids)}
    curated = replay(first, v_all[: len(base)], log, run_quotes=seen)
    intent_of = majority(curated.theme_of, t_all[: len(base)])
    targets = {intent_of[t][0] for t in curated.curated if t in intent_of}
    # Second run: 20 % more quotes
    second_of, _ = ids_for(cluster(v_all, settings), v_all, first_clusters, 1000)
    second = RunState(ids, second_of)
    newcomers = list(range(len(base), len(rows)))
    aimed = [i for i in newcomers if t_all[i] in targets]
    others = [i for i in newcomers if t_all[i] not in targets]
    out = {"edits": len(log), "curated": len(curated.curated), "new": len(newcomers), "aimed": len(aimed)}
    # "replayed": the edits without anchoring (every quote counted as seen): what anchoring itself adds
    for name, edits, shown in (("with", log, seen), ("replayed", log, {"r1": set(ids)}), ("without", [], seen)):
        c = replay(second, v_all, edits, run_quotes=shown)
        major = majority(c.theme_of, t_all)
        curated_intent = {t for t, (intent, _) in major.items() if intent in targets}
        out[f"right_{name}"] = float(landed_right(c.theme_of, t_all, aimed).mean()) if aimed else float("nan")
        out[f"all_{name}"] = float(landed_right(c.theme_of, t_all, newcomers).mean())
        out[f"pulled_{name}"] = float(np.mean([c.theme_of[i] in curated_intent for i in others])) if others else 0.0
        if name == "with":
            out["anchored_new"] = len(c.anchored & set(newcomers))
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--seeds", type=int, default=3)
    parser.add_argument("--sets", nargs="+", default=list(DRAWS), choices=list(DRAWS))
    args = parser.parse_args()
    settings = ThemeSettings()
    loaders = {"banking77": load_banking, "hwu64": load_hwu}
    summary: dict[str, list[dict]] = {}
    for name in args.sets:
        texts, truth = loaders[name]()
        vectors = embed_cached(texts, settings)
        for intents, per in DRAWS[name]:
            for seed in range(1, args.seeds + 1):
                r = one_draw(texts, truth, vectors, intents, per, seed, settings)
                summary.setdefault(name, []).append(r)
                print(f"{name} {intents}x{per} seed {seed}: {r['edits']} edits on {r['curated']} curated themes; "
                      f"{r['aimed']} of {r['new']} new quotes of their intents; land right: with edits "
                      f"{100 * r['right_with']:.0f}% (no anchoring {100 * r['right_replayed']:.0f}%), without "
                      f"{100 * r['right_without']:.0f}% | all new quotes right: "
                      f"{100 * r['all_with']:.0f}% vs {100 * r['all_without']:.0f}% | others pulled into them: "
                      f"{100 * r['pulled_with']:.1f}% vs {100 * r['pulled_without']:.1f}% | anchored {r['anchored_new']}",
                      flush=True)
    for name, results in summary.items():
        def spread(key: str) -> str:
            v = [100 * r[key] for r in results if not np.isnan(r[key])]
            return f"{np.mean(v):.1f}% (min {min(v):.0f}, max {max(v):.0f})"
        print(f"{name}, {len(results)} draws: new quotes of curated themes' intents that land right: with edits "
              f"{spread('right_with')}, without {spread('right_without')}; all new quotes: with {spread('all_with')}, "
              f"without {spread('all_without')}; edits without anchoring: {spread('right_replayed')} right, "
              f"{spread('pulled_replayed')} pulled; other intents pulled into curated themes: with "
              f"{spread('pulled_with')}, without {spread('pulled_without')}")


if __name__ == "__main__":
    main()
