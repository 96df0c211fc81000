"""Transcription on real speech with the bundled Whisper tiny.en (faster-whisper, int8 on CPU)."""

import re
import shutil
from pathlib import Path

import pytest

from conftest import JFK, SAMPLES, STEREO, require
from nlp.audio.decode import AudioError, decode, is_dual_channel
from nlp.sources.formats import read_transcript, to_vtt
from nlp.sources.inbox import sha256_of
from nlp.schema import Recording
from nlp.settings import TranscribeSettings
from nlp.audio.transcribe import transcribe_file, transcribe_recording


def words_of(text: str) -> str:
    return " ".join(re.findall(r"[a-z']+", text.lower()))


def test_jfk_words_and_timestamps():
    t = transcribe_file(require(JFK), TranscribeSettings())
    text = words_of(" ".join(s.text for s in t.segments))
    assert "ask not what your country can do for you" in text
    assert "ask what you can do for your country" in text
    assert t.recording.duration_s == pytest.approx(11.0, abs=0.1)
    words = [w for s in t.segments for w in s.words]
    assert words and all(0 <= w.start <= w.end <= t.recording.duration_s + 0.05 for w in words)
    assert [w.start for w in words] == sorted(w.start for w in words)
    assert t.engine.model == "tiny.en" and t.engine.compute_type == "int8"
    assert to_vtt(t).startswith("WEBVTT\n\n00:00:")


def test_stereo_channels_become_speakers():
    audio = decode(require(STEREO))
    assert audio.shape[0] == 2 and is_dual_channel(audio)
    assert not is_dual_channel(decode(JFK))
    t = transcribe_file(STEREO, TranscribeSettings())
    by_speaker = {}
    for s in t.segments:
        by_speaker.setdefault(s.speaker, []).append(words_of(s.text))
    assert set(by_speaker) == {"SPEAKER_1", "SPEAKER_2"}
    assert "confused complaint" in " ".join(by_speaker["SPEAKER_1"])
    assert "horizon" in " ".join(by_speaker["SPEAKER_2"])


def test_cache_by_content_hash(tmp_path: Path):
    copy = tmp_path / "jfk copy.flac"
    shutil.copy(JFK, copy)
    rec = Recording(path=copy, sha256=sha256_of(copy))
    path, fresh = transcribe_recording(rec, tmp_path / "cache", TranscribeSettings())
    assert fresh and path.name == f"jfk copy-{rec.sha256[:8]}.json"
    assert read_transcript(path).recording.sha256 == rec.sha256
    again, fresh_again = transcribe_recording(rec, tmp_path / "cache", TranscribeSettings())
    assert again == path and not fresh_again


@pytest.mark.parametrize("content", [b"", b"this is not audio at all" * 100, None])
def test_undecodable_files_raise_a_clear_error(tmp_path: Path, content):
    bad = tmp_path / "bad.mp3"
    if content is None:  # a real recording cut off half way
        data = (SAMPLES / "acme-logistics.ogg").read_bytes()
        bad = tmp_path / "truncated.ogg"
        content = data[: len(data) // 50]
    bad.write_bytes(content)
    try:
        t = transcribe_file(bad, TranscribeSettings())
    except AudioError as exc:
        assert bad.name in str(exc)
    else:  # a truncated file may still decode: then what it holds must be consistent
        assert t.recording.duration_s < 5
