"""The command line on real inputs. (The report's own tests are in test_report.py and test_report_browser.py.)"""

import json
import subprocess
import sys
from pathlib import Path

from conftest import JFK, ROOT, require

VOC = [sys.executable, "-m", "flows.cli"]


def run_voc(*args: str, stdin: str = "") -> subprocess.CompletedProcess:
    return subprocess.run(VOC + list(args), input=stdin, capture_output=True, text=True, cwd=ROOT, timeout=600)


def test_cli_classify_reads_lines_and_writes_json_lines():
    out = run_voc("classify", stdin="The app crashes every morning.\n\nPlease add dark mode, we need it.\n")
    assert out.returncode == 0, out.stderr
    rows = [json.loads(line) for line in out.stdout.splitlines()]
    assert [r["kind"] for r in rows] == ["pain", "request"]
    assert set(rows[0]) == {"text", "kind", "severity", "sentiment"}


def test_cli_classify_in_worker_processes_keeps_order_and_results():
    lines = ["The app crashes every morning.", "Please add dark mode, we need it.", "Support is wonderful.",
             "Exports time out on big projects.", "Could you add an API for invoices?"]
    stdin = "\n".join(lines) + "\n"
    one_process = run_voc("classify", "--batch", "500", stdin=stdin)
    in_workers = run_voc("classify", "--batch", "2", stdin=stdin)  # more lines than a batch: the worker pool
    assert in_workers.returncode == 0, in_workers.stderr
    assert [json.loads(line)["text"] for line in in_workers.stdout.splitlines()] == lines
    assert in_workers.stdout == one_process.stdout


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
