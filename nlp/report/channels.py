"""The report's view of where feedback comes from: the channels (interview, survey, ticket, review...),
the provenance of quotes that have no recording to play (a table's file and row, a transcript file),
the questions a survey asked, and the trend by week or month of the feedback's own dates."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import PurePath

from nlp.report.charts import TREND_THEMES, LineChart, series_chart
from nlp.report.view import ReportView
from nlp.schema import ThemesDocument, TopQuote
from nlp.sources.inbox import MEDIA_EXTENSIONS

PERIOD_KEYS = {"week": 26, "month": 24}  # the newest periods the chart shows
CHANNEL_NOUNS = {"interview": ("interview", "interviews"), "survey": ("survey response", "survey responses"),
                 "ticket": ("ticket", "tickets"), "review": ("review", "reviews")}
TREND_WORDS = {"new": "New", "rising": "\u25b2 Rising", "steady": "Steady", "falling": "\u25bc Falling"}


def file_name(path: str) -> str:
    return PurePath(path.replace("\\", "/")).name


def plays(q: TopQuote) -> bool:
    """A quote from a recording plays from its second; any other points at its file (and row)."""
    return PurePath(q.recording).suffix.lower() in MEDIA_EXTENSIONS


def source_label(q: TopQuote, with_question: bool = False) -> str:
    """'reviews.csv, row 12 · 5 Mar 2024'; 'survey.xlsx › Q1, row 4 · What should we improve?'; 'acme.vtt'."""
    where = file_name(q.recording) + (f" \u203a {q.sheet}" if q.sheet else "")
    if q.row is not None:
        where += f", {'item' if where.endswith('.json') else 'row'} {q.row}"
    parts = [where]
    if with_question and q.question:
        parts.append(q.question)
    if q.date:
        parts.append(day_label(q.date))
    return " \u00b7 ".join(parts)


def day_label(day: str) -> str:
    when = date.fromisoformat(day)
    return f"{when.day} {when:%b %Y}"


def count_phrase(channel: str, n: int) -> str:
    """'3 interviews', '1 ticket', '120 survey responses', '4 feedback items'."""
    one, many = CHANNEL_NOUNS.get(channel, (f"{channel} item", f"{channel} items"))
    return f"{n:,} {one if n == 1 else many}"


def run_counts(doc: ThemesDocument) -> list[str]:
    """What the run read, for the report's first line: ['7 interviews (2 new)', '3,286 reviews', ...]."""
    interviews = doc.run.channels.get("interview", 0 if doc.run.channels else doc.run.recordings)
    parts = [f"{interviews:,} interview{'s' if interviews != 1 else ''} ({doc.run.new_recordings} new)"] \
        if interviews or not doc.run.channels else []
    return parts + [count_phrase(c, n) for c, n in doc.run.channels.items() if c != "interview"]


def channels_of(doc: ThemesDocument) -> list[str]:
    """The run's channels, largest first (a run of recordings only has "interview")."""
    counts = dict(doc.run.channels)
    for theme in doc.themes:
        for channel in theme.channels:
            counts.setdefault(channel, 0)
    return sorted(counts, key=lambda c: (-counts[c], c))


def questions_of(doc: ThemesDocument) -> list[str]:
    """The survey questions (text columns) the shown quotes answer, when there are several to tell apart."""
    found = list(dict.fromkeys(q.question for t in doc.themes for q in t.top_quotes if q.question))
    return found if len(found) > 1 else []


@dataclass
class PeriodChart:
    period: str           # "week" | "month"
    chart: LineChart
    last: str             # the newest period, in words


def period_label(key: str, period: str) -> str:
    """'2024-W05' -> '29 Jan' (the Monday that starts it); '2024-03' -> 'Mar 2024'."""
    if period == "week":
        year, week = key.split("-W")
        monday = date.fromisocalendar(int(year), int(week), 1)
        return f"{monday.day} {monday:%b}"
    year, month = key.split("-")
    return f"{date(int(year), int(month), 1):%b %Y}"


def period_charts(view: ReportView) -> list[PeriodChart]:
    """Customers per theme by week and by month of the feedback's dates, the top dated themes; empty when
    no quote is dated or all fall in one period."""
    charts = []
    for period, most in PERIOD_KEYS.items():
        dated = [v.theme for v in view.themes if v.theme.periods.get(period)]
        if not dated:
            continue
        keys = list(dated[0].periods[period])[-most:]
        series = [(t.id, t.label, {k: n for k, n in t.periods[period].items() if k in keys})
                  for t in dated[:TREND_THEMES]]
        chart = series_chart(keys, series, lambda k, p=period: period_label(k, p))
        if chart:
            charts.append(PeriodChart(period, chart, period_label(keys[-1], period)))
    return charts


def period_change(counts: dict[str, int]) -> str:
    """'(2 → 5)': customers in the last period but one and the last."""
    values = list(counts.values())
    return f"({values[-2]} \u2192 {values[-1]})" if len(values) > 1 else ""
