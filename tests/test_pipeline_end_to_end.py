"""The whole flow on the shipped sample interviews, checked the way a reader would check it."""

from __future__ import annotations

import csv
import json
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import SAMPLES, project_settings
from nlp.sources.inbox import sha256_of


@pytest.fixture(scope="session")
def two_runs(prefect_harness, tmp_path_factory):
    """Run the flow twice over the samples; the second run must reuse every transcript."""
    from flows.synthesis import synthesize

    tmp = tmp_path_factory.mktemp("e2e")
    before = {p.name: sha256_of(p) for p in SAMPLES.iterdir() if p.is_file()}
    settings = project_settings(tmp)
    first = synthesize(settings)
    second = synthesize(settings)
    after = {p.name: sha256_of(p) for p in SAMPLES.iterdir() if p.is_file()}
    return tmp, first, second, before, after


def load(run_dir: Path):
    doc = json.loads((run_dir / "themes.json").read_text())
    with open(run_dir / "quotes.csv", newline="") as f:
        quotes = list(csv.DictReader(f))
    return doc, quotes


def test_inbox_is_never_changed(two_runs):
    _, _, _, before, after = two_runs
    assert before == after


def test_report_files_present_and_latest_refreshed(two_runs):
    tmp, first, second, *_ = two_runs
    for result in (first, second):
        run_dir = Path(result["report"])
        for name in ("report.html", "report.md", "themes.json", "quotes.csv"):
            assert (run_dir / name).stat().st_size > 0, name
    latest = tmp / "reports" / "latest"
    assert (latest / "themes.json").read_text() == (Path(second["report"]) / "themes.json").read_text()
    assert Path(first["report"]) != Path(second["report"])


def test_at_least_three_themes_with_customers_counted_once(two_runs):
    _, first, *_ = two_runs
    doc, quotes = load(Path(first["report"]))
    assert len(doc["themes"]) >= 3
    customers_by_theme = defaultdict(set)
    quotes_by_theme = defaultdict(int)
    for q in quotes:
        if q["theme_id"]:
            customers_by_theme[q["theme_id"]].add(q["customer"])
            quotes_by_theme[q["theme_id"]] += 1
    for theme in doc["themes"]:
        assert theme["customers"] == len(customers_by_theme[theme["id"]]), theme["label"]
        assert theme["quotes"] == quotes_by_theme[theme["id"]]
        assert sum(theme["kinds"].values()) == theme["quotes"]
        assert sum(theme["segments"]["plan"].values()) == theme["customers"]
        assert theme["why"].startswith(f"{theme['customers']} of 7 customers")
        assert len({q["customer"] for q in theme["top_quotes"][:2]}) == min(2, theme["customers"])
    # A theme shared by most customers must exist: every sample customer complains about slow dashboards.
    assert max(t["customers"] for t in doc["themes"]) >= 5
    assert [t["rank"] for t in doc["themes"]] == list(range(1, len(doc["themes"]) + 1))
    general = (doc.get("general_sentiment") or {}).get("quotes", 0)  # "Great app!": counted apart, in no theme
    assert doc["unthemed_quotes"] + general == sum(1 for q in quotes if not q["theme_id"])


def test_quotes_come_from_customers_inside_their_recording(two_runs):
    tmp, first, *_ = two_runs
    _, quotes = load(Path(first["report"]))
    durations = {}
    for path in (tmp / "transcripts").glob("*.json"):
        t = json.loads(path.read_text())
        durations[t["recording"]["path"]] = t["recording"]["duration_s"]
    interviewers = {"Sam Carter", "Jordan Lee"}
    assert quotes
    for q in quotes:
        assert 0 <= float(q["start"]) < float(q["end"]) <= durations[q["recording"]] + 0.01
        assert q["role"] == "customer" and q["speaker"] not in interviewers
        assert q["kind"] in {"pain", "request", "praise", "question", "other"}
    # Interviewer questions never become quotes.
    assert not any(q["text"].startswith("How do you") for q in quotes)


def test_second_run_uses_the_cache_and_keeps_theme_ids(two_runs):
    tmp, first, second, *_ = two_runs
    first_doc, _ = load(Path(first["report"]))
    second_doc, _ = load(Path(second["report"]))
    assert first_doc["run"]["new_recordings"] == 7
    assert second_doc["run"]["new_recordings"] == 0
    assert len(list((tmp / "transcripts").glob("*.json"))) == 7
    assert [t["id"] for t in second_doc["themes"]] == [t["id"] for t in first_doc["themes"]]
    assert all(t["trend"] == "steady" for t in second_doc["themes"])


def test_html_report_plays_each_quote_from_its_start(two_runs):
    _, first, *_ = two_runs
    run_dir = Path(first["report"])
    doc, _ = load(run_dir)
    html = (run_dir / "report.html").read_text()
    import re

    sources = re.findall(r'<audio[^>]* src="([^"#]+)#t=([0-9.]+),([0-9.]+)"', html)
    shown = [q for t in doc["themes"] for q in t["top_quotes"]]
    assert len(sources) == len(shown)
    for (src, start, end), quote in zip(sources, shown):
        # Relative to the report folder, and pointing at the very recording the quote came from.
        assert not src.startswith("/") and (run_dir / src).resolve() == Path(quote["recording"]).resolve()
        assert float(start) == pytest.approx(quote["start"], abs=0.01) and float(end) > float(start)
    md = (run_dir / "report.md").read_text()
    for theme in doc["themes"]:
        assert theme["label"] in md and theme["label"] in html
