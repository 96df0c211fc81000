"""The report's channels in real headless Chromium: a channel on every quote, the channel and question
filters, per-channel customers on theme cards, provenance links where interview quotes play, and the
trend by week or month of the feedback's own dates."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from nlp.report.writers import render, write_report
from nlp.schema import KINDS, Quote, Theme, TopQuote
from nlp.themes.facets import describe
from report_data import PEOPLE, fixed_run
from test_report_browser import browser, visible_themes  # noqa: F401  (the shared Chromium fixture)


def table_quote(root: Path, qid: str, customer: str, row: int, text: str, kind: str, channel: str, day: str,
                question: str) -> Quote:
    source = root / "inbox" / ("reviews.csv" if channel == "review" else "survey.xlsx")
    return Quote(quote_id=qid, recording=str(source), customer=customer, speaker=None, role="customer", start=0.0,
                 end=0.0, text=text, kind=kind, channel=channel, row=row, date=day, question=question,
                 sheet="Responses" if channel == "survey" else None)


def channel_run(root: Path):
    """report_data's fixed run (interviews) plus a theme raised in reviews and a survey, with dates."""
    doc, quotes, history = fixed_run(root)
    sync = [table_quote(root, "r1", "review 0a1b2c", 12, "Sync stopped working after the update, photos never upload.",
                        "pain", "review", "2024-01-03", "Review"),
            table_quote(root, "r2", "review 9f8e7d", 40, "Every photo takes minutes to sync over wifi now.",
                        "pain", "review", "2024-02-14", "Review"),
            table_quote(root, "s1", "kim@example.com", 5, "Syncing large folders is slow and often stalls.",
                        "pain", "survey", "2024-02-20", "What should we improve?"),
            table_quote(root, "s2", "lou@example.com", 9, "The sync is fast and I trust it with my files.",
                        "praise", "survey", "2024-02-21", "What do you like most?")]
    theme = Theme(id="T007", rank=4, label="Photo sync", keywords=["sync", "photos"], score=2.0, why="4 of 8 customers",
                  customers=4, interviews=0, quotes=4, kinds={k: sum(q.kind == k for q in sync) for k in KINDS},
                  trend="new", top_quotes=[TopQuote(**q.model_dump(include=set(TopQuote.model_fields))) for q in sync])
    for q in sync:
        q.theme_id, q.theme_label = theme.id, theme.label
    doc.themes.append(theme)
    quotes += sync
    describe(doc.themes, quotes)
    doc.run.channels = {"interview": 4, "review": 2, "survey": 2}
    history["T007"] = [(doc.run.id, 4)]
    return doc, quotes, history


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    root = tmp_path_factory.mktemp("channels-report")
    (root / "recordings").mkdir()
    (root / "inbox").mkdir()
    shutil.copy(SAMPLES / "acme-logistics.ogg", root / "recordings" / "ann.ogg")
    (root / "inbox" / "reviews.csv").write_text("Date,Review\n", encoding="utf-8")
    doc, quotes, history = channel_run(root)
    return write_report(doc, quotes, root / "reports", PEOPLE, history) / "report.html"


@pytest.fixture
def page(browser, report):  # noqa: F811
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems = []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(m.text))
    page.on("pageerror", lambda e: page.problems.append(str(e)))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    yield page
    assert page.problems == []
    context.close()


def test_channel_and_question_filters(page):
    assert page.locator("#filter-channel option").all_inner_texts() == ["All channels", "Interview", "Review", "Survey"]
    assert visible_themes(page) == ["T001", "T004", "T002", "T007"]
    page.select_option("#filter-channel", "survey")
    assert visible_themes(page) == ["T007"]
    assert page.locator("#T007 .quote:visible .channel").all_inner_texts() == ["SURVEY", "SURVEY"]
    page.select_option("#filter-question", "What should we improve?")
    assert page.locator("#T007 .quote:visible figcaption strong").all_inner_texts() == ["kim@example.com"]
    page.select_option("#filter-question", "")
    page.select_option("#filter-channel", "interview")
    assert visible_themes(page) == ["T001", "T004", "T002"]
    page.select_option("#filter-kind", "praise")  # the filters combine
    assert visible_themes(page) == ["T002"]
    page.select_option("#filter-channel", "")
    assert visible_themes(page) == ["T002", "T007"]


def test_cards_count_customers_per_channel_and_quotes_link_to_their_row(page, report):
    card = page.locator("#T007")
    assert "customers by channel" in card.inner_text().lower()
    assert "REVIEW 2 \u00b7 SURVEY 2" in card.locator(".fact.channels").inner_text()
    assert "0 interviews" not in card.inner_text() and "4 quotes" in card.inner_text()
    link = card.locator(".quote a.source").first
    assert link.inner_text() == "reviews.csv, row 12 \u00b7 Review \u00b7 3 Jan 2024"
    target = (report.parent / link.get_attribute("href")).resolve()
    assert target == (report.parents[2] / "inbox" / "reviews.csv").resolve() and target.is_file()
    assert card.locator("button.play, audio").count() == 0  # nothing to play: the link stands where play would
    survey = card.locator(".quote a.source").nth(2).inner_text()
    assert survey.startswith("survey.xlsx \u203a Responses, row 5")
    interview = page.locator("#T001 .quote").first
    assert interview.locator("button.play").count() == 1 and interview.locator(".channel").inner_text() == "INTERVIEW"


def test_trend_by_week_or_month_of_the_feedbacks_dates(page):
    figure = page.locator("figure.dated-trend")
    assert figure.is_visible() and "Trend by the feedback's own date" in figure.inner_text()
    month, week = figure.locator(".period-chart[data-period=month]"), figure.locator(".period-chart[data-period=week]")
    assert month.is_visible() and week.is_hidden()
    figure.locator("button[data-period=week]").click()
    assert week.is_visible() and month.is_hidden()
    assert "by month of the feedback" in page.locator("#T007").inner_text().lower()


def test_markdown_and_files_carry_channel_and_provenance(tmp_path: Path):
    (tmp_path / "recordings").mkdir()
    doc, quotes, history = channel_run(tmp_path)
    files = render(doc, quotes, tmp_path / "reports" / doc.run.id, PEOPLE, history)
    assert "(pain; review, reviews.csv, row 12 · Review · 3 Jan 2024)" in files["report.md"]
    assert "Customers by channel: review 2, survey 2" in files["report.md"]
    assert "4 interviews (1 new), 2 reviews, 2 survey responses" in files["report.md"]
    assert ",review,,12,Review,2024-01-03" in files["quotes.csv"]
