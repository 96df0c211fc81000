"""Rank themes the way a PM decides: distinct customers first (one customer repeating a point
counts once), weighted by segment, by kind and by severity; each theme says why it ranks there."""

from __future__ import annotations

from collections import Counter, defaultdict

import numpy as np

from nlp.schema import KINDS, GeneralSentiment, Quote, Theme, ThemesDocument, TopQuote
from nlp.settings import RankSettings
from nlp.themes.cluster import ThemeDraft
from nlp.themes.vectors import unit_mean

PLURAL = {"pain": "pains", "request": "requests", "praise": "praise", "question": "questions", "other": "remarks"}


def segment_weight(segments: dict[str, str], settings: RankSettings) -> float:
    weight = 1.0
    for dimension, by_value in settings.segment_weights.items():
        weight *= by_value.get(segments.get(dimension, ""), 1.0)
    return weight


def theme_score(quotes: list[Quote], segments_of: dict[str, dict[str, str]], settings: RankSettings) -> float:
    """Sum over distinct customers of segment weight x the weightiest thing they said (kind x severity)."""
    best: dict[str, float] = defaultdict(float)
    for q in quotes:
        best[q.customer] = max(best[q.customer], settings.kind_weights.get(q.kind, 0.2) * (1 + q.severity))
    return round(sum(segment_weight(segments_of.get(c, {}), settings) * w for c, w in best.items()), 3)


def trend(customers: int, previous: int | None) -> str:
    if previous is None:
        return "new"
    return "rising" if customers > previous else "falling" if customers < previous else "steady"


def segment_breakdown(customers: set[str], segments_of: dict[str, dict[str, str]], dimensions: list[str]) -> dict[str, dict[str, int]]:
    out = {}
    for dim in dimensions:
        counts = Counter(segments_of.get(c, {}).get(dim) or "unknown" for c in customers)
        out[dim] = dict(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0])))
    return out


def since(previous_run: str | None) -> str:
    """ "since 2026-01-05" for an ISO timestamp, "since the last run" without one."""
    return f"since {previous_run[:10]}" if previous_run else "since the last run"


def why_line(customers: int, total: int, breakdown: dict[str, dict[str, int]], kinds: Counter,
             trend_word: str, previous: int | None, settings: RankSettings, previous_run: str | None = None,
             first_run: bool = False) -> str:
    """One line: "7 of 12 customers, 4 of them Enterprise, mostly pains, new since 2026-01-05"."""
    parts = [f"{customers} of {total} customers"]
    weighted = [d for d in settings.segment_weights if d in breakdown]
    dim = weighted[0] if weighted else next(iter(breakdown), None)
    if dim:
        weights = settings.segment_weights.get(dim, {})
        value = max(breakdown[dim], key=lambda v: (weights.get(v, 1.0), breakdown[dim][v], v))
        if value != "unknown":
            parts[0] += f", {breakdown[dim][value]} of them {value}"
    kind, count = sorted(kinds.items(), key=lambda kv: (-kv[1], KINDS.index(kv[0])))[0]
    parts.append(f"{'mostly' if count * 2 > sum(kinds.values()) else 'many'} {PLURAL[kind]}")
    if not first_run:  # on the first run everything is new: saying so tells nothing
        parts.append({"new": f"new {since(previous_run)}", "steady": f"steady {since(previous_run)}",
                      "rising": f"up from {previous} customers {since(previous_run)}",
                      "falling": f"down from {previous} customers {since(previous_run)}"}[trend_word])
    return ", ".join(parts)


def representative_quotes(members: list[int], quotes: list[Quote], vectors: np.ndarray, centroid: np.ndarray,
                          limit: int) -> list[Quote]:
    """The researcher's starred quotes first (all of them), then the closest to the centroid, one per
    customer before any customer gets a second."""
    ordered = sorted(members, key=lambda i: (-float(vectors[i] @ centroid), quotes[i].quote_id))
    starred = [i for i in ordered if quotes[i].starred]
    ordered = [i for i in ordered if not quotes[i].starred]
    seen: set[str] = set()
    first = [i for i in ordered if not (quotes[i].customer in seen or seen.add(quotes[i].customer))]
    rest = [i for i in ordered if i not in first]
    return [quotes[i] for i in starred + (first + rest)[:max(limit - len(starred), 0)]]


def rank_themes(drafts: list[ThemeDraft], ids: list[str], quotes: list[Quote], vectors: np.ndarray,
                segments_of: dict[str, dict[str, str]], dimensions: list[str], previous_customers: dict[str, int],
                settings: RankSettings, top_quotes: int = 4, previous_run: str | None = None) -> list[Theme]:
    """Themes scored and ordered, each with its why line, segment breakdown and top quotes.
    `previous_customers` (theme id -> customers) and `previous_run` (its start) come from the
    last run in the store; both empty on the first run."""
    first_run = previous_run is None and not previous_customers
    total = len({q.customer for q in quotes}) or 1
    themes = []
    for draft, theme_id in zip(drafts, ids):
        members = [quotes[i] for i in draft.members]
        customers = {q.customer for q in members}
        kinds = Counter(q.kind for q in members)
        breakdown = segment_breakdown(customers, segments_of, dimensions)
        prev = previous_customers.get(theme_id)
        trend_word = trend(len(customers), prev)
        themes.append(Theme(
            id=theme_id, label=draft.label, keywords=draft.keywords,
            score=theme_score(members, segments_of, settings),
            why=why_line(len(customers), total, breakdown, kinds, trend_word, prev, settings, previous_run, first_run),
            customers=len(customers), interviews=len({q.recording for q in members}), quotes=len(members),
            kinds={k: kinds.get(k, 0) for k in KINDS},
            sentiment=round(float(np.mean([q.sentiment for q in members])), 3),
            trend=trend_word, segments=breakdown,
            top_quotes=[TopQuote(**q.model_dump(include=set(TopQuote.model_fields)))
                        for q in representative_quotes(draft.members, quotes, vectors, draft.centroid, top_quotes)],
        ))
    themes.sort(key=lambda t: (-t.score, -t.customers, t.id))
    for rank, theme in enumerate(themes, start=1):
        theme.rank = rank
    return themes


def general_sentiment(members: list[int], quotes: list[Quote], vectors: np.ndarray, top_quotes: int = 4) -> GeneralSentiment:
    """The quotes with a mood and no subject, counted: how many, from how many customers, how many
    positive or negative (VADER's compound score beyond +-0.05; a pain is negative whatever its score:
    "Doesn't work at all" scores 0), and the most typical of them."""
    said = [quotes[i] for i in members]
    centre = unit_mean(vectors[members]) if members else np.zeros(vectors.shape[1] if vectors.ndim == 2 else 0)
    typical = representative_quotes(members, quotes, vectors, centre, top_quotes)
    return GeneralSentiment(quotes=len(said), customers=len({q.customer for q in said}),
                            positive=sum(q.sentiment > 0.05 and q.kind != "pain" for q in said),
                            negative=sum(q.sentiment < -0.05 or q.kind == "pain" for q in said),
                            top_quotes=[TopQuote(**q.model_dump(include=set(TopQuote.model_fields))) for q in typical],
                            quote_ids=[q.quote_id for q in said])


def count_general_apart(doc: ThemesDocument, quotes: list[Quote], vectors: np.ndarray, general_ids: set[str],
                        top_quotes: int) -> None:
    """Quotes of general-sentiment groups (`general_ids`) that the researcher's edits left in no theme and
    did not hide are counted in doc.general_sentiment, not among the unthemed. `quotes` are the run's,
    placed in their themes, one per row of `vectors`."""
    members = [i for i, q in enumerate(quotes) if q.quote_id in general_ids and q.theme_id is None and not q.hidden]
    if members:
        doc.unthemed_quotes -= len(members)
        doc.general_sentiment = general_sentiment(members, quotes, vectors, top_quotes)
