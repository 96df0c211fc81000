"""Decoding any container in bounded pieces, bad inputs, and the guards against Whisper's failure modes."""

import re
from pathlib import Path

import av
import numpy as np
import pytest

from conftest import JFK, SAMPLES, require
from nlp.audio import guards
from nlp.audio.decode import SAMPLE_RATE, AudioError, decode, stream
from nlp.schema import Segment, Word
from nlp.settings import TranscribeSettings
from nlp.audio.transcribe import transcribe_file

FAST = TranscribeSettings(diarize=False)


def text_of(transcript) -> str:
    return " ".join(re.findall(r"[a-z']+", " ".join(s.text for s in transcript.segments).lower()))


def write_wav(path: Path, samples: np.ndarray) -> Path:
    with av.open(str(path), "w") as out:
        s = out.add_stream("pcm_s16le", rate=SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray((np.clip(samples, -1, 1) * 32767).astype(np.int16)[None, :],
                                           format="s16", layout="mono")
        frame.sample_rate = SAMPLE_RATE
        for packet in [*s.encode(frame), *s.encode(None)]:
            out.mux(packet)
    return path


def write_video(path: Path, samples: np.ndarray | None, seconds: float = 2.0) -> Path:
    """A small MPEG-4 video (moving gray frames), with an AAC track of `samples` if given."""
    with av.open(str(path), "w") as out:
        video = out.add_stream("mpeg4", rate=10)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        sound = out.add_stream("aac", rate=SAMPLE_RATE, layout="mono") if samples is not None else None
        for i in range(int(seconds * 10)):
            frame = av.VideoFrame.from_ndarray(np.full((48, 64, 3), i * 10 % 255, np.uint8), format="rgb24")
            out.mux(video.encode(frame))
        out.mux(video.encode(None))
        if sound is not None:
            frame = av.AudioFrame.from_ndarray(samples.astype(np.float32)[None, :], format="fltp", layout="mono")
            frame.sample_rate = SAMPLE_RATE
            for packet in [*sound.encode(frame), *sound.encode(None)]:
                out.mux(packet)
    return path


def test_stream_yields_bounded_pieces_cut_in_quiet_moments():
    whole = decode(require(JFK))
    pieces = list(stream(JFK, chunk_s=3.0))
    assert len(pieces) >= 3
    assert np.array_equal(np.concatenate([p for _, p in pieces], axis=1), whole)
    offsets = [o for o, _ in pieces]
    assert offsets[0] == 0 and all(b > a for a, b in zip(offsets, offsets[1:]))
    for offset, piece in pieces[:-1]:
        assert piece.shape[1] <= 3.75 * SAMPLE_RATE  # one piece plus its search stretch, never the file
        # the cut is quieter than the speech around it
        edge = np.abs(piece[:, -800:]).mean()
        assert edge < np.abs(piece).mean()


def test_small_chunks_keep_the_words(tmp_path: Path):
    t = transcribe_file(JFK, TranscribeSettings(diarize=False, chunk_minutes=0.1))  # 6-second pieces
    assert "ask not what your country can do for you" in text_of(t)
    assert t.recording.duration_s == pytest.approx(11.0, abs=0.1)
    starts = [s.start for s in t.segments]
    assert starts == sorted(starts) and max(s.end for s in t.segments) <= 11.1


def test_video_container_audio_is_transcribed(tmp_path: Path):
    mono = decode(JFK).mean(axis=0)
    video = write_video(tmp_path / "call recording.mp4", mono, seconds=11)
    t = transcribe_file(video, FAST)
    assert "ask what you can do for your country" in text_of(t)


def test_video_without_sound_says_so(tmp_path: Path):
    with pytest.raises(AudioError, match="no audio track"):
        transcribe_file(write_video(tmp_path / "silent.mp4", None), FAST)


def test_wrong_extension_still_decodes_by_content(tmp_path: Path):
    renamed = tmp_path / "interview.mp3"
    renamed.write_bytes((SAMPLES / "acme-logistics.ogg").read_bytes()[:200_000])  # an Ogg file named .mp3
    assert decode(renamed).shape[1] > SAMPLE_RATE
    text_as_audio = tmp_path / "notes.wav"
    text_as_audio.write_text("Sam: hello\nMaria: hi\n" * 50)
    with pytest.raises(AudioError, match="notes.wav"):
        transcribe_file(text_as_audio, FAST)


def test_repetition_loops_collapse_but_real_repeats_stay():
    def words(text):
        return [Word(start=i * 0.3, end=i * 0.3 + 0.25, word=" " + w) for i, w in enumerate(text.split())]

    looped = guards.collapse_loops(words("I said thank you. thank you. thank you. thank you. thank you. thank you. bye"))
    assert "".join(w.word for w in looped).split() == ["I", "said", "thank", "you.", "bye"]
    kept = guards.collapse_loops(words("no, no, no, that is not it"))
    assert len(kept) == 7


def test_text_over_silence_is_dropped(tmp_path: Path):
    speech = decode(JFK).mean(axis=0)
    rng = np.random.default_rng(0)
    quiet = rng.normal(0, 10 ** (-75 / 20), 12 * SAMPLE_RATE).astype(np.float32)  # -75 dBFS hiss
    samples = np.concatenate([speech, quiet])
    invented = Segment(start=14.0, end=17.0, text="Thanks for watching!",
                       words=[Word(start=14.0, end=15.0, word=" Thanks"), Word(start=15.0, end=17.0, word=" for watching!")])
    real = Segment(start=0.0, end=2.0, text="And so my fellow Americans",
                   words=[Word(start=0.0, end=2.0, word=" And so my fellow Americans")])
    assert [s.text for s in guards.clean([real, invented], samples)] == [real.text]
    t = transcribe_file(write_wav(tmp_path / "jfk-then-silence.wav", samples), FAST)
    assert "country" in text_of(t) and max(s.end for s in t.segments) < 11.5


def test_repeated_segment_is_dropped():
    seg = Segment(start=0, end=2, text="We need better exports now.",
                  words=[Word(start=0, end=2, word=" We need better exports now.")])
    again = seg.model_copy(update={"start": 2.5, "end": 4.5})
    loud = np.full(5 * SAMPLE_RATE, 0.1, np.float32)
    assert len(guards.clean([seg, again], loud)) == 1
