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
    shown = [(v.theme.id, v.theme.label, dict(v.history)) for v in view.themes[:TREND_THEMES]]
    return series_chart(view.runs[-TREND_RUNS:], shown, view.run_label, width, height)


def series_chart(keys: list[str], series: list[tuple[str, str, dict[str, int]]], label_of, width: int = 460,
                 height: int = 220) -> LineChart | None:
    """Customers of each (theme id, label, {key: customers}) over `keys` (runs, or weeks or months), oldest
    first; a key a theme lacks breaks its line. None for fewer than two keys."""
    if len(keys) < 2:
        return None
    left, right, top, bottom = 34, 26, 10, height - 30
    most = max((n for _, _, values in series for k, n in values.items() if k in keys), default=1)
    ticks = nice_ticks(max(most, 1))
    x_of = {k: left + i * (width - left - right) / (len(keys) - 1) for i, k in enumerate(keys)}

    def y_of(n: int) -> float:
        return round(bottom - (bottom - top) * n / ticks[-1], 1)

    lines = []
    for color, (theme_id, label, values) in zip(PALETTE, series):
        pieces: list[list[tuple[float, float, int, str]]] = [[]]
        for k in keys:
            if k in values:
                pieces[-1].append((round(x_of[k], 1), y_of(values[k]), values[k], k))
            elif pieces[-1]:
                pieces.append([])  # absent from a run: break the line rather than pretend
        lines.append(Line(theme_id, label, color, [p for p in pieces if p]))
    # At most five labels fit under the axis: every n-th key counted back from the last. The outermost
    # labels hang inwards from their point, so the chart's edges do not cut them.
    last = len(keys) - 1
    labelled = sorted(range(last, -1, -math.ceil(len(keys) / 5)))
    labels = [(round(x_of[keys[i]], 1), label_of(keys[i]),
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
