"""The report files rendered from fixed data, the themes.json schema, and the Prefect artifacts."""

from __future__ import annotations

import asyncio
import csv
import json
import re
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from nlp.report.writers import (check_themes, quotes_csv, read_quotes_csv, render, rerender, themes_schema, themes_validator,
                        write_report)
from nlp.report.view import run_history, run_order
from nlp.schema import Recording
from report_data import HOSTILE, PEOPLE, PLAYED_START, RUNS, fixed_run


@pytest.fixture
def rendered(tmp_path: Path) -> dict[str, str]:
    doc, quotes, history = fixed_run(tmp_path)
    return render(doc, quotes, tmp_path / "reports" / doc.run.id, PEOPLE, history)


def test_html_escapes_untrusted_text(rendered):
    html = rendered["report.html"]
    assert "<script>window.pwned" not in html and "<img src=x" not in html
    assert "&lt;script&gt;window.pwned=1;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript:' not in html and "onerror=\"" not in html
    # The only script is the report's own, and the only <img> none at all.
    assert html.count("<script") == 1 and "<img" not in html


def test_html_takeaways_first_then_charts_then_ranked_themes(rendered):
    html = rendered["report.html"]
    takeaways, charts = html.index("Key takeaways"), html.index('class="charts"')
    assert takeaways < charts < html.index('<article class="theme"')
    top = html[takeaways:charts]
    assert "Broken exports</a></strong>: 3 of 4 customers raised it, mostly as pains; up from 2 last run" in top
    assert "Single sign-on</a></strong>: 2 of 4 customers raised it, mostly as requests; new since the last run" in top
    assert "New since the last run: Single sign-on." in top
    assert "Rising: Broken exports (2 → 3 customers)." in top
    assert "Falling: Support is great (2 → 1 customers)." in top
    # Ranked order, each with its why line, counts, kind mix, trend and segments.
    order = [html.index(f'id="{t}"') for t in ("T001", "T004", "T002")]
    assert order == sorted(order)
    card = html[order[0]:order[1]]
    assert "3 of 4 customers, mostly pains, up from 2 customers" in card
    assert "4 quotes in 3 interviews" in card and "3 pain · 1 request" in card
    assert "Rising" in card and "(2 &rarr; 3)" in card and 'class="spark"' in card
    assert "Enterprise 1 · Pro 2" in card and "EMEA 2 · APAC 1" in card
    assert "<span>Role</span>" not in card  # one value per customer: an attribute, not a segment
    assert "<strong>Ann</strong>, Acme &middot; Enterprise &middot; EMEA &middot; CTO" in card
    assert "recordings/bad.mp3</code>: file is empty" in html


def test_html_charts_show_customers_trend_and_segments(rendered):
    html = rendered["report.html"]
    bars = re.findall(r'<rect class="bar" [^>]*width="([0-9.]+)%"', html)
    assert [float(w) for w in bars] == [75.0, 50.0, 25.0]  # 3, 2 and 1 of 4 customers
    trend = html[html.index("Trend across runs"):html.index("Who raised what")]
    assert trend.count("<polyline") == 2  # two themes span several runs; the new one is a single point
    assert trend.count("<circle") == 3 + 1 + 3
    assert ">1 Jan<" in trend and ">3 Jan<" in trend
    heat = html[html.index("Who raised what"):html.index('id="themes"')]
    assert "Enterprise<small>1 customer</small>" in heat and "Pro<small>2 customers</small>" in heat
    row = heat[heat.index("1. Broken exports"):heat.index("2. Single sign-on")]
    # Columns: Pro, Enterprise, Starter; EMEA, APAC, North America (largest segment first).
    assert re.findall(r">(\d/\d)</td>", row) == ["2/2", "1/1", "0/1", "2/2", "1/1", "0/1"]


def test_html_quotes_carry_play_buttons_at_their_start(rendered, tmp_path: Path):
    html = rendered["report.html"]
    button = re.search(r'<button class="play" [^>]*aria-controls="(audio-T001-1)"[^>]*data-start="([0-9.]+)"', html)
    assert button and float(button.group(2)) == PLAYED_START
    audio = re.search(rf'<audio id="{button.group(1)}" [^>]*src="([^"]+)"', html).group(1)
    assert audio == f"../../recordings/ann.ogg#t={PLAYED_START:.2f},{PLAYED_START + 4.5:.2f}"
    assert len(re.findall(r"<audio ", html)) == 7  # one per quote shown


def test_audio_links_survive_odd_file_names(tmp_path: Path):
    doc, quotes, _ = fixed_run(tmp_path)
    doc.themes[0].top_quotes[0].recording = str(tmp_path / "recordings" / "call #2?.ogg")
    html = render(doc, quotes, tmp_path / "reports" / doc.run.id, PEOPLE)["report.html"]
    assert 'src="../../recordings/call%20%232%3F.ogg#t=14.00,18.50"' in html


def test_a_run_without_themes_still_reports(tmp_path: Path):
    doc, quotes, _ = fixed_run(tmp_path)
    doc.themes = []
    files = render(doc, quotes, tmp_path / "reports" / doc.run.id, {})
    assert "No themes this run" in files["report.html"] and "No themes this run" in files["report.md"]
    assert 'class="charts"' not in files["report.html"] and "Since the last run" not in files["report.md"]
    assert "recordings/bad.mp3: file is empty" in files["report.md"]


def test_html_filters_offer_segments_and_kinds(rendered):
    html = rendered["report.html"]
    assert '<option value="plan=Starter">Starter</option>' in html
    assert '<option value="praise">Praise</option>' in html
    sso = re.search(r'<article class="theme" id="T004" data-segments=\'([^\']+)\' data-kinds=\'([^\']+)\'', html)
    assert "plan=Starter" in json.loads(sso.group(1)) and json.loads(sso.group(2)) == ["request"]


def test_markdown_has_the_same_story_and_is_inert(rendered):
    md = rendered["report.md"]
    assert md.index("## Key takeaways") < md.index("## Themes at a glance") < md.index("## Themes, ranked")
    assert "1. **Broken exports**: 3 of 4 customers raised it, mostly as pains; up from 2 last run." in md
    assert "| 1 | Broken exports | 3 of 4 | 4 | 3 | 1 | 0 | 0 | 0 | rising (1 → 2 → 3) |" in md
    assert "| 1. Broken exports | 2/2 | 1/1 | 0/1 | 2/2 | 1/1 | 0/1 |" in md
    assert "— Ann, Acme · Enterprise · EMEA · CTO (pain; ann.ogg at 00:14)" in md
    assert "<audio" not in md and "Play" not in md
    # Attacker text: no raw HTML, no link, no heading or table cell of its own.
    hostile = next(line for line in md.splitlines() if "It broke" in line)
    assert "\\<script\\>" in hostile and "\\[click\\](javascript:alert(4))" in hostile
    assert " # not a heading \\| not a cell" in hostile  # the line break is gone: no heading, no table cell
    assert not re.search(r"(?<!\\)<", md)
    assert "- recordings/bad.mp3: file is empty" in md


def test_markdown_renders_inert_in_a_commonmark_renderer(rendered):
    """Rendered as wikis do (CommonMark passes raw HTML through), the attacker's text is still only text."""
    from markdown_it import MarkdownIt

    html = MarkdownIt("commonmark").enable("table").render(rendered["report.md"])
    assert "<script" not in html and "<img" not in html and "<a " not in html
    assert "&lt;script&gt;window.pwned=1;alert(1)&lt;/script&gt;" in html
    assert html.count("<h1>") == 1 and "<h1>not a heading" not in html
    glance = html[html.index("Themes at a glance"):html.index("Who raised what")]
    assert glance.count("<tr>") == 4 and all(row.count("<td") == 10 for row in glance.split("<tr>")[2:])


def test_themes_json_and_quotes_csv_follow_the_contracts(rendered, tmp_path: Path):
    doc = json.loads(rendered["themes.json"])
    themes_validator().validate(doc)  # render checks it too: every run's themes.json, samples included
    assert doc["themes"][0]["top_quotes"][0]["start"] == PLAYED_START
    broken = json.loads(rendered["themes.json"])
    broken["themes"][0]["kinds"]["rant"] = 1
    del broken["themes"][1]["rank"]
    with pytest.raises(ValueError, match=r"themes/0/kinds: Additional properties .*'rant'.*; themes/1: 'rank' is a"):
        check_themes(broken)
    rows = list(csv.DictReader(rendered["quotes.csv"].splitlines()))
    # The design's columns first, in their order; severity, then the channel and provenance columns after them.
    assert list(rows[0]) == ["quote_id", "recording", "customer", "speaker", "role", "start", "end", "kind",
                             "sentiment", "theme_id", "theme_label", "text", "severity", "hidden", "starred",
                             "curated", "edited_by", "voc_theme_id", "voc_kind", "channel", "sheet", "row",
                             "question", "date"]
    assert len(rows) == 8 and rows[-1]["theme_id"] == ""


def test_render_refuses_a_document_that_breaks_the_contract(tmp_path: Path):
    doc, quotes, _ = fixed_run(tmp_path)
    doc.themes[0].trend = "sideways"
    with pytest.raises(ValueError, match="themes/0/trend: 'sideways' is not one of"):
        render(doc, quotes, tmp_path / "reports" / "r", PEOPLE)


def test_schema_names_every_field_of_the_model():
    """A field added to ThemesDocument must be added to the schema too (it forbids unknown fields)."""
    from nlp.schema import RunInfo, Theme, ThemesDocument, TopQuote

    schema = themes_schema()
    assert set(schema["properties"]) == set(ThemesDocument.model_fields)
    assert set(schema["properties"]["run"]["properties"]) == set(RunInfo.model_fields)
    assert set(schema["$defs"]["theme"]["properties"]) == set(Theme.model_fields)
    assert set(schema["$defs"]["top_quote"]["properties"]) == set(TopQuote.model_fields)


def test_quotes_csv_keeps_formulas_out_of_spreadsheets_and_round_trips(tmp_path: Path):
    doc, quotes, _ = fixed_run(tmp_path)
    quotes[0].text = '=HYPERLINK("http://evil.example","click")'
    quotes[1].text = "-5% churn since the price change"
    text = quotes_csv(quotes)
    assert "'=HYPERLINK" in text and "'-5% churn" in text
    run_dir = write_report(doc, quotes, tmp_path / "reports", PEOPLE)
    back = read_quotes_csv(run_dir / "quotes.csv")
    assert [q.text for q in back] == [q.text for q in quotes] and HOSTILE in [q.text for q in back]


def test_write_report_refreshes_latest_and_rerender_keeps_history(tmp_path: Path):
    doc, quotes, history = fixed_run(tmp_path)
    reports = tmp_path / "reports"
    run_dir = write_report(doc, quotes, reports, PEOPLE, history)
    assert sorted(p.name for p in run_dir.iterdir()) == ["quotes.csv", "report.html", "report.md", "themes.json"]
    assert all(p.stat().st_mode & 0o044 == 0o044 for p in run_dir.iterdir())  # readable by the team, not just voc
    assert (reports / "latest" / "report.html").read_text() == (run_dir / "report.html").read_text()
    assert not any(p.name.startswith(".") for p in reports.iterdir())
    # Re-rendering reads the store's history, which also holds runs made after this one: they stay out.
    stored = {t: points + [("20260104-020000", 9)] for t, points in history.items()}
    (tmp_path / "inbox").mkdir()
    rerender(reports / "latest", tmp_path / "inbox", lambda theme_id: stored[theme_id])
    md = (reports / "latest" / "report.md").read_text()
    assert "rising (1 → 2 → 3)" in md and "→ 9" not in md


def test_run_history_adds_this_run_until_the_store_has_it(tmp_path: Path):
    doc, _, _ = fixed_run(tmp_path)
    stored = {"T001": [(RUNS[0], 1), (RUNS[1], 2)], "T004": [], "T002": [(RUNS[1], 2), (RUNS[2], 1)]}
    history = run_history(lambda theme_id: stored[theme_id], doc)
    assert history == {"T001": [(RUNS[0], 1), (RUNS[1], 2), (RUNS[2], 3)], "T004": [(RUNS[2], 2)],
                       "T002": [(RUNS[1], 2), (RUNS[2], 1)]}
    # The trend's runs merge every theme's history in run order, whatever the ids look like.
    assert run_order({"a": [("x", 1), ("c", 1)], "b": [("c", 1), ("b", 1)], "d": [("x", 1), ("b", 1)]}) == ["x", "c", "b"]
    assert run_order({"a": [(RUNS[0], 1), (RUNS[2], 1)], "b": [(RUNS[1], 1), (RUNS[2], 1)]}) == RUNS
    assert run_order({"a": [(RUNS[0], 1), (RUNS[1], 1)], "b": [(RUNS[1], 1), (RUNS[0], 1)]}) == RUNS[:2]


def test_write_report_task_publishes_keyed_artifacts(prefect_harness, tmp_path: Path):
    """The flow's write_report task, run twice: two versions under each fixed key, read back from the API."""
    from prefect import flow
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import ArtifactFilter, ArtifactFilterFlowRunId, ArtifactFilterKey

    from flows.synthesis import write_report as write_report_task
    from nlp.settings import Settings

    settings = Settings()
    settings.paths.reports, settings.paths.state = tmp_path / "reports", tmp_path / "state"
    (tmp_path / "recordings").mkdir()
    shutil.copy(SAMPLES / "acme-logistics.ogg", tmp_path / "recordings" / "ann.ogg")
    recordings = [Recording(path=Path(f"{c.lower()}.ogg"), sha256="0" * 64, participant=row)
                  for c, row in PEOPLE.items()]

    @flow
    def nightly(day: int) -> None:
        doc, quotes, _ = fixed_run(tmp_path)
        doc.run.id, doc.run.started_at = f"2026010{day}-020000", f"2026-01-0{day}T02:00:00+00:00"
        centroids = [(t.id, t.label, t.customers, t.score, [1.0, 0.0]) for t in doc.themes]
        write_report_task(doc, quotes, recordings, centroids, settings)

    # Other tests in the session publish under the same keys: read back only this test's two runs.
    runs = [nightly(day, return_state=True).state_details.flow_run_id for day in (5, 6)]

    async def read(key: str):
        only = ArtifactFilter(key=ArtifactFilterKey(any_=[key]), flow_run_id=ArtifactFilterFlowRunId(any_=runs))
        async with get_client() as client:
            return await client.read_artifacts(artifact_filter=only)

    takeaways, table = asyncio.run(read("voc-takeaways")), asyncio.run(read("voc-themes"))
    assert len(takeaways) == 2 and len(table) == 2
    latest = max(takeaways, key=lambda a: a.created)
    assert latest.type == "markdown" and "20260106-020000" in latest.description
    assert "**Broken exports**: 3 of 4 customers raised it, mostly as pains" in latest.data
    rows = json.loads(max(table, key=lambda a: a.created).data)
    assert [r["theme"] for r in rows] == ["Broken exports", "Single sign-on", "Support is great"]
    assert rows[0]["customers"] == 3 and rows[0]["pain"] == 3 and rows[0]["trend"] == "rising"
    # The second run's report draws the trend from the first run the task stored.
    md = (tmp_path / "reports" / "20260106-020000" / "report.md").read_text()
    assert "rising (3 → 3)" in md
