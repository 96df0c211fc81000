from pathlib import Path

from conftest import SAMPLES
from nlp.sources.inbox import scan_inbox, segment_columns, read_participants


def test_samples_are_found_hashed_and_matched_to_participants():
    inbox = scan_inbox(SAMPLES)
    assert len(inbox.recordings) == 7 and not inbox.skipped
    for rec in inbox.recordings:
        assert len(rec.sha256) == 64
        assert rec.participant["file"] == rec.path.name
        assert rec.customer and rec.participant["interviewer"]
    rows, _ = read_participants(SAMPLES / "participants.csv")
    assert segment_columns(rows) == ["plan", "region", "role"]


def test_bad_inputs_are_skipped_with_reasons(tmp_path: Path):
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    (inbox / "empty.mp3").write_bytes(b"")
    (inbox / "notes.vtt").write_text("WEBVTT\n")
    (inbox / "readme.md").write_text("not an input")
    (inbox / ".hidden.wav").write_bytes(b"RIFF")
    outside = tmp_path / "elsewhere.wav"
    outside.write_bytes(b"RIFF....")
    (inbox / "link.wav").symlink_to(outside)
    (inbox / "participants.csv").write_text("customer,plan\nAnn,Pro\n")
    found = scan_inbox(inbox)
    assert [r.path.name for r in found.recordings] == ["notes.vtt"]  # transcripts go on to import
    reasons = {Path(s.path).name: s.reason for s in found.skipped}
    assert "empty" in reasons["empty.mp3"]
    assert "outside the inbox" in reasons["link.wav"]
    assert "'file' column" in reasons["participants.csv"]
    assert "readme.md" not in reasons and ".hidden.wav" not in reasons


def test_missing_inbox_says_what_to_do(tmp_path: Path):
    import pytest

    with pytest.raises(FileNotFoundError, match="create it"):
        scan_inbox(tmp_path / "nope")


def test_unicode_names_and_rows_matched_by_stem(tmp_path: Path):
    import shutil

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(SAMPLES / "cobalt-retail.m4a", inbox / "Interview Zoë 1.m4a")
    (inbox / "participants.csv").write_text("file,customer,plan\nInterview Zoë 1,Zoë,Enterprise\n", encoding="utf-8")
    found = scan_inbox(inbox)
    assert [r.customer for r in found.recordings] == ["Zoë"]
    assert found.recordings[0].participant["plan"] == "Enterprise"
