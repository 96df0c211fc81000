"""The sample run's transcript pages and report in Debian's chromium: customer and interviewer lines told
apart, quotes marked with theme and kind, any line plays from its second, a report link lands on its quote."""

from __future__ import annotations


import pytest

from nlp.report.run_files import latest_run_dir, load_run
from test_report_browser import LOCAL_SCHEMES, browser  # noqa: F401  (the module's Chromium, shared)


@pytest.fixture(scope="module")
def run(sample_run):
    settings = sample_run[0]
    return load_run(latest_run_dir(settings.paths.reports), settings.paths.inbox)


@pytest.fixture
def open_page(browser):  # noqa: F811
    contexts, problems = [], []

    def open_(url: str):
        context = browser.new_context(viewport={"width": 1200, "height": 900})
        contexts.append(context)
        page = context.new_page()
        page.on("console", lambda m: m.type in ("error", "warning") and problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: problems.append(f"uncaught: {e}"))
        page.on("request", lambda r: r.url.startswith(LOCAL_SCHEMES) or problems.append(f"network: {r.url}"))
        page.goto(url)
        page.wait_for_load_state("load")
        return page

    yield open_
    assert problems == []
    for context in contexts:
        context.close()


def test_transcript_page_tells_speakers_apart_and_marks_quotes(run, open_page):
    shown = next(t for t in run.transcripts if t.customer == "Maria Lopez")
    page = open_page((run.run_dir / "transcripts" / shown.page).as_uri())
    assert page.locator("h1").inner_text() == "Interview with Maria Lopez, Acme Logistics"
    lines = page.locator("p.line")
    assert lines.count() == len(shown.lines)
    roles = lines.evaluate_all("els => els.map(e => e.classList.contains('role-customer') ? 'customer' : 'interviewer')")
    assert roles == [line.role for line in shown.lines] and set(roles) == {"customer", "interviewer"}
    assert set(page.locator("p.role-interviewer .who").all_inner_texts()) <= {"Sam Carter", ""}
    mine = [q for q in run.quotes if q.recording == shown.recording]
    anchors = page.locator("mark.q[id^='q-']")
    assert sorted(anchors.evaluate_all("els => els.map(e => e.id)")) == sorted(f"q-{q.quote_id}" for q in mine)
    themed = next(q for q in mine if q.theme_id)
    mark = page.locator(f"#q-{themed.quote_id}")
    assert mark.get_attribute("title") == f"{themed.theme_label} · {themed.kind}" and f"kind-{themed.kind}" in mark.get_attribute("class")
    tags = page.locator(f"p.line:has(mark[data-quote='{themed.quote_id}']) .tags").last
    assert tags.locator(".theme-tag").inner_text() == themed.theme_label and tags.locator(".kind").text_content() == themed.kind
    assert page.locator("p.role-interviewer mark").count() == 0


def test_any_line_plays_from_its_second(run, open_page):
    shown = next(t for t in run.transcripts if t.customer == "Maria Lopez")
    page = open_page((run.run_dir / "transcripts" / shown.page).as_uri())
    audio = page.locator("#player")
    line = shown.lines[5]
    page.locator("button.time").nth(5).click()
    page.wait_for_function(f"a => !a.paused && a.currentTime >= {line.start}", arg=audio.element_handle(), timeout=10_000)
    assert line.start <= audio.evaluate("a => a.currentTime") < line.start + 3
    assert audio.evaluate("a => Math.round(a.duration)") == round(shown.duration_s)
    page.wait_for_function("() => document.querySelector('p.line.playing') !== null", timeout=10_000)
    assert float(page.locator("p.line.playing").get_attribute("data-start")) >= line.start


def test_a_quote_in_the_report_links_to_its_place_in_the_transcript(run, open_page):
    report = open_page((run.run_dir / "report.html").as_uri())
    link = report.locator("article.theme .quote a.in-transcript").first
    href = link.get_attribute("href")
    quote_id = href.split("#q-")[1]
    quote = next(q for q in run.quotes if q.quote_id == quote_id)
    link.click()
    report.wait_for_load_state("load")
    assert report.url.endswith(href)
    marks = report.locator(f"mark[data-quote='{quote_id}']")
    assert marks.count() >= 1 and all("current" in c for c in marks.evaluate_all("els => els.map(e => e.className)"))
    audio = report.locator("#player")
    report.wait_for_function(f"a => a.readyState >= 1 && Math.abs(a.currentTime - {quote.start}) < 0.05",
                             arg=audio.element_handle(), timeout=10_000)
    assert report.locator(f"#q-{quote_id}").is_visible()  # scrolled to it


def test_the_report_search_box_finds_the_samples_quotes(run, open_page):
    page = open_page((run.run_dir / "report.html").as_uri())
    page.fill("#search-box", "Salesforce")
    assert "Salesforce" in page.locator("#search-results li.quote-row q").first.inner_text()
    page.fill("#search-box", "excel")
    excel = [q for q in run.quotes if "excel" in q.text.lower() or (q.theme_label or "").lower() == "excel"]
    assert page.locator("#search-results li.quote-row").count() == min(len(excel), 50)
    first = page.locator("#search-results li.quote-row a.at").first
    assert first.get_attribute("href").startswith("transcripts/")
