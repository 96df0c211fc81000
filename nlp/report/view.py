"""What the report shows, worked out from a run: takeaways, who said each quote, segment shares,
trend across runs and the filter options. Plain data for the templates (report.html, report.md and
the Prefect artifacts), so every output tells the same story."""

from __future__ import annotations

import graphlib
import re
from dataclasses import dataclass, field
from datetime import datetime

from nlp.themes.rank import PLURAL, segment_breakdown
from nlp.schema import KINDS, Quote, Theme, ThemesDocument, TopQuote

KIND_NAMES = {"pain": "Pain points", "request": "Requests", "praise": "Praise", "question": "Questions",
              "other": "Other remarks"}
MAX_SEGMENT_VALUES = 10  # more values than this: too many for a heatmap column each
TREND_RUNS = 12  # the trend chart shows the newest runs only: nightly runs add up
RUN_ID_TIME = re.compile(r"^(\d{8})-(\d{6})")

History = dict[str, list[tuple[str, int]]]  # theme id -> [(run id, customers)], oldest first


@dataclass
class QuoteView:
    quote: TopQuote
    company: str
    segments: list[tuple[str, str]]  # (dimension, value) of the customer who said it

    @property
    def filter_tokens(self) -> list[str]:
        return [segment_token(d, v) for d, v in self.segments]


@dataclass
class ThemeView:
    theme: Theme
    quotes: list[QuoteView]
    history: list[tuple[str, int]]  # (run id, customers) including this run
    breakdown: dict[str, dict[str, int]]  # the segment dimensions worth showing

    @property
    def filter_tokens(self) -> list[str]:
        return [segment_token(d, v) for d, values in self.theme.segments.items() for v, n in values.items() if n]

    @property
    def filter_kinds(self) -> list[str]:
        return [k for k in KINDS if self.theme.kinds.get(k)]

    @property
    def previous_customers(self) -> int | None:
        return self.history[-2][1] if len(self.history) > 1 else None


@dataclass
class Takeaway:
    theme: Theme
    sentence: str
    quote: QuoteView | None


@dataclass
class SegmentColumn:
    dimension: str
    value: str
    customers: int  # customers of the run in this segment


@dataclass
class ReportView:
    doc: ThemesDocument
    total_quotes: int
    customers: int
    run_date: str
    themes: list[ThemeView]
    takeaways: list[Takeaway]
    changes: list[str]  # what is new, rising or falling since the last run, one line each
    segment_columns: list[SegmentColumn]
    filter_segments: dict[str, list[str]]  # dimension -> values, for the segment filter
    runs: list[str] = field(default_factory=list)  # run ids of the trend chart, oldest first

    def run_label(self, run_id: str) -> str:
        return run_label(run_id, self.runs)

    @property
    def segment_groups(self) -> list[tuple[str, list[SegmentColumn]]]:
        groups: dict[str, list[SegmentColumn]] = {}
        for column in self.segment_columns:
            groups.setdefault(column.dimension, []).append(column)
        return list(groups.items())


def segment_token(dimension: str, value: str) -> str:
    return f"{dimension}={value}"


def customer_segments(row: dict[str, str], dimensions: list[str]) -> list[tuple[str, str]]:
    return [(d, row[d]) for d in dimensions if row.get(d)]


def segment_dimensions(doc: ThemesDocument) -> list[str]:
    dims: list[str] = []
    for theme in doc.themes:
        dims += [d for d in theme.segments if d not in dims]
    return dims


def grouping_dimensions(sizes: dict[str, dict[str, int]], customers: int) -> list[str]:
    """Dimensions that group customers: some value shared by several customers (so not a role or a name, one
    per customer) and not too many values for a column each."""
    return [d for d, values in sizes.items() if set(values) != {"unknown"}
            and len(values) <= MAX_SEGMENT_VALUES and (len(values) < customers or len(values) == 1)]


def run_order(history: History) -> list[str]:
    """All run ids in the histories, oldest first: each history is in run order, so merge them (runs that no
    history orders go by id, which voc makes from the start time)."""
    graph: dict[str, set[str]] = {}
    for points in history.values():
        ids = [run_id for run_id, _ in points]
        for i, run_id in enumerate(ids):
            graph.setdefault(run_id, set()).update(ids[i - 1:i])
    sorter = graphlib.TopologicalSorter(graph)
    try:
        sorter.prepare()
    except graphlib.CycleError:  # histories that disagree (a clock set back): the ids' order will do
        return sorted(graph)
    order: list[str] = []
    while sorter.is_active():
        ready = sorted(sorter.get_ready())
        order += ready
        sorter.done(*ready)
    return order


def run_history(history_of, doc: ThemesDocument) -> History:
    """Customers per run for each theme of `doc`, up to and including this run. `history_of(theme id)` gives
    the stored [(run id, customers)] (Store.history), which lacks this run until it is saved."""
    out: History = {}
    for theme in doc.themes:
        points = list(history_of(theme.id))
        ids = [run_id for run_id, _ in points]
        if doc.run.id in ids:
            points = points[: ids.index(doc.run.id) + 1]  # re-rendering an older run: no later runs
        else:
            points.append((doc.run.id, theme.customers))
        out[theme.id] = points
    return out


def run_label(run_id: str, runs: list[str]) -> str:
    """'22 Nov' for run ids made from the start time (flows.synthesis.new_run_id); with the time when a day
    holds several runs."""
    match = RUN_ID_TIME.match(run_id)
    if not match:
        return run_id
    when = datetime.strptime(match.group(1) + match.group(2), "%Y%m%d%H%M%S")
    same_day = [r for r in runs if r[:8] == run_id[:8]]
    return f"{when.day} {when:%b %H:%M}" if len(same_day) > 1 else f"{when.day} {when:%b}"


def human_date(iso: str) -> str:
    """'22 Nov 2026, 17:18 UTC' from an ISO time stamp (as is when it does not parse)."""
    try:
        when = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{when.day} {when:%b %Y, %H:%M} {when.tzname() or ''}".rstrip()


def shorten(text: str, limit: int = 160) -> str:
    """Cut at a word boundary, marking the cut."""
    if len(text) <= limit:
        return text
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:-") + " …"


def dominant_kinds(theme: Theme) -> list[str]:
    """Kinds by how often the theme's quotes are of them, 'other' last: it says least about the theme."""
    return sorted((k for k in KINDS if theme.kinds.get(k)), key=lambda k: (k == "other", -theme.kinds[k]))


def takeaway_sentence(theme: Theme, total: int, previous: int | None, first_run: bool) -> str:
    kinds = dominant_kinds(theme)
    said = ""
    if kinds and kinds[0] != "other":
        top = kinds[0]
        if theme.kinds[top] * 2 > theme.quotes:
            said = f", mostly as {PLURAL[top]}"
        else:
            said = f"; {theme.kinds[top]} of its {theme.quotes} quotes are {PLURAL[top]}"
    change = ""
    if theme.trend == "new" and not first_run:
        change = "; new since the last run"
    elif theme.trend in ("rising", "falling") and previous is not None:
        change = f"; {'up' if theme.trend == 'rising' else 'down'} from {previous} last run"
    return f"{theme.customers} of {total} customers raised it{said}{change}."


def headline_quote(view: ThemeView, words: tuple[int, int] = (8, 40)) -> QuoteView | None:
    """The quote to print beside a takeaway: the most central one of the theme's main kind that reads as a
    sentence (not a fragment, not a monologue); else the most central. A quote the researcher starred
    comes first."""
    starred = [q for q in view.quotes if q.quote.starred]
    if starred:
        return starred[0]
    kinds = dominant_kinds(view.theme)
    for q in view.quotes:
        if kinds and q.quote.kind == kinds[0] and words[0] <= len(q.quote.text.split()) <= words[1]:
            return q
    return view.quotes[0] if view.quotes else None


def change_lines(themes: list[ThemeView], first_run: bool) -> list[str]:
    if not themes:
        return []
    if first_run:
        return ["First run: every theme is new. Trends show from the next run on."]
    new = [v.theme.label for v in themes if v.theme.trend == "new"]
    moved = {word: [f"{v.theme.label} ({v.previous_customers} → {v.theme.customers} customers)"
                    if v.previous_customers is not None else v.theme.label
                    for v in themes if v.theme.trend == word] for word in ("rising", "falling")}
    lines = []
    if new:
        lines.append("New since the last run: " + ", ".join(new) + ".")
    if moved["rising"]:
        lines.append("Rising: " + ", ".join(moved["rising"]) + ".")
    if moved["falling"]:
        lines.append("Falling: " + ", ".join(moved["falling"]) + ".")
    return lines or ["No theme is new, rising or falling since the last run."]


def build_view(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]],
               history: History | None = None, takeaway_count: int = 3) -> ReportView:
    """`people` maps customer -> participants.csv row; `history` is run_history's (None: this run only)."""
    history = history or {t.id: [(doc.run.id, t.customers)] for t in doc.themes}
    quotes = [q for q in quotes if not q.hidden]  # hidden by the researcher: not shown, not counted
    customers = {q.customer for q in quotes}
    dimensions = segment_dimensions(doc)
    sizes = segment_breakdown(customers, people, dimensions)  # the run's customers per segment
    grouping = grouping_dimensions(sizes, len(customers))

    def quote_view(q: TopQuote) -> QuoteView:
        row = people.get(q.customer, {})
        return QuoteView(q, row.get("company", ""), customer_segments(row, dimensions))

    views = [ThemeView(t, [quote_view(q) for q in t.top_quotes], history.get(t.id, [(doc.run.id, t.customers)]),
                       {d: t.segments[d] for d in grouping if d in t.segments}) for t in doc.themes]
    runs = run_order(history)
    first_run = len(runs) <= 1 and all(t.trend == "new" for t in doc.themes)
    takeaways = [Takeaway(v.theme, takeaway_sentence(v.theme, len(customers), v.previous_customers, first_run),
                          headline_quote(v)) for v in views[:takeaway_count]]
    return ReportView(
        doc=doc, total_quotes=len(quotes), customers=len(customers), run_date=human_date(doc.run.started_at),
        themes=views, takeaways=takeaways, changes=change_lines(views, first_run),
        # A column of customers whose segment nobody knows (a review has no plan) says nothing: left out.
        segment_columns=[SegmentColumn(d, v, n) for d in grouping for v, n in sizes[d].items() if v != "unknown"],
        filter_segments={d: known for d in dimensions
                         if (known := [v for v in sizes[d] if v != "unknown"])
                         and len(known) <= 2 * MAX_SEGMENT_VALUES},
        runs=runs,
    )


def themes_table(view: ReportView) -> list[dict]:
    """One row per ranked theme: the Prefect table artifact and spreadsheets."""
    return [{"rank": v.theme.rank, "theme": v.theme.label, "id": v.theme.id, "customers": v.theme.customers,
             "interviews": v.theme.interviews, "quotes": v.theme.quotes, "trend": v.theme.trend,
             **{k: v.theme.kinds.get(k, 0) for k in KINDS}, "score": v.theme.score, "why": v.theme.why}
            for v in view.themes]
