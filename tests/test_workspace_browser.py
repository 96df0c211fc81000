"""The workspace in real headless Chromium (Debian's chromium, started by the test) against a real
`voc open`: rename, merge, move, set kind, hide, star and undo through the served page; reload; run
again with one more recording; every edit holds. Also: writes without the page's CSRF token or
from another host name are refused, and a hostile label stays text."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from conftest import EXTRA_RECORDING, ROOT, edits_project, project_env
from test_report_browser import CHROMIUM, FLAGS
from test_serve import free_port

LABEL = "Slow dashboards <script>window.pwned=1</script>"
NOTE = "Check with the mobile team"


@pytest.fixture(scope="module")
def workspace(prefect_harness, edits_base, tmp_path_factory):
    """A project after its first run, served by `voc open` on a free loopback port."""
    settings = edits_project(edits_base, tmp_path_factory.mktemp("browser-workspace"))
    port = free_port()
    env = project_env(settings, VOC_WORKSPACE__PORT=str(port))
    log = open(settings.paths.state / "open.log", "w+")
    proc = subprocess.Popen([sys.executable, "-m", "flows.cli", "open", "--no-browser"], cwd=ROOT, env=env,
                            stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}/"
    deadline = time.monotonic() + 120
    while True:
        try:
            if httpx.get(url + "api/edits", timeout=5).status_code == 200:
                break
        except httpx.HTTPError:
            pass
        assert proc.poll() is None and time.monotonic() < deadline, log.seek(0) or log.read()
        time.sleep(0.5)
    yield settings, url, edits_base[1]
    proc.terminate()
    proc.wait(30)


@pytest.fixture(scope="module")
def page(workspace):
    if not Path(CHROMIUM).is_file():
        pytest.fail(f"Chromium not found at {CHROMIUM}: install Debian's chromium package (apt-get install -y chromium)")
    from playwright.sync_api import sync_playwright

    url = workspace[1]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=FLAGS)
        page = browser.new_page(viewport={"width": 1280, "height": 900})
        page.problems = []
        page.on("console", lambda m: m.type in ("error", "warning") and page.problems.append(f"{m.type}: {m.text}"))
        page.on("pageerror", lambda e: page.problems.append(f"uncaught: {e}"))
        page.on("dialog", lambda d: (page.problems.append(f"dialog: {d.message}"), d.dismiss()))
        page.goto(url)
        yield page
        browser.close()


def opened(page) -> None:
    page.eval_on_selector_all("details", "els => els.forEach(e => { e.open = true; })")


def submit(page, form) -> str:
    """Send one edit through its form; the page reloads with it. -> the message the page shows."""
    with page.expect_navigation():
        form.locator("button[type=submit]").click()
    page.wait_for_load_state("load")
    opened(page)
    return page.locator("#ws-status").inner_text()


def quote_form(page, theme: str | None, quote: str, action: str):
    where = f"details.ws-members[data-theme='{theme}']" if theme else "#ws-unthemed"
    return page.locator(f"{where} li[data-quote='{quote}'] form[data-action='{action}']")


def themes_on(page) -> list[str]:
    return page.eval_on_selector_all("article.theme", "els => els.map(e => e.id)")


def members_on(page, theme: str) -> list[str]:
    return page.eval_on_selector_all(f"details.ws-members[data-theme='{theme}'] li.ws-quote",
                                     "els => els.map(e => e.getAttribute('data-quote'))")


def check_every_edit_holds(page, s: dict) -> None:
    assert page.locator(f"#{s['renamed']} h3").inner_text() == LABEL
    assert page.evaluate("window.pwned") is None and page.locator("article script").count() == 0
    assert s["merged"] not in themes_on(page) and s["keeper"] in themes_on(page)
    assert s["moved"] in members_on(page, s["keeper"])
    moved = page.locator(f"details.ws-members[data-theme='{s['keeper']}'] li[data-quote='{s['moved']}']")
    assert moved.locator("small .kind").text_content() == s["kind"]
    assert page.locator(f"#ws-hidden li[data-quote='{s['hidden']}']").count() == 1
    assert s["hidden"] not in members_on(page, s["renamed"])
    first = page.locator(f"#{s['keeper']} figure.quote").first
    assert first.locator(".starred").count() == 1
    assert first.locator("form[data-action='quote.star']").count() == 0  # starred: no star button
    assert page.locator(f"#{s['other']} .note").count() == 0  # the note was undone
    assert page.locator(f"#{s['renamed']} .badge.curated").count() == 1


def test_edits_through_the_served_page_hold_across_a_reload_and_a_new_run(workspace, page):
    settings, url, extra = workspace
    doc = json.loads((settings.paths.reports / "latest" / "themes.json").read_text(encoding="utf-8"))
    renamed, keeper, merged, other = [t["id"] for t in doc["themes"][:4]]
    opened(page)
    assert page.title().startswith("Voice of the customer") and page.locator(".ws-banner").count() == 1
    s = dict(renamed=renamed, keeper=keeper, merged=merged, other=other)

    rename = page.locator(f"#{renamed} form[data-action='theme.rename']")
    rename.locator("input").fill(LABEL)
    assert submit(page, rename).startswith("Edit 1: rename")
    assert page.locator(f"#{renamed} h3").inner_text() == LABEL

    merge = page.locator(f"#{merged} form[data-action='theme.merge']")
    merge.locator("select").select_option(keeper)
    assert submit(page, merge) == f"Edit 2: merge {merged} into {keeper}."
    assert merged not in themes_on(page)

    s["moved"] = moved = members_on(page, other)[0]
    move = quote_form(page, other, moved, "quote.move")
    move.locator("select").select_option(keeper)
    submit(page, move)
    assert moved in members_on(page, keeper)

    kind_form = quote_form(page, keeper, moved, "quote.kind")
    current = kind_form.locator("select").input_value()
    s["kind"] = "question" if current != "question" else "praise"
    kind_form.locator("select").select_option(s["kind"])
    submit(page, kind_form)

    s["hidden"] = hidden = members_on(page, renamed)[-1]
    submit(page, quote_form(page, renamed, hidden, "quote.hide"))

    s["starred"] = starred = [q for q in members_on(page, keeper) if q != moved][-1]
    submit(page, quote_form(page, keeper, starred, "quote.star"))
    assert page.locator(f"#{keeper} figure.quote").first.locator(".starred").count() == 1

    note = page.locator(f"#{other} form[data-action='theme.note']")
    note.locator("textarea").fill(NOTE)
    submit(page, note)
    assert page.locator(f"#{other} .note").inner_text() == NOTE
    assert submit(page, page.locator("#ws-edits tr", has_text=f"note on {other}").locator("form")) == "Edit 8: undo edit 7."
    assert page.locator("#ws-edits tr[data-edit='7'] .ws-state").inner_text().startswith("undone by 8")

    page.reload()
    opened(page)
    check_every_edit_holds(page, s)

    # A bad edit is refused with a message that names what exists; nothing is added.
    token = page.locator('meta[name="voc-csrf"]').get_attribute("content")
    edit = {"action": "theme.rename", "targets": ["T999"], "payload": {"label": "x"}}
    no_token = httpx.post(url + "api/edits", json=edit)
    assert no_token.status_code == 403 and "CSRF" in no_token.json()["error"]
    other_site = httpx.post(url + "api/edits", json=edit, headers={"X-CSRF-Token": token, "Origin": "http://evil.example"})
    assert other_site.status_code == 403
    unknown = httpx.post(url + "api/edits", json=edit, headers={"X-CSRF-Token": token})
    assert unknown.status_code == 400 and unknown.json()["error"].startswith("no theme 'T999'")
    assert f"{keeper} (" in unknown.json()["error"]
    as_form = httpx.post(url + "api/edits", data={"action": "quote.hide"}, headers={"X-CSRF-Token": token})
    assert as_form.status_code == 415
    rebinding = httpx.post(url + "api/edits", headers={"Host": "evil.example"}, json={})
    assert rebinding.status_code == 421
    assert len(httpx.get(url + "api/edits").json()) == 8

    # One more recording, a run: the page shows the new run, every edit applied by it.
    from flows.config import Operations
    from flows.synthesis import synthesize

    shutil.copy(extra, settings.paths.inbox / EXTRA_RECORDING)
    ops = Operations()
    ops.dask.enabled = False
    result = synthesize(settings, ops)
    page.reload()
    opened(page)
    assert Path(result["report"]).name in page.locator(".ws-banner").inner_text()
    check_every_edit_holds(page, s)
    states = page.eval_on_selector_all("#ws-edits .ws-state", "els => els.map(e => e.textContent.trim())")
    assert states.count("applied") == 7 and sum(x.startswith("undone by") for x in states) == 1
    report = (Path(result["report"]) / "report.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;window.pwned=1&lt;/script&gt;" in report and "voc-csrf" not in report
    assert page.problems == []

