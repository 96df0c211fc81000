"""Existing transcripts (Zoom/Teams WebVTT, SRT, Otter and plain text, Teams .docx, voc JSON) are
imported into the same Transcript JSON with their speakers; malformed ones are skipped with a reason."""

import shutil
from pathlib import Path

import pytest

from conftest import ROOT
from nlp.audio import speakers
from nlp.sources.formats import read_transcript, write_transcript
from nlp.sources.importers import TranscriptFormatError, import_transcript
from nlp.sources.inbox import scan_inbox, sha256_of
from nlp.settings import TranscribeSettings
from nlp.audio.transcribe import transcribe_recording

DATA = ROOT / "tests" / "data" / "transcripts"


def imported(name: str):
    return import_transcript(DATA / name, sha256_of(DATA / name))


@pytest.mark.parametrize("name, interviewer, customer, first_start, phrase", [
    ("zoom.vtt", "Sam Carter", "Maria Lopez", 1.02, "dashboards are painfully slow"),
    ("teams.vtt", "Jordan Lee", "Priya Shah", 0.64, "so we clean them by hand every Friday"),
    ("interview.srt", "Jordan Lee", "Tom Becker", 0.5, "payment status never updated"),
    ("otter.txt", "Sam Carter", "Nora Walsh", 2.0, "mobile view is almost unusable"),
    ("plain.txt", "Interviewer", "Lars Nilsen", 3.0, "At 10:30 every day would be perfect"),
    ("teams.docx", "Jordan Lee", "Lars Nilsen", 3.0, "A changelog inside the product"),
])
def test_each_format_keeps_speakers_times_and_words(name, interviewer, customer, first_start, phrase):
    t = imported(name)
    assert [s.speaker for s in t.segments] == [interviewer, customer, interviewer, customer]
    assert t.segments[0].start == pytest.approx(first_start)
    assert all(s.end >= s.start for s in t.segments)
    assert [s.start for s in t.segments] == sorted(s.start for s in t.segments)
    assert phrase in " ".join(s.text for s in t.segments if s.speaker == customer)
    assert not any(s.text.startswith(f"{s.speaker}:") or "<v" in s.text for s in t.segments)
    assert t.engine.name == "import" and t.recording.duration_s >= t.segments[-1].start
    roles = speakers.assign_roles(t, {"interviewer": interviewer})
    assert roles == {interviewer: "interviewer", customer: "customer"}


def test_voc_json_round_trips(tmp_path: Path):
    original = imported("zoom.vtt")
    path = tmp_path / "earlier.json"
    write_transcript(original, path)
    again = import_transcript(path, sha256_of(path))
    assert again.segments == original.segments and again.recording.sha256 == sha256_of(path)


@pytest.mark.parametrize("name, reason", [
    ("broken.vtt", "not a valid WebVTT file"),
    ("broken.srt", "not a valid SRT file"),
    ("empty.txt", "no transcript text"),
    ("corrupt.docx", "not a readable Word document"),
])
def test_malformed_files_raise_a_reason(name, reason):
    with pytest.raises(TranscriptFormatError, match=reason):
        imported(name)


def test_binary_and_foreign_json_are_refused(tmp_path: Path):
    binary = tmp_path / "call.txt"
    binary.write_bytes(b"\x00\x01\x02" * 100)
    with pytest.raises(TranscriptFormatError, match="binary"):
        import_transcript(binary, "0" * 64)
    other = tmp_path / "package.json"
    other.write_text('{"name": "not a transcript"}')
    with pytest.raises(TranscriptFormatError, match="voc transcript JSON"):
        import_transcript(other, "0" * 64)


def test_inbox_transcripts_are_imported_and_cached_never_transcribed(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    for name in ("zoom.vtt", "teams.docx", "broken.vtt"):
        shutil.copy(DATA / name, inbox / name)
    (inbox / "participants.csv").write_text("file,customer,interviewer\nzoom.vtt,Maria Lopez,Sam Carter\n")
    found = scan_inbox(inbox)
    assert sorted(r.path.name for r in found.recordings) == ["broken.vtt", "teams.docx", "zoom.vtt"]
    cache = tmp_path / "transcripts"
    settings = TranscribeSettings(engine="openai-whisper")  # would be slow if anything were transcribed
    results, skipped = {}, {}
    for rec in found.recordings:
        try:
            results[rec.path.name] = transcribe_recording(rec, cache, settings)
        except TranscriptFormatError as exc:
            skipped[rec.path.name] = str(exc)
    assert list(skipped) == ["broken.vtt"] and "WebVTT" in skipped["broken.vtt"]
    path, fresh = results["zoom.vtt"]
    assert fresh and read_transcript(path).segments[1].speaker == "Maria Lopez"
    zoom = next(r for r in found.recordings if r.path.name == "zoom.vtt")
    assert transcribe_recording(zoom, cache, settings) == (path, False)  # cached by content
    assert (inbox / "zoom.vtt").read_bytes() == (DATA / "zoom.vtt").read_bytes()  # the input is untouched
