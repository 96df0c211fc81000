"""The run taken where researchers and PMs work, on the sample run (conftest.sample_run): `voc export qdpx`
(validated against REFI-QDA's Project.xsd with lxml, then re-read: the same quotes and codes at the same
places), `voc export xlsx` (read back by openpyxl), `voc export followups`, `voc search`, and the report's
every-quote lists and transcript links."""

from __future__ import annotations

import csv
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from conftest import ROOT, SAMPLES, require
from nlp.report.run_files import latest_run_dir, load_run
from nlp.report.transcripts import plain_text

SCHEMA = ROOT.parent / "shared" / "refi-qda" / "Project.xsd"
QDA = "{urn:QDA-XML:project:1.0}"


def run_voc(settings, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, VOC_PATHS__INBOX=str(settings.paths.inbox), VOC_PATHS__TRANSCRIPTS=str(settings.paths.transcripts),
               VOC_PATHS__REPORTS=str(settings.paths.reports), VOC_PATHS__STATE=str(settings.paths.state))
    return subprocess.run([sys.executable, "-m", "flows.cli", *args], cwd=ROOT, env=env, capture_output=True, text=True,
                          timeout=600)


@pytest.fixture(scope="module")
def run(sample_run):
    settings = sample_run[0]
    return load_run(latest_run_dir(settings.paths.reports), settings.paths.inbox)


@pytest.fixture(scope="module")
def qdpx(sample_run, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("qdpx") / "samples.qdpx"
    done = run_voc(sample_run[0], "export", "qdpx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    assert str(out) in done.stdout
    return out


def read_qdpx(path: Path):
    """-> (project element, {archive name: bytes})"""
    from lxml import etree

    with zipfile.ZipFile(path) as archive:
        files = {name: archive.read(name) for name in archive.namelist()}
    return etree.fromstring(files["project.qde"]), files


def code_names(project) -> dict[str, str]:
    return {c.get("guid"): c.get("name") for c in project.iter(f"{QDA}Code")}


def test_qdpx_validates_against_the_refi_qda_schema(qdpx):
    from lxml import etree

    schema = etree.XMLSchema(etree.parse(str(require(SCHEMA))))
    project, files = read_qdpx(qdpx)
    schema.assertValid(project)
    assert all(name == "project.qde" or name.startswith("sources/") for name in files)
    groups = {c.get("name"): c for c in project.find(f"{QDA}CodeBook/{QDA}Codes")}
    assert set(groups) == {"Themes", "Kinds"} and all(g.get("isCodable") == "false" for g in groups.values())
    assert [c.get("name") for c in groups["Kinds"].findall(f"{QDA}Code")] == ["pain", "request", "praise", "question", "other"]
    assert all(c.get("isCodable") == "true" for g in groups.values() for c in g.findall(f"{QDA}Code"))


def test_qdpx_round_trips_every_quote_with_its_codes_at_its_place(qdpx, run):
    project, files = read_qdpx(qdpx)
    codes = code_names(project)
    by_id = {q.quote_id: q for q in run.quotes}
    shown = {t.recording: t for t in run.transcripts}
    found = {}
    for source in project.iter(f"{QDA}TextSource"):
        text = files["sources/" + source.get("plainTextPath").removeprefix("internal://")].decode("utf-8")
        for selection in source.iter(f"{QDA}PlainTextSelection"):
            quote_id = selection.find(f"{QDA}Description").text.split(":")[0]
            start, end = int(selection.get("startPosition")), int(selection.get("endPosition"))
            found[quote_id] = (text[start:end], sorted(codes[r.get("targetGUID")] for r in selection.iter(f"{QDA}CodeRef")))
            quote = by_id[quote_id]
            # The same text at the same place as the report's transcript page shows it.
            expected = plain_text(shown[quote.recording])
            assert expected.text == text and expected.spans[quote_id] == (start, end)
    assert set(found) == set(by_id)  # every quote, once
    for quote_id, (selected, names) in found.items():
        quote = by_id[quote_id]
        assert names == sorted(filter(None, [quote.theme_label, quote.kind]))
        # The selection holds the quote's words, in order, from its first to its last.
        said = [w for w in re.findall(r"[a-z0-9']+", selected.lower()) if w != "name"]
        shown_words = [w for w in re.findall(r"[a-z0-9']+", quote.text.lower()) if w != "name"]
        it = iter(said)
        assert all(w in it for w in shown_words), (selected, quote.text)
        assert selected == selected.strip() and said[-1] == shown_words[-1]


def test_qdpx_cases_audio_sync_points_and_stable_guids(qdpx, sample_run, run, tmp_path: Path):
    project, files = read_qdpx(qdpx)
    variables = {v.get("guid"): v.get("name") for v in project.iter(f"{QDA}Variable")}
    assert {"company", "plan", "region", "role", "interviewer"} <= set(variables.values())
    assert not {"email", "owner"} & set(variables.values())  # how to reach someone is no case attribute
    cases = {c.get("name"): c for c in project.iter(f"{QDA}Case")}
    assert set(cases) == {q.customer for q in run.quotes}
    maria = {variables[v.find(f"{QDA}VariableRef").get("targetGUID")]: v[1].text for v in cases["Maria Lopez"].iter(f"{QDA}VariableValue")}
    assert maria["plan"] == "Enterprise" and maria["company"] == "Acme Logistics"
    sources = {s.get("guid"): s for s in project.find(f"{QDA}Sources")}
    refs = [sources[r.get("targetGUID")] for r in cases["Maria Lopez"].iter(f"{QDA}SourceRef")]
    assert sorted(s.tag.removeprefix(QDA) for s in refs) == ["AudioSource", "TextSource"]
    audio = next(s for s in refs if s.tag == f"{QDA}AudioSource")
    assert Path(audio.get("path").removeprefix("absolute://")) == (SAMPLES / "acme-logistics.ogg").resolve()
    transcript = audio.find(f"{QDA}Transcript")
    text = files["sources/" + transcript.get("plainTextPath").removeprefix("internal://")].decode("utf-8")
    points = transcript.findall(f"{QDA}SyncPoint")
    assert len(points) == len(text.splitlines()) > 5
    for point in points:  # each line starts at its sync point with its own time
        seconds = int(point.get("timeStamp")) // 1000
        assert text[int(point.get("position")):].startswith(f"[{seconds // 60:02d}:{seconds % 60:02d}] ")
    # The same run exported again: the same file, byte for byte (GUIDs from voc's ids, fixed times).
    again = run_voc(sample_run[0], "export", "qdpx", "--out", str(tmp_path / "again.qdpx"))
    assert again.returncode == 0, again.stderr
    assert (tmp_path / "again.qdpx").read_bytes() == qdpx.read_bytes()


def test_qdpx_theme_notes_become_notes_and_audio_can_travel_inside(run, tmp_path: Path):
    from lxml import etree

    from nlp.report.qdpx import write_qdpx

    theme = run.doc.themes[0]
    out = write_qdpx(run, tmp_path / "notes.qdpx", embed_audio=True, notes={theme.id: "Ask finance how often they export."})
    project, files = read_qdpx(out)
    etree.XMLSchema(etree.parse(str(SCHEMA))).assertValid(project)
    note = project.find(f"{QDA}Notes/{QDA}Note")
    assert note.find(f"{QDA}PlainTextContent").text == "Ask finance how often they export."
    code = next(c for c in project.iter(f"{QDA}Code") if c.get("name") == theme.label)
    assert code.find(f"{QDA}NoteRef").get("targetGUID") == note.get("guid")
    audio = next(project.iter(f"{QDA}AudioSource"))
    inside = "sources/" + audio.get("path").removeprefix("internal://")
    recording = next(t.recording for t in run.transcripts if Path(t.recording).name == audio.get("name"))
    assert files[inside] == Path(recording).read_bytes()


def test_xlsx_reads_back_with_quotes_themes_and_the_matrix(sample_run, run, tmp_path: Path):
    import openpyxl

    out = tmp_path / "run.xlsx"
    done = run_voc(sample_run[0], "export", "xlsx", "--out", str(out))
    assert done.returncode == 0, done.stderr
    book = openpyxl.load_workbook(out)
    assert book.sheetnames == ["Quotes", "Themes", "Themes x Customers"]
    quotes = book["Quotes"]
    header = [c.value for c in quotes[1]]
    assert header[:4] == ["quote_id", "quote", "customer", "company"]
    assert {"interviewer", "plan", "region", "role", "email", "owner"} <= set(header)  # every participants.csv column
    assert header[-9:] == ["theme_id", "theme", "kind", "severity", "sentiment", "recording", "start", "end", "play"]
    rows = [dict(zip(header, [c.value for c in row])) for row in quotes.iter_rows(min_row=2)]
    assert [r["quote_id"] for r in rows] == [q.quote_id for q in run.quotes]
    for r, q in zip(rows, run.quotes):
        assert (r["quote"], r["kind"], r["start"], r["theme_id"] or None) == (q.text, q.kind, q.start, q.theme_id)
        assert r["severity"] == q.severity and r["email"] == run.people[q.customer]["email"]
    assert any(r["severity"] for r in rows)  # quotes.csv carries severity
    link = quotes.cell(row=2, column=len(header)).hyperlink.target
    page, anchor = link.split("#")
    assert (out.parent / page).resolve().is_file() and anchor == f"q-{rows[0]['quote_id']}"
    assert f'id="{anchor}"' in (out.parent / page).resolve().read_text()
    assert quotes.freeze_panes == "C2" and quotes.auto_filter.ref.startswith("A1:")
    assert quotes.column_dimensions["B"].width == 60
    themes = book["Themes"]
    theme_rows = [[c.value for c in row] for row in themes.iter_rows(min_row=2)]
    assert [r[2] for r in theme_rows] == [t.label for t in run.doc.themes]
    assert "plan: Enterprise" in [c.value for c in themes[1]] and themes.auto_filter.ref
    matrix = book["Themes x Customers"]
    customers = [c.value for c in matrix[1]][2:-1]
    for row in matrix.iter_rows(min_row=2, values_only=True):
        raised = {q.customer for q in run.quotes if q.theme_id == row[0]}
        assert [c for c, v in zip(customers, row[2:-1]) if v == 1] == sorted(raised, key=str.lower)
        assert set(row[2:-1]) <= {0, 1} and row[-1] == len(raised)


def test_xlsx_keeps_text_that_looks_like_a_formula_as_text(tmp_path: Path):
    import openpyxl

    from nlp.report.writers import write_report
    from nlp.report.xlsx import write_xlsx
    from report_data import PEOPLE, fixed_run

    doc, quotes, history = fixed_run(tmp_path)
    quotes[0].text = '=HYPERLINK("http://evil.example","click")'
    run_dir = write_report(doc, quotes, tmp_path / "reports", PEOPLE, history)
    (tmp_path / "inbox").mkdir()
    out = write_xlsx(load_run(run_dir, tmp_path / "inbox"), tmp_path / "fixed.xlsx")
    cell = openpyxl.load_workbook(out)["Quotes"]["B2"]
    assert cell.value == quotes[0].text and cell.data_type == "s"


def test_followups_list_contacts_and_quotes_per_theme(sample_run, run):
    theme = max(run.doc.themes, key=lambda t: t.customers)
    done = run_voc(sample_run[0], "export", "followups", "--theme", theme.id, "--out", "-")
    assert done.returncode == 0, done.stderr
    rows = list(csv.DictReader(io.StringIO(done.stdout)))
    assert list(rows[0])[:6] == ["theme_id", "theme", "customer", "company", "email", "owner"]
    assert sorted(r["customer"] for r in rows) == sorted({q.customer for q in run.quotes if q.theme_id == theme.id})
    for r in rows:
        said = [q for q in run.quotes if q.theme_id == theme.id and q.customer == r["customer"]]
        assert r["email"] == run.people[r["customer"]]["email"] and r["owner"] == run.people[r["customer"]]["owner"]
        assert int(r["quotes"]) == len(said) and r["quote_ids"].split() == [q.quote_id for q in said]
        assert r["quote"] == said[0].text and re.fullmatch(r"\S+\.(ogg|m4a) \d\d:\d\d", r["at"])
    wrong = run_voc(sample_run[0], "export", "followups", "--theme", "T999")
    assert wrong.returncode == 2 and "no theme T999" in wrong.stderr and theme.id in wrong.stderr
    # Into the run's folder by default, every theme.
    done = run_voc(sample_run[0], "export", "followups")
    assert done.returncode == 0 and (run.run_dir / "followups.csv").is_file()


def test_exports_and_search_before_any_run_say_what_to_do(tmp_path: Path):
    from conftest import project_settings

    empty = project_settings(tmp_path)
    for args in (("export", "qdpx"), ("export", "xlsx"), ("export", "followups"), ("search", "slow dashboards")):
        done = run_voc(empty, *args)
        assert done.returncode == 2 and "run `voc run` first" in done.stderr, (args, done.stderr)


def test_search_finds_by_meaning_and_by_exact_words(sample_run):
    from nlp import search, store
    from nlp.themes.embed import embed_for

    settings = sample_run[0]
    stored = store.Store(settings.store_url).searchable_quotes()
    assert len(stored) == sample_run[1]["quotes"]

    def find(query: str, **where) -> list[str]:
        hits = search.search(query, stored, lambda texts: embed_for(texts, settings), search.SearchFilter(**where))
        return [h.quote.text for h in hits]

    # By meaning: the samples' customers say "Excel" and "spread sheet", rarely "spreadsheet" (how often
    # depends on Whisper's reading on the machine), so a quote with "Excel" and no "spreadsheet" is among the first.
    top = [text.lower() for text in find("export to a spreadsheet")[:3]]
    assert all(any(w in t for w in ("excel", "spreadsheet", "spread sheet")) for t in top), top
    assert any("excel" in t and "spreadsheet" not in t for t in top), top
    # By exact words: a product name only one customer says.
    assert "Salesforce" in find("Salesforce")[0]
    assert find('"single sign-on"') and all("single sign-on" in t.lower() for t in find('"single sign-on"'))
    assert all(h.quote.kind == "pain" for h in search.search("slow", stored, lambda t: embed_for(t, settings),
                                                              search.SearchFilter(kind="pain")))
    assert {t for t in find("slow dashboards", customer="maria")} <= {s.quote.text for s in stored if s.quote.customer == "Maria Lopez"}
    from datetime import date

    assert find("slow dashboards", since=date(2999, 1, 1)) == []


def test_cli_search_prints_json_with_theme_customer_recording_and_time(sample_run):
    done = run_voc(sample_run[0], "search", "export to a spreadsheet", "--json", "--limit", "3", "--kind", "request")
    assert done.returncode == 0, done.stderr
    hits = [json.loads(line) for line in done.stdout.splitlines()]
    assert [h["rank"] for h in hits] == [1, 2, 3] and all(h["kind"] == "request" for h in hits)
    assert {"theme_id", "theme_label", "customer", "recording", "start", "run_id", "meaning", "words"} <= set(hits[0])
    assert "Excel" in hits[0]["text"] and hits[0]["run_id"] == Path(sample_run[1]["report"]).name
    text = run_voc(sample_run[0], "search", "Salesforce", "--limit", "1")
    assert text.returncode == 0 and "Salesforce" in text.stdout and "delta-fintech.m4a" in text.stdout
    assert run_voc(sample_run[0], "search", "x", "--since", "yesterday").returncode == 2


def test_report_shows_every_quote_and_links_each_to_its_transcript(sample_run, run):
    html = (run.run_dir / "report.html").read_text()
    rows = re.findall(r'<li class="quote-row"', html)
    assert len(rows) == len(run.quotes)  # every theme's quotes and those in no theme, each once
    links = re.findall(r'href="(transcripts/[^"#]+)#(q-[^"]+)"', html)
    assert {anchor[2:] for _, anchor in links} == {q.quote_id for q in run.quotes}
    pages = {page: (run.run_dir / page).read_text() for page, _ in links}
    assert all(f'id="{anchor}"' in pages[page] for page, anchor in links)
    assert len(pages) == len(run.transcripts) == 7
    # Personal data is replaced in the transcripts as in the quotes; the cached transcript keeps it.
    redacted = [q for q in run.quotes if "[NAME]" in q.text]
    for q in redacted:
        shown = next(t for t in run.transcripts if t.recording == q.recording)
        start, end = plain_text(shown).spans[q.quote_id]
        assert "[NAME]" in plain_text(shown).text[start:end]
