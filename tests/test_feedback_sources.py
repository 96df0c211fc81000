"""Tabular feedback in the inbox: each format, the column roles, and every bad input the issue lists.

The texts are real app reviews (../shared/eval/feedback, Maalej et al., CC0); the column layouts are
the ones survey, helpdesk and store exports use. No model is loaded here."""

from __future__ import annotations

import csv
import datetime
import json
from pathlib import Path

import pytest

from conftest import EVAL, require
from nlp.settings import SourceSettings
from nlp.sources.columns import NoTextColumn, config_for, detect_roles, guess_channel
from nlp.sources.dates import day_first, parse_dates, period_of, periods_between
from nlp.sources.feedback import read_feedback
from nlp.sources.inbox import scan_inbox
from nlp.sources.tables import decode, read_tables

REVIEWS = EVAL / "feedback" / "maalej2016_app_reviews.jsonl"


@pytest.fixture(scope="module")
def reviews() -> list[dict]:
    return [json.loads(line) for line in require(REVIEWS).read_text(encoding="utf-8").splitlines()]


def write_csv(path: Path, header: list[str], rows: list[list], encoding: str = "utf-8", delimiter: str = ",") -> Path:
    with open(path, "w", newline="", encoding=encoding) as f:
        out = csv.writer(f, delimiter=delimiter)
        out.writerow(header)
        out.writerows(rows)
    return path


def read(path: Path, sources: dict | None = None, max_rows: int = 1000):
    return read_feedback([(path, path.name)], sources or {}, max_rows)


# --- formats ---

def test_csv_rows_become_items_with_customer_date_segments_and_row_numbers(tmp_path, reviews):
    rows = [[f"user{i}@example.com", f"2024-03-{i + 1:02d}", r["rating"], r["text"]] for i, r in enumerate(reviews[:5])]
    found = read(write_csv(tmp_path / "store-export.csv", ["Email", "Date", "Rating", "Review"], rows))
    [source] = found.sources
    assert source.roles.text == ["Review"] and source.roles.customer == "Email" and source.roles.date == "Date"
    assert source.roles.segments == ["Rating"] and source.channel == "review"
    assert [(i.row, i.customer, i.date, i.segments) for i in source.items][:2] == [
        (2, "user0@example.com", "2024-03-01", {"rating": str(reviews[0]["rating"])}),
        (3, "user1@example.com", "2024-03-02", {"rating": str(reviews[1]["rating"])})]
    assert [i.text for i in source.items] == [" ".join(r["text"].split()) for r in reviews[:5]]
    assert len({i.id for i in source.items}) == 5 and not found.skipped and not source.notes


def test_tsv_jsonl_and_json_arrays(tmp_path, reviews):
    tsv = write_csv(tmp_path / "answers.tsv", ["respondent", "comment"], [["r1", reviews[0]["text"]]], delimiter="\t")
    jsonl = tmp_path / "tickets.jsonl"
    jsonl.write_text("\n".join(json.dumps({"ticket": {"id": i, "subject": "Login"}, "requester": {"email": f"c{i}@x.org"},
                                           "description": r["text"]}) for i, r in enumerate(reviews[:3]))
                     + "\n{not json\n", encoding="utf-8")
    array = tmp_path / "reviews.json"
    array.write_text(json.dumps([{"author": "Ann Lee", "body": reviews[3]["text"], "stars": 2}, "stray"]), encoding="utf-8")
    found = read_feedback([(tsv, tsv.name), (jsonl, jsonl.name), (array, array.name)], {}, 100)
    by_file = {Path(s.path).name: s for s in found.sources}
    assert by_file["answers.tsv"].items[0].customer == "r1"
    tickets = by_file["tickets.jsonl"]
    assert tickets.roles.text == ["description"] and tickets.roles.customer == "requester.email"
    assert tickets.channel == "ticket" and [i.row for i in tickets.items] == [1, 2, 3]  # JSON lines are numbered
    assert tickets.items[0].text.startswith("Login. ")  # the subject leads the body, as a ticket reads
    assert any("line 4 is not valid JSON" in n.reason for n in tickets.notes)
    review = by_file["reviews.json"]
    assert review.items[0].customer == "Ann Lee" and review.items[0].named  # a person's name: redacted like one
    assert any("item 2 is not a JSON object" in n.reason for n in review.notes)


def test_xlsx_each_sheet_with_text_is_a_source_and_a_summary_sheet_is_noted(tmp_path, reviews):
    import openpyxl

    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Responses"
    sheet.append(["Submitted", "Email", "Plan", "What should we improve?", "What do you like most?"])
    sheet.append([datetime.datetime(2024, 1, 5, 9, 30), "a@x.com", "Pro", reviews[0]["text"], reviews[1]["text"]])
    sheet.append([])  # a blank row keeps its number
    sheet.append([datetime.date(2024, 2, 7), "b@x.com", "Free", reviews[2]["text"], None])
    summary = book.create_sheet("Summary")
    summary.append(["metric", "value"])
    summary.append(["NPS", 42])
    book.save(tmp_path / "q1-survey.xlsx")
    found = read(tmp_path / "q1-survey.xlsx")
    [source] = found.sources
    assert source.sheet == "Responses" and source.channel == "survey"
    assert source.roles.text == ["What should we improve?", "What do you like most?"]  # questions kept apart
    assert [(i.row, i.question, i.date) for i in source.items] == [
        (2, "What should we improve?", "2024-01-05"), (2, "What do you like most?", "2024-01-05"),
        (4, "What should we improve?", "2024-02-07")]
    notes = " ".join(n.reason for n in source.notes)
    assert "1 blank row(s) left out" in notes and "sheet 'Summary' was not read" in notes
    # The configured sheet only.
    only = read(tmp_path / "q1-survey.xlsx", {"q1-survey.xlsx": SourceSettings(sheets=["Responses"])})
    assert [s.sheet for s in only.sources] == ["Responses"] and not only.sources[0].notes[1:]



def test_xlsx_with_several_text_sheets_gives_a_source_each_or_the_configured_ones(tmp_path, reviews):
    import openpyxl

    book = openpyxl.Workbook()
    survey = book.active
    survey.title = "Survey"
    survey.append(["Email", "What should we improve?"])
    survey.append(["a@x.com", reviews[0]["text"]])
    tickets = book.create_sheet("Tickets")
    tickets.append(["Requester", "Subject", "Body"])
    tickets.append(["b@x.com", "Export", reviews[1]["text"]])
    tickets.append(["c@x.com", "Login", reviews[2]["text"]])
    book.save(tmp_path / "export.xlsx")
    found = read(tmp_path / "export.xlsx", {"export.xlsx#Tickets": SourceSettings(channel="ticket")})
    assert [(s.sheet, len(s.items), s.channel) for s in found.sources] == [("Survey", 1, "survey"), ("Tickets", 2, "ticket")]
    assert not found.skipped
    only = read(tmp_path / "export.xlsx", {"export.xlsx": SourceSettings(sheets=["Tickets"])})
    assert [s.sheet for s in only.sources] == ["Tickets"]
    missing = read(tmp_path / "export.xlsx", {"export.xlsx": SourceSettings(sheets=["Answers"])})
    assert not missing.sources and "fix `sheets` for this file in voc.toml" in missing.skipped[0].reason

def test_utf16_and_cp1252_excel_exports_and_semicolons(tmp_path):
    text = "Le café est lent – l’export échoue à chaque fois"
    for name, encoding, delimiter in (("unicode.csv", "utf-16", "\t"), ("ansi.csv", "cp1252", ";"),
                                      ("utf16le.csv", "utf-16-le", ",")):
        write_csv(tmp_path / name, ["Client", "Commentaire"], [["ACME", text]], encoding, delimiter)
        [table] = read_tables(tmp_path / name, 10)
        assert table.columns == ["Client", "Commentaire"] and table.rows == [["ACME", text]], name
    (tmp_path / "hint.csv").write_bytes(f"sep=;\nkunde;feedback\nx;{text}\n".encode("cp1252"))
    assert read_tables(tmp_path / "hint.csv", 10)[0].rows == [["x", text]]
    with pytest.raises(ValueError, match="encoding"):
        decode(text.encode("cp1252"), "utf-8")


# --- column roles ---

def test_roles_by_content_when_names_say_nothing(tmp_path, reviews):
    rows = [[f"{i:05d}", f"{(i % 28) + 1}/03/2024", f"c{i % 3}@example.com", ["EMEA", "APAC"][i % 2], r["text"]]
            for i, r in enumerate(reviews[:60])]
    found = read(write_csv(tmp_path / "export.csv", ["col1", "col2", "col3", "col4", "col5"], rows))
    roles = found.sources[0].roles
    assert (roles.text, roles.customer, roles.date) == (["col5"], "col3", "col2")
    assert roles.segments == ["col4"] and "too many" in roles.ignored["col1"]  # ids do not group customers
    assert found.sources[0].items[0].date == "2024-03-01"  # 28/03: day first
    assert found.sources[0].channel == "feedback"


def test_configured_roles_win_and_a_missing_column_is_named(tmp_path, reviews):
    path = write_csv(tmp_path / "nps.csv", ["Account", "Score", "Reason", "Notes"],
                     [["Acme", "9", reviews[0]["text"], reviews[1]["text"]]])
    config = {"*.csv": SourceSettings(channel="NPS survey"), "nps.csv": SourceSettings(text=["reason"], ignore=["Notes"])}
    source = read(path, config).sources[0]
    assert source.roles.text == ["Reason"] and source.channel == "nps survey" and source.roles.customer == "Account"
    assert source.roles.ignored["Notes"] == "left out in voc.toml" and source.roles.segments == ["Score"]
    missing = read(path, {"nps.csv": SourceSettings(text=["What should we improve?"])})
    assert not missing.sources and "has no column 'What should we improve?'" in missing.skipped[0].reason
    assert "Account, Score, Reason, Notes" in missing.skipped[0].reason


def test_patterns_match_paths_names_and_sheets():
    sources = {"surveys/*.csv": SourceSettings(channel="survey"), "*.csv": SourceSettings(date="When"),
               "book.xlsx#Tickets": SourceSettings(channel="ticket")}
    assert config_for("surveys/q1.csv", sources).model_dump(exclude_unset=True) == {"channel": "survey", "date": "When"}
    assert config_for("reviews.csv", sources).channel is None
    assert config_for("book.xlsx#Tickets", sources).channel == "ticket"
    assert guess_channel("exports/zendesk-2024.csv", ["id"]) == "ticket"
    assert guess_channel("data.csv", ["How likely are you to recommend us?", "Why?"]) == "survey"
    assert guess_channel("data.csv", ["rating", "text"]) == "review"


def test_dates(tmp_path):
    values = ["2024-02-01T10:00:00Z", "03/04/2024", "5 Jan 2024", "1706745600", "", "soon"]
    days, bad = parse_dates(values)
    assert days == ["2024-02-01", "2024-03-04", "2024-01-05", None, None, None] and bad == ["1706745600", "soon"]
    assert parse_dates(["1706745600", "1706832000"])[0] == ["2024-02-01", "2024-02-02"]  # Unix time stamps
    assert day_first(["13/02/2024", "01/03/2024"]) and not day_first(["02/13/2024"]) and day_first(["05.01.2024"])
    assert parse_dates(["03/04/2024"], dayfirst=True)[0] == ["2024-04-03"]
    assert period_of("2024-01-05", "week") == "2024-W01" and period_of("2024-01-05", "month") == "2024-01"
    assert periods_between("2023-12-30", "2024-02-02", "month") == ["2023-12", "2024-01", "2024-02"]
    assert periods_between("2024-01-01", "2024-01-15", "week") == ["2024-W01", "2024-W02", "2024-W03"]


# --- bad input ---

def test_no_text_column_says_which_columns_and_what_to_set(tmp_path):
    path = write_csv(tmp_path / "scores.csv", ["account", "plan", "score"], [["a", "Pro", "9"], ["b", "Free", "3"]])
    found = read(path)
    assert not found.sources
    reason = found.skipped[0].reason
    assert "no column of free text" in reason and "account, plan, score" in reason
    assert '[sources."scores.csv"] text = ["account"]' in reason
    with pytest.raises(NoTextColumn):
        detect_roles(read_tables(path, 10)[0])


def test_unparseable_dates_blank_and_duplicate_rows_are_noted_not_fatal(tmp_path, reviews):
    rows = [["2024-01-02", "a@x.com", reviews[0]["text"]], ["last tuesday", "b@x.com", reviews[1]["text"]],
            ["", "", ""], ["2024-01-02", "a@x.com", reviews[0]["text"]], ["2024-01-03", "c@x.com", ""]]
    found = read(write_csv(tmp_path / "feedback.csv", ["date", "email", "feedback"], rows))
    source = found.sources[0]
    assert [(i.row, i.date) for i in source.items] == [(2, "2024-01-02"), (3, None)]  # kept, undated
    notes = [n.reason for n in source.notes]
    assert any("'last tuesday'" in n and "kept undated" in n for n in notes)
    assert "1 blank row(s) left out" in notes and "1 row(s) with no text in any text column left out" in notes
    assert "1 row(s) that repeat an earlier row (counted once) left out" in notes
    # A later export that overlaps this one: its repeated rows count once across files.
    again = write_csv(tmp_path / "feedback-2.csv", ["date", "email", "feedback"], rows[:2] + [["2024-01-04", "d@x.com", reviews[2]["text"]]])
    both = read_feedback([(tmp_path / "feedback.csv", "feedback.csv"), (again, again.name)], {}, 100)
    assert [len(s.items) for s in both.sources] == [2, 1]


def test_too_large_broken_and_misnamed_files_are_skipped_with_reasons(tmp_path, reviews):
    big = write_csv(tmp_path / "big.csv", ["comment"], [[r["text"]] for r in reviews[:30]])
    assert "more than 20 rows (run.max_table_rows)" in read(big, max_rows=20).skipped[0].reason
    (tmp_path / "broken.xlsx").write_bytes(b"PK\x03\x04 not really a workbook")
    (tmp_path / "object.jsonl").write_text('{"a": 1', encoding="utf-8")
    found = read_feedback([(tmp_path / "broken.xlsx", "broken.xlsx"), (tmp_path / "object.jsonl", "object.jsonl")], {}, 10)
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert "not a readable Excel workbook" in reasons["broken.xlsx"] and "save it again" in reasons["broken.xlsx"]
    assert "no JSON objects" in reasons["object.jsonl"]


def test_inbox_scan_tells_tables_from_transcripts_and_leaves_participants_alone(tmp_path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "participants.csv").write_text("file,customer\na.vtt,Ann\n", encoding="utf-8")
    (inbox / "a.vtt").write_text("WEBVTT\n\n00:00.000 --> 00:02.000\nAnn: The export is slow.\n", encoding="utf-8")
    (inbox / "voc.json").write_text('{"schema_version": 1}', encoding="utf-8")
    (inbox / "rows.json").write_text('[{"text": "slow"}]', encoding="utf-8")
    (inbox / "survey.csv").write_text("comment\nslow\n", encoding="utf-8")
    found = scan_inbox(inbox)
    assert sorted(r.path.name for r in found.recordings) == ["a.vtt", "voc.json"]
    assert sorted(t.path.name for t in found.tables) == ["rows.json", "survey.csv"]
    assert found.files() >= {str(inbox / "survey.csv"), str(inbox / "a.vtt")}
