"""Transcripts as the report shows them (nlp/report/transcripts.py): quotes' words in pieces of their own,
customer and interviewer apart, redaction that keeps each quote's place exact, reuse between runs."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from nlp.report import transcripts as tr
from nlp.schema import EngineInfo, Quote, Recording, RecordingInfo, Segment, Transcript, Word


def words(start: float, text: str, step: float = 0.5) -> list[Word]:
    return [Word(start=start + i * step, end=start + (i + 1) * step - 0.1, word=" " + w) for i, w in enumerate(text.split())]


def transcript() -> Transcript:
    ask = Segment.from_words(words(0.0, "What slows you down, Maria?"), "SPEAKER_1")
    one = Segment.from_words(words(3.0, "Well. Exports fail every Monday, my colleague Derek Stone says so."), "SPEAKER_2")
    two = Segment.from_words(words(9.0, "And then we retry by hand. Anyway, thanks."), "SPEAKER_2")
    return Transcript(recording=RecordingInfo(path="inbox/call.ogg", sha256="ab" * 32, duration_s=15.0),
                      engine=EngineInfo(name="test", model="none"), segments=[ask, one, two])


def quote(qid: str, start: float, end: float) -> Quote:
    return Quote(quote_id=qid, recording="inbox/call.ogg", customer="Maria", speaker="Maria", role="customer",
                 start=start, end=end, text="", kind="pain", theme_id="T001", theme_label="Exports")


ROLES = {"SPEAKER_1": "interviewer", "SPEAKER_2": "customer"}
NAMES = {"SPEAKER_1": "Sam", "SPEAKER_2": "Maria"}
# "Exports fail ... says so." (3.5 .. 8.4) and "And then we retry by hand." (9.0 .. 11.9), times as extraction
# rounds them; "Well." and "Anyway, thanks." are no quotes.
QUOTES = [quote("q1", 3.5, 8.4), quote("q2", 9.0, 11.9)]


def test_quote_words_get_pieces_of_their_own_and_interviewer_lines_none():
    lines = tr.build_lines(transcript(), ROLES, NAMES, QUOTES)
    assert [(line.speaker, line.role) for line in lines] == [("Sam", "interviewer"), ("Maria", "customer"), ("Maria", "customer")]
    assert [p.quote_id for p in lines[0].pieces] == [None]
    assert [(p.text, p.quote_id) for p in lines[1].pieces] == [
        ("Well. ", None), ("Exports fail every Monday, my colleague Derek Stone says so.", "q1")]
    assert [(p.text, p.quote_id) for p in lines[2].pieces] == [("And then we retry by hand.", "q2"), (" Anyway, thanks.", None)]
    text = tr.plain_text(tr.ShownTranscript(recording="inbox/call.ogg", sha256="ab" * 32, customer="Maria",
                                            page="call.html", lines=lines))
    start, end = text.spans["q1"]
    assert text.text[start:end] == "Exports fail every Monday, my colleague Derek Stone says so."
    assert text.text.splitlines()[1] == "[00:03] Maria: Well. Exports fail every Monday, my colleague Derek Stone says so."
    assert [text.text[p:p + 8] for p, _ in text.line_starts] == ["[00:00] ", "[00:03] ", "[00:09] "]
    # A quote over two lines spans both, the second line's head included.
    across = tr.build_lines(transcript(), ROLES, NAMES, [quote("q3", 3.5, 11.9)])
    text = tr.plain_text(tr.ShownTranscript(recording="inbox/call.ogg", sha256="ab" * 32, customer="Maria",
                                            page="call.html", lines=across))
    start, end = text.spans["q3"]
    assert text.text[start:end] == "Exports fail every Monday, my colleague Derek Stone says so.\n[00:09] Maria: And then we retry by hand."


def test_two_quotes_of_one_line_each_span_their_own_words_not_the_space_between():
    line = tr.Line(start=3.5, end=9.0, speaker="Maria", role="customer", pieces=[
        tr.Piece(text="Permissions are a real pain. ", quote_id="a"), tr.Piece(text="I cannot limit a manager.", quote_id="b")])
    text = tr.plain_text(tr.ShownTranscript(recording="inbox/call.ogg", sha256="ab" * 32, customer="Maria",
                                            page="call.html", lines=[line]))
    assert [text.text[slice(*text.spans[q])] for q in "ab"] == ["Permissions are a real pain.", "I cannot limit a manager."]


def test_redaction_keeps_every_quote_exactly_in_place(spacy_nlp):
    lines = tr.build_lines(transcript(), ROLES, NAMES, QUOTES)
    tr.redact_lines(lines, spacy_nlp, ["Maria", "Sam"])
    shown = tr.ShownTranscript(recording="inbox/call.ogg", sha256="ab" * 32, customer="Maria", page="call.html",
                               lines=lines)
    text = tr.plain_text(shown)
    assert "What slows you down, [NAME]?" in text.text  # the interviewer's lines are redacted too
    start, end = text.spans["q1"]
    assert text.text[start:end] == "Exports fail every Monday, my colleague [NAME] says so."
    assert text.text[start - 6:start] == "Well. "


def test_a_transcript_shown_alike_last_run_is_reused_without_a_model(tmp_path: Path):
    path = tmp_path / "call-abababab.json"
    path.write_text(transcript().model_dump_json())
    recording = Recording(path=Path("inbox/call.ogg"), sha256="ab" * 32, participant={"customer": "Maria"})

    def no_model():
        raise AssertionError("spaCy must not load")

    first = tr.show_transcripts([(recording, path)], QUOTES, False, no_model)
    assert first[0].page == "call-abababab.html" and first[0].key
    reused = tr.show_transcripts([(recording, path)], QUOTES, False, no_model, {first[0].key: first[0]})
    assert reused[0] is first[0]
    moved = [quote("q1", 3.5, 8.4)]  # other quotes: shown anew
    assert tr.show_transcripts([(recording, path)], moved, False, no_model, {first[0].key: first[0]})[0].key != first[0].key
    with pytest.raises(AssertionError, match="spaCy must not load"):
        tr.show_transcripts([(recording, path)], QUOTES, True, no_model, {first[0].key: first[0]})  # redaction now on
    missing = Recording(path=Path("inbox/gone.ogg"), sha256="cd" * 32)
    assert tr.show_transcripts([(missing, tmp_path / "gone.json")], QUOTES, False, no_model) == []
    assert json.loads(tr.transcripts_json(first))["transcripts"][0]["lines"][1]["pieces"][1]["quote_id"] == "q1"
