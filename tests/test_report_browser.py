"""report.html opened in real headless Chromium (Debian's chromium package), offline: the page runs without
errors, play buttons seek the recording, filters hide and show themes, attacker text stays text."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from conftest import SAMPLES
from nlp.report.writers import write_report
from report_data import PEOPLE, PLAYED_START, fixed_run

CHROMIUM = os.environ.get("VOC_CHROMIUM", "/usr/bin/chromium")
# Headless, and nothing that phones home: no background networking, updates, sync or first-run pages.
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
         "--no-first-run", "--disable-sync", "--autoplay-policy=no-user-gesture-required"]
LOCAL_SCHEMES = ("file:", "data:", "blob:", "about:")


@pytest.fixture(scope="module")
def browser():
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package "
                    "(apt-get install -y chromium) or point VOC_CHROMIUM at a Chromium binary")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        yield browser
        browser.close()


@pytest.fixture(scope="module")
def report(tmp_path_factory) -> Path:
    """The fixed run written as voc writes it, with a real recording where the quotes' relative link points."""
    root = tmp_path_factory.mktemp("browser")
    (root / "recordings").mkdir()
    shutil.copy(SAMPLES / "acme-logistics.ogg", root / "recordings" / "ann.ogg")
    doc, quotes, history = fixed_run(root)
    return write_report(doc, quotes, root / "reports", PEOPLE, history) / "report.html"


@pytest.fixture
def page(browser, report):
    """A page on report.html that records console errors, uncaught exceptions, dialogs and off-machine requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    page.problems, page.dialogs, page.remote = [], [], []
    page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
    page.on("pageerror", lambda e: page.problems.append(f"uncaught: {e}"))
    page.on("dialog", lambda d: (page.dialogs.append(d.message), d.dismiss()))
    page.on("request", lambda r: r.url.startswith(LOCAL_SCHEMES) or page.remote.append(r.url))
    page.goto(report.as_uri())
    page.wait_for_load_state("load")
    yield page
    assert page.problems == [], page.problems
    assert page.remote == [], f"the report asked the network for {page.remote}"
    context.close()


def visible_themes(page) -> list[str]:
    return page.eval_on_selector_all("article.theme", "els => els.filter(e => !e.hidden).map(e => e.id)")


def test_page_loads_without_errors_and_injected_script_stays_text(page):
    assert page.title().startswith("Voice of the customer")
    hostile = page.locator("#T001 .quote").nth(2).locator("blockquote")
    assert "<script>window.pwned=1;alert(1)</script>" in hostile.inner_text()
    assert 'onerror="window.pwned=2;alert(2)"' in hostile.inner_text()
    page.wait_for_timeout(300)  # time for a broken image's onerror to fire, had the <img> been parsed
    assert page.evaluate("window.pwned") is None and page.dialogs == []
    assert page.evaluate("document.scripts.length") == 1
    assert page.locator("article img, a[href^='javascript:']").count() == 0


def test_play_button_seeks_the_recording_to_the_quote_start(page):
    button = page.locator("#T001 .quote").first.locator("button.play")
    audio = page.locator("#" + button.get_attribute("aria-controls"))
    assert audio.is_hidden() and page.evaluate("document.querySelector('audio').currentTime") == 0
    button.click()
    # Loaded from the relative link (metadata known) and positioned at the quote's start, then playing on.
    page.wait_for_function(f"a => a.readyState >= 1 && a.currentTime >= {PLAYED_START}", arg=audio.element_handle(),
                           timeout=10_000)
    position = audio.evaluate("a => a.currentTime")
    assert PLAYED_START <= position < PLAYED_START + 3
    assert audio.evaluate("a => Math.round(a.duration)") == 80  # the real sample recording
    assert audio.is_visible() and button.get_attribute("aria-pressed") == "true"
    button.click()
    assert audio.evaluate("a => a.paused")
    # Wherever the listener left the recording, the button goes back to the quote (not only the #t= fragment).
    audio.evaluate("a => { a.currentTime = 60; }")
    page.wait_for_function("a => !a.seeking && a.currentTime >= 60", arg=audio.element_handle(), timeout=10_000)
    button.click()
    page.wait_for_function("a => !a.paused && a.currentTime < 60", arg=audio.element_handle(), timeout=10_000)
    assert PLAYED_START <= audio.evaluate("a => a.currentTime") < PLAYED_START + 3


def test_filters_hide_and_show_themes_and_quotes(page):
    assert visible_themes(page) == ["T001", "T004", "T002"]
    assert page.locator("#filter-count").inner_text() == "Showing 3 of 3 themes"
    page.select_option("#filter-kind", "praise")
    assert visible_themes(page) == ["T002"]
    page.select_option("#filter-kind", "")
    page.select_option("#filter-segment", "plan=Starter")
    assert visible_themes(page) == ["T004"]
    # Inside a theme only the quotes of the segment stay: Di's, not Ann's.
    assert page.locator("#T004 .quote:visible figcaption strong").all_inner_texts() == ["Di"]
    page.select_option("#filter-segment", "plan=Pro")
    page.select_option("#filter-kind", "request")
    assert visible_themes(page) == ["T001"]
    assert page.locator("#T001 .quote:visible figcaption strong").all_inner_texts() == ["Cy"]
    page.select_option("#filter-segment", "plan=Enterprise")
    page.select_option("#filter-kind", "praise")
    assert visible_themes(page) == [] and page.locator("#filter-count").inner_text() == "Showing 0 of 3 themes"
    page.select_option("#filter-segment", "")
    page.select_option("#filter-kind", "")
    assert visible_themes(page) == ["T001", "T004", "T002"]


def test_reads_on_a_phone_prints_clean_and_screenshots(browser, report, tmp_path: Path):
    phone = browser.new_context(viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True)
    page = phone.new_page()
    page.goto(report.as_uri())
    # Nothing wider than the screen: no sideways scrolling (the heatmap scrolls inside its own box).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.screenshot(path=tmp_path / "report-phone.png", full_page=True)
    page.emulate_media(media="print")
    assert not page.locator("button.play").first.is_visible() and not page.locator("#filters").is_visible()
    assert page.locator(".takeaways").is_visible() and page.locator("svg").first.is_visible()
    phone.close()
    desktop = browser.new_context(viewport={"width": 1280, "height": 900})
    page = desktop.new_page()
    page.goto(report.as_uri())
    page.screenshot(path=tmp_path / "report-desktop.png", full_page=True)
    desktop.close()
    for name in ("report-phone.png", "report-desktop.png"):
        assert (tmp_path / name).stat().st_size > 20_000, name


def test_search_box_finds_quotes_offline_and_keeps_text_text(page):
    box = page.locator("#search-box")
    assert box.is_visible()
    box.fill("single sign-on")
    results = page.locator("#search-results li.quote-row")
    assert results.count() == 2 and page.locator("#search-count").inner_text() == "2 quotes match every word."
    assert set(results.locator("strong").all_inner_texts()) == {"Ann", "Di"}
    assert results.first.locator("mark").all_inner_texts() == ["single", "sign"]  # "on": too common to count
    box.fill("exports")  # a plural finds "export" and "Exports"; the theme's label counts too
    assert page.locator("#search-results li.quote-row").count() == 4
    box.fill("pwned")  # a word only the attacker's quote has
    hostile = page.locator("#search-results li.quote-row q")
    assert hostile.count() == 1 and "<script>window.pwned=1;alert(1)</script>" in hostile.inner_text()
    assert page.evaluate("window.pwned") is None and page.evaluate("document.scripts.length") == 1
    box.fill("xylophone")
    assert page.locator("#search-count").inner_text() == "No quote matches."
    box.press("Escape")
    assert box.input_value() == "" and page.locator("#search-results li").count() == 0


def test_every_quote_of_a_theme_opens_under_its_card(page):
    rows = page.locator("#T001 details.all-quotes li.quote-row")
    assert rows.count() == 4 and not rows.first.is_visible()
    page.locator("#T001 details.all-quotes summary").click()
    assert rows.first.is_visible() and page.locator("#T001 details.all-quotes summary").inner_text() == "All 4 quotes of this theme"
    page.locator("#T001 details.follow-up summary").click()
    assert page.locator("#T001 .follow-up tbody tr td:first-child").all_inner_texts() == ["Cy", "Ann", "Bo"]
    assert page.locator("#unthemed li.quote-row").count() == 1
