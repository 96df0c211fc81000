"""Report rendering from fixed data, and the command line on real inputs."""

import json
import subprocess
import sys
from pathlib import Path

from conftest import JFK, ROOT, require
from nlp.report import read_quotes_csv, render, write_report
from nlp.schema import Quote, RunInfo, Skipped, Theme, ThemesDocument, TopQuote

VOC = [sys.executable, "-m", "flows.cli"]
HOSTILE = 'It broke <script>alert(1)</script> and <img src=x onerror="alert(2)"> see javascript:alert(3)'


def fixed_doc(recording: str) -> tuple[ThemesDocument, list[Quote]]:
    q = Quote(quote_id="q1", recording=recording, customer="Ann", speaker="Ann", role="customer", start=61.5,
              end=64.0, text=HOSTILE, kind="pain", theme_id="T001", theme_label="Broken exports")
    theme = Theme(id="T001", rank=1, label="Broken exports", keywords=["export", "broken"], score=2.0,
                  why="1 of 1 customers, mostly pains, new since the last run", customers=1, interviews=1, quotes=1,
                  kinds={"pain": 1, "request": 0, "praise": 0, "question": 0, "other": 0},
                  segments={"plan": {"Enterprise": 1}},
                  top_quotes=[TopQuote(**q.model_dump(include=set(TopQuote.model_fields)))])
    run = RunInfo(id="run-1", started_at="2026-01-01T02:00:00+00:00", finished_at="2026-01-01T02:01:00+00:00",
                  recordings=1, new_recordings=1, skipped=[Skipped(path="bad.mp3", reason="file is empty")])
    return ThemesDocument(run=run, themes=[theme], unthemed_quotes=0), [q]


def test_render_escapes_untrusted_text_and_links_audio(tmp_path: Path):
    rec = tmp_path / "recordings" / "ann.ogg"
    rec.parent.mkdir()
    rec.write_bytes(b"x")
    doc, quotes = fixed_doc(str(rec))
    files = render(doc, quotes, tmp_path / "reports" / "run-1", {"Ann": {"company": "Acme", "plan": "Enterprise"}})
    html = files["report.html"]
    assert "<script>alert" not in html and "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'src="../../recordings/ann.ogg#t=61.50,64.00"' in html
    assert "Acme" in html and "Enterprise" in html and "file is empty" in html
    md = files["report.md"]
    assert "Broken exports" in md and "ann.ogg at 01:01" in md and "\\<script\\>" in md and "`bad.mp3`: file is empty" in md
    assert json.loads(files["themes.json"])["themes"][0]["top_quotes"][0]["start"] == 61.5


def test_write_report_round_trips_quotes_and_refreshes_latest(tmp_path: Path):
    doc, quotes = fixed_doc("recordings/ann.ogg")
    run_dir = write_report(doc, quotes, tmp_path, {})
    assert sorted(p.name for p in run_dir.iterdir()) == ["quotes.csv", "report.html", "report.md", "themes.json"]
    assert read_quotes_csv(run_dir / "quotes.csv")[0].text == HOSTILE
    assert (tmp_path / "latest" / "themes.json").read_text() == (run_dir / "themes.json").read_text()
    assert not any(p.name.startswith(".") for p in tmp_path.iterdir())


def run_voc(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(VOC + list(args), input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_cli_classify_reads_lines_and_writes_json_lines():
    out = run_voc("classify", stdin="The app crashes every morning.\n\nPlease add dark mode, we need it.\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["kind"] for r in rows] == ["pain", "request"]
    assert set(rows[0]) == {"text", "kind", "severity", "sentiment"}


def test_cli_themes_labels_every_line(tmp_path: Path):
    lines = ["The dashboard is so slow to load.", "Dashboards take forever to load every morning.",
             "Loading the main dashboard takes minutes.", "The charts load very slowly.",
             "Please add single sign-on with Okta.", "We need SSO before rolling out.",
             "Our IT team requires single sign-on.", "Without SAML login we cannot roll out.",
             "Support answered every ticket within an hour.", "The support team is amazing.",
             "Your support staff fixed our import the same day.", "Support always replies quickly and kindly."]
    f = tmp_path / "lines.txt"
    f.write_text("\n".join(lines) + "\n")
    out = run_voc("themes", str(f))
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    per_line, themes = rows[: len(lines)], rows[len(lines):]
    assert [r["line"] for r in per_line] == lines
    assert themes and all(t["theme_id"] and t["label"] for t in themes)
    ids = [r["theme_id"] for r in per_line]
    assert ids[0] == ids[1] and ids[4] == ids[6] and ids[8] == ids[9] and len({ids[0], ids[4], ids[8]}) == 3


def test_cli_transcribe_formats_and_bad_usage(tmp_path: Path):
    out = run_voc("transcribe", str(require(JFK)), "--format", "txt")
    assert out.returncode == 0, out.stderr
    assert "ask not what your country can do for you" in out.stdout.lower()
    assert run_voc("transcribe", str(tmp_path / "missing.wav")).returncode == 2
    assert run_voc("transcribe", str(JFK), "--format", "pdf").returncode == 2
    notaudio = tmp_path / "notes.mp3"
    notaudio.write_text("hello")
    bad = run_voc("transcribe", str(notaudio))
    assert bad.returncode == 1 and "notes.mp3" in bad.stderr
    assert run_voc("run", "--inbox", str(tmp_path / "nope")).returncode == 2
