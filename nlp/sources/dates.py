"""The dates feedback items carry, as YYYY-MM-DD, and the week or month they fall in.

Read with pandas: ISO 8601 first (what most tools export), then any other way of writing a date
(dateutil, through pandas' "mixed" format), and Unix time stamps in seconds or milliseconds.
03/04/2024 is read day first when some date in the column only makes sense that way (31/01/2024) or
when voc.toml says so (`dayfirst`); otherwise month first. A value that is no date stays undated.
"""

from __future__ import annotations

import re
import warnings
from datetime import date

NUMERIC_DATE = re.compile(r"^\s*(\d{1,2})([/.-])(\d{1,2})[/.-]\d{2,4}\b")
EPOCH = re.compile(r"^\d{10}(\d{3})?$")
YEARS = (1990, 2100)  # a date outside is a misread number, not when someone wrote feedback


def day_first(values: list[str]) -> bool:
    """Whether d/m/y dates are written day first: some first field over 12, or dots (05.01.2024)."""
    firsts, seconds, dotted = set(), set(), False
    for v in values:
        if m := NUMERIC_DATE.match(v):
            firsts.add(int(m[1]))
            seconds.add(int(m[3]))
            dotted = dotted or m[2] == "."
    if any(n > 12 for n in firsts):
        return True
    if any(n > 12 for n in seconds):
        return False
    return dotted


def parse_dates(values: list[str], dayfirst: bool | None = None) -> tuple[list[str | None], list[str]]:
    """-> (YYYY-MM-DD or None for each value, the non-empty values that are no date)."""
    import pandas as pd

    out: list[str | None] = [None] * len(values)
    todo = {i: v.strip() for i, v in enumerate(values) if v and v.strip()}
    if not todo:
        return out, []
    if all(EPOCH.match(v) for v in todo.values()):
        stamps = pd.to_datetime([int(v) for v in todo.values()], unit="s" if len(next(iter(todo.values()))) == 10
                                else "ms", utc=True, errors="coerce")
        found = dict(zip(todo, stamps))
    else:
        first = dayfirst if dayfirst is not None else day_first(list(todo.values()))
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "could not infer format": the next attempt handles it
            iso = pd.to_datetime(pd.Series(list(todo.values())), format="ISO8601", utc=True, errors="coerce")
            found = dict(zip(todo, iso))
            rest = [i for i, stamp in found.items() if pd.isna(stamp)]
            if rest:
                mixed = pd.to_datetime(pd.Series([todo[i] for i in rest]), format="mixed", dayfirst=first, utc=True,
                                       errors="coerce")
                found.update(zip(rest, mixed))
    bad = []
    for i, stamp in found.items():
        if pd.isna(stamp) or not YEARS[0] <= stamp.year <= YEARS[1]:
            bad.append(todo[i])
        else:
            out[i] = stamp.date().isoformat()
    return out, bad


def period_of(day: str, period: str) -> str:
    """'2024-01-05' -> '2024-W01' (ISO week) or '2024-01' (month)."""
    when = date.fromisoformat(day)
    if period == "week":
        year, week, _ = when.isocalendar()
        return f"{year}-W{week:02d}"
    return f"{when.year}-{when.month:02d}"


def periods_between(first: str, last: str, period: str) -> list[str]:
    """Every week or month from the one holding `first` to the one holding `last`, oldest first."""
    from datetime import timedelta

    start, end = date.fromisoformat(first), date.fromisoformat(last)
    out: list[str] = []
    if period == "week":
        day = start - timedelta(days=start.weekday())
        while day <= end:
            out.append(period_of(day.isoformat(), "week"))
            day += timedelta(days=7)
        return out
    year, month = start.year, start.month
    while (year, month) <= (end.year, end.month):
        out.append(f"{year}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return out
