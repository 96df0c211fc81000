"""What a ranked theme is made of beyond its rank: which channels its customers spoke through, and,
where its quotes carry the feedback's own dates, how many customers raised it each week and month,
with "new", "rising" and "falling" decided the way run-to-run trends are (nlp.themes.rank.trend)."""

from __future__ import annotations

from collections import defaultdict

from nlp.schema import Quote, Theme
from nlp.sources.dates import period_of, periods_between
from nlp.themes.rank import trend

PERIODS = ("week", "month")


def period_trend(counts: list[int]) -> str:
    """The last period against the one before, as a run against the last run: a theme nobody raised
    in the period before is new in the last one."""
    last, before = counts[-1], counts[-2] if len(counts) > 1 else 0
    if not before:
        return "new" if last else "steady"
    return trend(last, before)


def date_span(quotes: list[Quote]) -> dict[str, list[str]]:
    """Every week and month from the oldest dated quote to the newest; empty when none is dated."""
    dated = [q.date for q in quotes if q.date]
    if not dated:
        return {}
    return {p: periods_between(min(dated), max(dated), p) for p in PERIODS}


def customers_by(quotes: list[Quote], field: str) -> dict[str, int]:
    """Distinct customers per value of a quote field (channel, question), most first; quotes without one left out."""
    customers: dict[str, set[str]] = defaultdict(set)
    for q in quotes:
        if value := getattr(q, field):
            customers[value].add(q.customer)
    return dict(sorted(((c, len(s)) for c, s in customers.items()), key=lambda kv: (-kv[1], kv[0])))


def describe(themes: list[Theme], quotes: list[Quote]) -> None:
    """Fill in each theme's channels, questions, interviews and (for dated quotes) periods, from the quotes'
    theme ids."""
    members: dict[str, list[Quote]] = defaultdict(list)
    for q in quotes:
        if q.theme_id:
            members[q.theme_id].append(q)
    span = date_span(quotes)
    for theme in themes:
        own = members.get(theme.id, [])
        theme.channels = customers_by(own, "channel")
        theme.questions = customers_by(own, "question")
        theme.interviews = len({q.recording for q in own if q.channel == "interview"})
        if not any(q.date for q in own):
            continue
        for period, keys in span.items():
            customers: dict[str, set[str]] = defaultdict(set)
            for q in own:
                if q.date:
                    customers[period_of(q.date, period)].add(q.customer)
            counts = [len(customers.get(k, ())) for k in keys]
            theme.periods[period] = dict(zip(keys, counts))
            theme.period_trends[period] = period_trend(counts)
