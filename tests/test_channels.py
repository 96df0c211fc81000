"""Every channel in one report: a real export of app reviews, a survey workbook and one-paragraph
transcripts dropped beside the sample interviews. One project, run through the flow; then rows are
added, changed and removed, and the next runs are checked against the first.

Texts are real: app reviews (Maalej et al., CC0) and product-forum sentences (Tizard et al., CC BY)
from ../shared/eval/feedback. Those sets carry no dates or customers: the export's dates, the survey's
emails and plans are set here (the only made-up parts, and they are metadata)."""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

import pytest

from conftest import EVAL, ROOT, SAMPLES, project_settings, require

FEEDBACK = EVAL / "feedback"
REVIEWS = 300       # rows of the review export
NEW_ROWS = 12       # rows the next export adds at the top (newest first, as stores export)
QUESTIONS = ("What should we improve?", "What do you like most?")


def real_texts(name: str) -> list[dict]:
    return [json.loads(line) for line in require(FEEDBACK / name).read_text(encoding="utf-8").splitlines()]


def review_rows(reviews: list[dict], start: int, count: int) -> list[list]:
    """[date, rating, store, text] rows; dates spread over the first half of 2024."""
    return [[f"2024-{1 + (i % 6):02d}-{1 + (i * 7) % 28:02d}", r["rating"], r["source"].split(":")[-1], r["text"]]
            for i, r in enumerate(reviews[start:start + count], start)]


def write_reviews(path: Path, rows: list[list]) -> None:
    with open(path, "w", newline="", encoding="utf-8") as f:
        out = csv.writer(f)
        out.writerow(["Date", "Rating", "Store", "Review"])
        out.writerows(rows)


def write_survey(path: Path, sentences: list[dict]) -> None:
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Timestamp", "Email", "Plan", *QUESTIONS])
    for i in range(40):
        sheet.append([f"2024-0{1 + i % 6}-1{i % 9} 10:00", f"user{i}@example.com", ["Pro", "Free"][i % 2],
                      sentences[2 * i]["text"], sentences[2 * i + 1]["text"] if i % 3 else ""])
    book.create_sheet("Summary").append(["responses", 40])
    book.save(path)


def tree_digest(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def read_run(result: dict) -> tuple[dict, list[dict]]:
    run_dir = Path(result["report"])
    with open(run_dir / "quotes.csv", newline="", encoding="utf-8") as f:
        return json.loads((run_dir / "themes.json").read_text(encoding="utf-8")), list(csv.DictReader(f))


@pytest.fixture(scope="session")
def channels_project(sample_run, tmp_path_factory):
    """The samples, reviews.csv, surveys/q1.xlsx and 20 .txt reviews; run, then the export changes and runs again.
    -> (settings, first result, second result, inbox before, inbox after, flow run id of the first)."""
    from flows.config import Operations
    from flows.synthesis import synthesize
    from nlp.settings import SourceSettings

    root = tmp_path_factory.mktemp("channels")
    inbox = root / "inbox"
    shutil.copytree(SAMPLES, inbox)
    settings = project_settings(root, inbox)
    shutil.copytree(sample_run[0].paths.transcripts, settings.paths.transcripts)  # the interviews, transcribed once
    reviews = real_texts("maalej2016_app_reviews.jsonl")
    write_reviews(inbox / "reviews.csv", review_rows(reviews, NEW_ROWS, REVIEWS))
    (inbox / "surveys").mkdir()
    write_survey(inbox / "surveys" / "q1.xlsx", real_texts("tizard2019_product_forums.jsonl")[:80])
    (inbox / "notes").mkdir()
    for i, r in enumerate(reviews[1000:1020]):
        (inbox / "notes" / f"review-{i:02d}.txt").write_text(r["text"] + "\n", encoding="utf-8")
    settings.sources = {"surveys/*.xlsx": SourceSettings(channel="survey"), "notes/*.txt": SourceSettings(channel="review")}
    ops = Operations()
    ops.dask.enabled = False
    before = tree_digest(inbox)
    state = synthesize(settings, ops, return_state=True)
    first = state.result()
    # The next export: newest reviews on top, one review edited, one gone.
    rows = review_rows(reviews, 0, REVIEWS + NEW_ROWS)
    rows[NEW_ROWS + 5][3] = rows[NEW_ROWS + 5][3] + " Update: they fixed it, five stars now."
    del rows[NEW_ROWS + 9]
    write_reviews(inbox / "reviews.csv", rows)
    second = synthesize(settings, ops)
    return settings, first, second, before, tree_digest(inbox), state.state_details.flow_run_id


def test_one_report_with_channels_dates_and_segments(channels_project):
    settings, first, *_ = channels_project
    doc, quotes = read_run(first)
    assert doc["run"]["channels"] == {"interview": 7, "review": REVIEWS + 20, "survey": 40}
    assert first["skipped"] == []  # the workbook's summary sheet is a note, not a failure
    assert any("sheet 'Summary' was not read" in n["reason"] for n in doc["run"]["notes"])
    by_channel = defaultdict(list)
    for q in quotes:
        by_channel[q["channel"]].append(q)
    assert set(by_channel) == {"interview", "review", "survey"}
    table_reviews = [q for q in by_channel["review"] if q["row"]]
    assert table_reviews and all(q["recording"].endswith("reviews.csv") and q["date"].startswith("2024-0")
                                 and q["question"] == "Review" for q in table_reviews)
    assert {q["question"] for q in by_channel["survey"]} == set(QUESTIONS)  # two questions kept apart
    assert all(q["customer"].endswith("@example.com") for q in by_channel["survey"])
    assert all(q["start"] and not q["row"] for q in by_channel["interview"])
    # Theme cards: customers per channel, per question, and segments from participants.csv and the tables.
    themed = defaultdict(lambda: defaultdict(set))
    for q in quotes:
        if q["theme_id"]:
            themed[q["theme_id"]][q["channel"]].add(q["customer"])
    assert len({c for t in doc["themes"] for c in t["channels"]}) == 3
    for theme in doc["themes"]:
        assert theme["channels"] == {c: len(s) for c, s in themed[theme["id"]].items()}
        assert sum(theme["channels"].values()) >= theme["customers"]
        assert theme["interviews"] == len({q["recording"] for q in quotes
                                           if q["theme_id"] == theme["id"] and q["channel"] == "interview"})
    dims = set().union(*(t["segments"] for t in doc["themes"]))
    assert {"plan", "region", "rating", "store"} <= dims


def test_trends_by_the_feedbacks_own_dates(channels_project):
    from nlp.themes.facets import period_trend

    _, first, *_ = channels_project
    doc, quotes = read_run(first)
    dated = [t for t in doc["themes"] if t["periods"]]
    assert dated
    for theme in dated:
        months = theme["periods"]["month"]
        assert list(months) == ["2024-01", "2024-02", "2024-03", "2024-04", "2024-05", "2024-06"]
        for month, n in months.items():
            assert n == len({q["customer"] for q in quotes if q["theme_id"] == theme["id"]
                             and q["date"].startswith(month)})
        assert theme["period_trends"]["month"] == period_trend(list(months.values()))
    assert period_trend([3, 0, 4]) == "new" and period_trend([2, 5, 3]) == "falling" and period_trend([1, 2]) == "rising"
    html = (Path(first["report"]) / "report.html").read_text(encoding="utf-8")
    assert "Trend by the feedback's own date" in html and 'data-period="week"' in html


def test_a_file_that_changes_processes_only_new_and_changed_rows(channels_project):
    _, first, second, before, after, _ = channels_project
    assert before != after and set(before) == set(after)  # only the export the test rewrote changed
    old_doc, old = read_run(first)
    new_doc, new = read_run(second)
    assert not second["reused"] and second["new_items"] == NEW_ROWS + 1  # the new rows and the edited one
    assert new_doc["run"]["channels"]["review"] == REVIEWS + 20 + NEW_ROWS - 1

    def review_ids(quotes):
        return {q["quote_id"]: q for q in quotes if q["recording"].endswith("reviews.csv")}

    old_ids, new_ids = review_ids(old), review_ids(new)
    edited = [q for q in new_ids.values() if "they fixed it, five stars now" in q["text"]]
    assert edited and not {q["quote_id"] for q in edited} & set(old_ids)
    # Exactly the quotes of the edited row (row 7 of the first export) and the removed one (row 11) are gone.
    gone = set(old_ids) - set(new_ids)
    assert gone == {i for i, q in old_ids.items() if q["row"] in ("7", "11")} and {old_ids[i]["row"] for i in gone} == {"7", "11"}
    kept = set(old_ids) & set(new_ids)
    # Rows that moved down keep their quotes (same ids, same words); only their row number follows the file.
    assert all(old_ids[i]["text"] == new_ids[i]["text"] and int(new_ids[i]["row"]) > int(old_ids[i]["row"]) for i in kept)


def test_small_files_and_rows_are_batched_not_a_task_each(channels_project):
    from prefect.client.orchestration import get_client
    from prefect.client.schemas.filters import FlowRunFilter, FlowRunFilterId

    *_, flow_run_id = channels_project
    with get_client(sync_client=True) as client:
        runs = client.read_task_runs(flow_run_filter=FlowRunFilter(id=FlowRunFilterId(any_=[flow_run_id])))
    names = sorted(r.name.rsplit("-", 1)[0] for r in runs)
    # 20 transcripts and 340 rows: one import, one quoting task for transcripts, one for tables; no transcription.
    assert names.count("import transcripts") == 1 and names.count("extract quotes (batch)") == 1
    assert names.count("feedback quotes") == 1 and "transcribe" not in names and len(names) <= 8


def test_status_counts_items_per_source_and_channel_and_nothing_new_needs_no_server(channels_project):
    settings, _, second, *_ = channels_project
    env = dict(os.environ, VOC_PATHS__INBOX=str(settings.paths.inbox), VOC_PATHS__TRANSCRIPTS=str(settings.paths.transcripts),
               VOC_PATHS__REPORTS=str(settings.paths.reports), VOC_PATHS__STATE=str(settings.paths.state),
               VOC_PREFECT__PORT="9", VOC_SOURCES='{"surveys/*.xlsx": {"channel": "survey"}, '
                                                  '"notes/*.txt": {"channel": "review"}}')
    env.pop("PREFECT_API_URL", None)  # port 9 cannot host a server: a run that started one would fail
    status = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--json"], cwd=ROOT, env=env,
                            capture_output=True, text=True, timeout=300)
    assert status.returncode == 0, status.stderr
    inbox = json.loads(status.stdout)["inbox"]
    assert inbox["channels"] == {"review": REVIEWS + NEW_ROWS - 1 + 20, "survey": 40, "interview": 7}
    counts = {(Path(s["path"]).name, s["sheet"]): (s["items"], s["channel"]) for s in inbox["sources"]}
    assert counts == {("reviews.csv", None): (REVIEWS + NEW_ROWS - 1, "review"), ("q1.xlsx", "Responses"): (40, "survey")}
    run = subprocess.run([sys.executable, "-m", "flows.cli", "run", "--no-progress"], cwd=ROOT, env=env,
                         capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Nothing new since the last run" in run.stdout and "review 331" in run.stdout
    latest = json.loads((settings.paths.reports / "latest" / "themes.json").read_text(encoding="utf-8"))
    previous = json.loads((Path(second["report"]) / "themes.json").read_text(encoding="utf-8"))
    assert latest["run"]["id"] != previous["run"]["id"]
    assert latest["themes"] and [t["id"] for t in latest["themes"]] == [t["id"] for t in previous["themes"]]
    assert latest["run"]["channels"] == previous["run"]["channels"]


def test_the_workspace_view_keeps_channels_and_table_customers_segments(channels_project):
    """The researcher's workspace re-ranks the latest run with the edit log replayed (nlp.workspace):
    its themes keep their channel counts and dated periods, and table customers their own columns."""
    from flows.workspace.session import Session

    settings, _, second, *_ = channels_project
    doc, quotes = read_run(second)
    view = Session(settings).view()
    assert {t.id: t.channels for t in view.doc.themes} == {t["id"]: t["channels"] for t in doc["themes"]}
    assert {t.id: t.periods for t in view.doc.themes} == {t["id"]: t["periods"] for t in doc["themes"]}
    surveyed = next(q["customer"] for q in quotes if q["channel"] == "survey")
    assert view.people[surveyed]["plan"] in ("Pro", "Free")
