"""Chart geometry for report.html: numbers only. The templates draw them as inline SVG (and the heatmap as a
shaded table), so the report stays one file with no script library, and every label goes through the
templates' autoescaping."""

from __future__ import annotations

import math
from dataclasses import dataclass

from nlp.report.view import ReportView, TREND_RUNS

PALETTE = ("#2f6fde", "#c2412d", "#2e8b57", "#8a5cd1", "#d08c00", "#138a9e")
TREND_THEMES = len(PALETTE)  # more lines than colours is unreadable


@dataclass
class Bar:
    theme_id: str
    label: str
    customers: int
    y: float
    width: float  # percent of the chart's width


@dataclass
class BarChart:
    height: int
    total: int
    bars: list[Bar]


@dataclass
class Line:
    theme_id: str
    label: str
    color: str
    pieces: list[list[tuple[float, float, int, str]]]  # connected stretches of (x, y, customers, run id)


@dataclass
class LineChart:
    width: int
    height: int
    left: int
    bottom: float
    lines: list[Line]
    y_ticks: list[tuple[float, int]]
    x_labels: list[tuple[float, str, str]]  # (x, date, text-anchor)


def bar_chart(view: ReportView, row: int = 36) -> BarChart:
    """Themes by distinct customers, in rank order; each bar is measured against every customer of the run."""
    total = max(view.customers, 1)
    bars = [Bar(v.theme.id, f"{v.theme.rank}. {v.theme.label}", v.theme.customers, i * row,
                round(100 * v.theme.customers / total, 1)) for i, v in enumerate(view.themes)]
    return BarChart(len(bars) * row + 2, total, bars)


def nice_ticks(top: int, count: int = 4) -> list[int]:
    step = max(1, math.ceil(top / count))
    return list(range(0, top + step, step))


def line_chart(view: ReportView, width: int = 460, height: int = 220) -> LineChart | None:
    """Customers per theme across the newest runs, for the top themes; None until there are two runs."""
    runs = view.runs[-TREND_RUNS:]
    if len(runs) < 2:
        return None
    left, right, top, bottom = 34, 26, 10, height - 30
    shown = view.themes[:TREND_THEMES]
    most = max((n for v in shown for r, n in v.history if r in runs), default=1)
    ticks = nice_ticks(max(most, 1))
    x_of = {r: left + i * (width - left - right) / (len(runs) - 1) for i, r in enumerate(runs)}

    def y_of(n: int) -> float:
        return round(bottom - (bottom - top) * n / ticks[-1], 1)

    lines = []
    for color, v in zip(PALETTE, shown):
        by_run = dict(v.history)
        pieces: list[list[tuple[float, float, int, str]]] = [[]]
        for r in runs:
            if r in by_run:
                pieces[-1].append((round(x_of[r], 1), y_of(by_run[r]), by_run[r], r))
            elif pieces[-1]:
                pieces.append([])  # absent from a run: break the line rather than pretend
        lines.append(Line(v.theme.id, v.theme.label, color, [p for p in pieces if p]))
    # At most five dates fit under the axis: every n-th run counted back from this one. The outermost dates
    # hang inwards from their point, so the chart's edges do not cut them.
    last = len(runs) - 1
    labelled = sorted(range(last, -1, -math.ceil(len(runs) / 5)))
    labels = [(round(x_of[runs[i]], 1), view.run_label(runs[i]),
               "start" if i == 0 else "end" if i == last else "middle") for i in labelled]
    return LineChart(width, height, left, bottom, lines, [(y_of(t), t) for t in ticks], labels)


def sparkline(history: list[tuple[str, int]], width: int = 90, height: int = 22) -> str | None:
    """SVG polyline points for a theme's customers per run (None for a single run)."""
    values = [n for _, n in history[-TREND_RUNS:]]
    if len(values) < 2:
        return None
    top = max(values) or 1
    step = width / (len(values) - 1)
    return " ".join(f"{i * step:.1f},{height - 2 - (height - 4) * n / top:.1f}" for i, n in enumerate(values))


def heat_style(count: int, of: int) -> str:
    """Cell shading for the segment heatmap: the share of a segment's customers who raised the theme."""
    share = count / of if of else 0.0
    alpha = 0.12 + 0.78 * share
    ink = "#fff" if alpha > 0.55 else "#1d2430"
    return f"background:rgba(47,111,222,{alpha:.2f});color:{ink}"
