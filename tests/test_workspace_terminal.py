"""The terminal scenario of issue 13, for real: run; rename one theme, merge two others, move a quote
to another theme and set its kind, hide a quote, star a quote (each a `voc` command); add a
recording; run; themes.json and quotes.csv show every edit; undo the rename; the next run shows
voc's own label again. On the way: bad ids exit 2 naming what exists, an edit whose quote is gone
is kept and listed stale, and edits made while a run is in progress are all kept."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import pytest

from conftest import EXTRA_RECORDING, ROOT, edits_project, project_env

VOC = [sys.executable, "-m", "flows.cli"]
LABEL = "Dashboards too slow on Monday"
AUTHOR = "Rita Researcher"


def voc(env: dict, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run(VOC + list(args), env=env, cwd=ROOT, capture_output=True, text=True, timeout=300)


def ok(env: dict, *args: str) -> str:
    out = voc(env, *args)
    assert out.returncode == 0, f"voc {' '.join(args)}: {out.stderr}"
    return out.stdout


def latest(settings) -> tuple[dict, dict[str, dict]]:
    run_dir = settings.paths.reports / "latest"
    doc = json.loads((run_dir / "themes.json").read_text(encoding="utf-8"))
    with open(run_dir / "quotes.csv", newline="", encoding="utf-8") as f:
        return doc, {row["quote_id"]: row for row in csv.DictReader(f)}


def run(settings) -> dict:
    from flows.config import Operations
    from flows.synthesis import synthesize

    ops = Operations()
    ops.dask.enabled = False
    return synthesize(settings, ops)


@pytest.fixture(scope="module")
def scenario(prefect_harness, edits_base, tmp_path_factory):
    """The whole scenario; -> what each step left, for the tests below."""
    settings = edits_project(edits_base, tmp_path_factory.mktemp("terminal"))
    env = project_env(settings)
    first, first_quotes = latest(settings)
    themes = [t["id"] for t in first["themes"]]
    assert len(themes) >= 4, "the samples make four themes"
    renamed, keeper, merged = themes[:3]
    # One of acme's quotes (the added recording is acme's interview again) from a fourth theme.
    moved = min(q for q, row in first_quotes.items() if q.startswith("ca872d04") and row["theme_id"] in themes[3:])
    other = first_quotes[moved]["theme_id"]
    kind = "question" if first_quotes[moved]["kind"] != "question" else "praise"
    hidden = sorted(q for q, row in first_quotes.items() if row["theme_id"] == renamed)[-1]
    starred = sorted(q for q, row in first_quotes.items() if row["theme_id"] == merged)[-1]
    bad = {"theme": voc(env, "theme", "rename", "T999", "x"), "kind": voc(env, "quote", "kind", moved, "rant"),
           "quote": voc(env, "quote", "hide", moved[:-1] + "9"), "undo": voc(env, "edits", "undo", "77")}
    ok(env, "theme", "rename", renamed, LABEL)
    ok(env, "theme", "merge", keeper, merged)
    ok(env, "quote", "move", moved, keeper)
    ok(env, "quote", "kind", moved, kind)
    ok(env, "quote", "hide", hidden)
    ok(env, "quote", "star", starred)
    extra = edits_base[1]
    shutil.copy(extra, settings.paths.inbox / EXTRA_RECORDING)
    second_result = run(settings)
    second, second_quotes = latest(settings)
    from prefect.artifacts import Artifact

    artifact = Artifact.get("voc-edits").data
    edits = json.loads(ok(env, "edits", "--json"))
    rename_id = next(e["id"] for e in edits if e["action"] == "theme.rename")
    ok(env, "edits", "undo", str(rename_id))
    look_alikes = [q for q, row in second_quotes.items() if row["recording"].endswith(EXTRA_RECORDING)]
    gone = look_alikes[0]
    ok(env, "quote", "star", gone)  # its recording is removed before the next run: the edit goes stale
    (settings.paths.inbox / EXTRA_RECORDING).unlink()
    # Edits made while the third run is in progress: every one is kept.
    from flows.workspace.session import NoRun, Session

    session = Session(settings, AUTHOR)
    done, errors, during = threading.Event(), [], []

    def third_run():
        try:
            run(settings)
        except BaseException as exc:  # noqa: BLE001
            errors.append(exc)
        finally:
            done.set()

    thread = threading.Thread(target=third_run)
    thread.start()
    while not done.wait(0.2):  # often: a run over feedback batches reads the log well under a second before it ends
        try:
            during.append(session.edit("theme.note", [keeper], {"text": f"note {len(during)}"}).id)
        except NoRun:  # the run was swapping reports/latest in that instant
            continue
    thread.join()
    assert errors == []
    third, third_quotes = latest(settings)
    return dict(settings=settings, env=env, first=first, first_quotes=first_quotes, second=second,
                second_quotes=second_quotes, second_result=second_result, third=third, third_quotes=third_quotes,
                renamed=renamed, keeper=keeper, merged=merged, other=other, moved=moved, kind=kind, hidden=hidden,
                starred=starred, bad=bad, gone=gone, during=during, rename_id=rename_id, artifact=artifact)


def theme(doc: dict, theme_id: str) -> dict | None:
    return next((t for t in doc["themes"] if t["id"] == theme_id), None)


def test_bad_ids_and_kinds_exit_2_naming_what_exists(scenario):
    bad, first = scenario["bad"], scenario["first"]
    assert all(out.returncode == 2 for out in bad.values()), {k: v.stderr for k, v in bad.items()}
    assert all(f"{t['id']} ({t['label']})" in bad["theme"].stderr for t in first["themes"])
    assert "unknown kind 'rant'; one of pain, request, praise, question, other" in bad["kind"].stderr
    assert f"did you mean {scenario['moved']}" in bad["quote"].stderr and "quotes.csv" in bad["quote"].stderr
    assert "no edit '77'" in bad["undo"].stderr


def test_every_edit_holds_after_a_new_recording(scenario):
    s = scenario
    doc, quotes = s["second"], s["second_quotes"]
    assert doc["run"]["recordings"] == 8  # its transcript was made ahead (edits_base): not new to transcription
    renamed = theme(doc, s["renamed"])
    assert renamed["label"] == LABEL and renamed["curated"] and renamed["voc_label"] == theme(s["first"], s["renamed"])["label"]
    assert renamed["edited_by"] == [AUTHOR]
    assert theme(doc, s["merged"]) is None and theme(doc, s["keeper"])["curated"]
    was_merged = [q for q, row in s["first_quotes"].items() if row["theme_id"] == s["merged"]]
    assert {quotes[q]["theme_id"] for q in was_merged} == {s["keeper"]}  # merged themes stay merged
    moved = quotes[s["moved"]]
    assert (moved["theme_id"], moved["kind"], moved["curated"], moved["edited_by"]) == (s["keeper"], s["kind"], "True", AUTHOR)
    assert moved["voc_kind"] != s["kind"]
    hidden = quotes[s["hidden"]]
    assert hidden["hidden"] == "True" and hidden["theme_id"] == ""
    assert all(q["quote_id"] != s["hidden"] for t in doc["themes"] for q in t["top_quotes"])
    starred = quotes[s["starred"]]
    assert starred["starred"] == "True" and starred["theme_id"] == s["keeper"]
    keeper = theme(doc, s["keeper"])
    assert keeper["top_quotes"][0]["quote_id"] == s["starred"] and keeper["top_quotes"][0]["starred"]
    # Counts leave the hidden quote out; every theme's count matches quotes.csv.
    for t in doc["themes"]:
        assert t["quotes"] == sum(1 for row in quotes.values() if row["theme_id"] == t["id"] and row["hidden"] == "False")
    assert doc["unthemed_quotes"] == sum(1 for row in quotes.values() if not row["theme_id"] and row["hidden"] == "False")
    # The report marks the curated themes and the starred quote.
    html = (Path(s["second_result"]["report"]) / "report.html").read_text(encoding="utf-8")
    assert html.count('class="badge curated"') == sum(t["curated"] for t in doc["themes"]) >= 2
    assert "&#9733; starred" in html and LABEL in html
    # The Prefect artifact lists the edits the run applied.
    assert f"Researcher's edits in run {doc['run']['id']}" in s["artifact"] and "6 applied, 0 stale" in s["artifact"]
    assert f"rename {s['renamed']} to" in s["artifact"]


def test_the_new_recordings_copy_of_the_moved_quote_follows_it(scenario):
    """The added interview is acme's again: its copy of the moved quote (said at the same second)
    joins the moved one, though voc by itself puts it where the original was."""
    s = scenario
    quotes = s["second_quotes"]
    said_at = s["moved"].split("-")[1]
    copies = [row for q, row in quotes.items() if row["recording"].endswith(EXTRA_RECORDING) and q.endswith(said_at)]
    assert len(copies) == 1, "the added recording's transcript repeats the moved quote"
    assert (copies[0]["theme_id"], copies[0]["voc_theme_id"]) == (s["keeper"], quotes[s["moved"]]["voc_theme_id"])
    assert copies[0]["curated"] == "False"  # placed by anchoring, not by hand
    # The kind set on the moved quote taught the tagger: its copy, untouched, gets that kind from voc itself.
    assert copies[0]["kind"] == copies[0]["voc_kind"] == s["kind"] != quotes[s["moved"]]["voc_kind"]


def test_undo_brings_back_voc_own_label(scenario):
    from nlp.store import Store

    s = scenario
    third = theme(s["third"], s["renamed"])
    own = {c.theme_id: c.label for c in Store(s["settings"].store_url).clusters_of(s["third"]["run"]["id"])}
    assert third["label"] == own[s["renamed"]] != LABEL and third["voc_label"] == ""
    assert theme(s["third"], s["merged"]) is None and s["third_quotes"][s["moved"]]["theme_id"] == s["keeper"]


def test_stale_and_mid_run_edits_are_kept_and_listed(scenario):
    s = scenario
    edits = {e["id"]: e for e in json.loads(ok(s["env"], "edits", "--json"))}
    stale = next(e for e in edits.values() if e["targets"] == [s["gone"]])
    assert stale["state"].startswith(f"stale: quote {s['gone']} is no longer in the synthesis")
    assert edits[s["rename_id"]]["state"].startswith("undone by")
    assert s["during"], "the run was over before an edit could be made"
    assert all(i in edits for i in s["during"])  # none lost
    record_last = max(e["id"] for e in edits.values() if e["in_latest_run"])
    late = [i for i in s["during"] if i > record_last]
    assert late, "no edit was made after the run read the log"
    assert all(not edits[i]["in_latest_run"] for i in late)
    text = ok(s["env"], "edits")
    assert f"stale: quote {s['gone']}" in text and "(not in a report yet)" in text
    # The workspace already shows the newest note; the next run will write it.
    from flows.workspace.session import Session

    view = Session(s["settings"]).view()
    assert next(t for t in view.doc.themes if t.id == s["keeper"]).note == f"note {len(s['during']) - 1}"


def test_split_pin_note_delete_from_the_terminal_show_at_once(scenario):
    """The other theme edits, on the last run as it stands: each shows in the workspace view at once
    (no run in between). Runs last: it adds edits to the scenario's log."""
    from flows.workspace.session import Session

    s = scenario
    env, quotes = s["env"], s["third_quotes"]
    keeper = s["keeper"]
    members = sorted(q for q, row in quotes.items() if row["theme_id"] == keeper and q != s["moved"])
    out = voc(env, "theme", "split", keeper, *members[:2])
    assert out.returncode == 0, out.stderr
    new_id = out.stdout.strip()
    assert new_id.startswith("T") and f"into {new_id}" in out.stderr
    ok(env, "theme", "pin", new_id)
    ok(env, "theme", "note", new_id, "Split off by hand")
    assert voc(env, "theme", "pin", new_id).returncode == 2  # already pinned
    deleted = next(t["id"] for t in s["third"]["themes"] if t["id"] not in (keeper, s["renamed"]))
    ok(env, "theme", "delete", deleted)
    view = Session(s["settings"]).view()
    split = next(t for t in view.doc.themes if t.id == new_id)
    assert split.pinned and split.note == "Split off by hand" and split.curated and split.label
    assert sorted(q.quote_id for q in view.quotes if q.theme_id == new_id) == members[:2]
    assert deleted not in {t.id for t in view.doc.themes}
    was = [q for q, row in quotes.items() if row["theme_id"] == deleted]
    assert all(q.theme_id is None for q in view.quotes if q.quote_id in was)


def test_the_view_is_built_again_only_after_an_edit_or_a_run(edits_base, tmp_path: Path):
    """The workspace page and `voc theme ...` share Session.view: the latest run with the log
    replayed, memoised until an edit is added or a run replaces reports/latest."""
    import os

    from flows.workspace.session import Session

    settings = edits_project(edits_base, tmp_path)
    session = Session(settings, AUTHOR)
    view = session.view()
    assert session.view() is view  # nothing changed: not replayed again
    theme = view.doc.themes[0].id
    session.edit("theme.rename", [theme], {"label": LABEL})
    renamed = session.view()
    assert renamed is not view and {t.id: t.label for t in renamed.doc.themes}[theme] == LABEL
    assert session.view() is renamed
    themes_json = settings.paths.reports / "latest" / "themes.json"
    stat = themes_json.stat()
    os.utime(themes_json, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))  # as a run's new report
    again = session.view()
    assert again is not renamed and {t.id: t.label for t in again.doc.themes}[theme] == LABEL
