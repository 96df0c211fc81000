"""Both Whisper engines on the bundled tiny.en: the CTranslate2 -> openai-whisper conversion, offline
loading, the same words from both, the batched pipeline's code path and clear errors."""

import re
import socket
from pathlib import Path

import numpy as np
import pytest

from conftest import JFK, require
from nlp.audio.engines import bundled_model_dir, load_engine
from nlp.settings import TranscribeSettings
from nlp.audio.transcribe import transcribe_file
from nlp.audio.whisper_convert import ConversionError, converted_checkpoint, read_ctranslate2, whisper_checkpoint


def words_of(transcript) -> list[str]:
    return re.findall(r"[a-z']+", " ".join(s.text for s in transcript.segments).lower())


@pytest.fixture()
def no_network(monkeypatch):
    """Any attempt to open a network connection fails the test."""
    def refuse(*args, **kwargs):
        raise AssertionError(f"network access attempted: {args}")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)


def test_conversion_produces_whisper_state_dict(tmp_path: Path):
    import whisper
    from whisper.model import ModelDimensions, Whisper

    spec, tensors = read_ctranslate2(bundled_model_dir() / "model.bin")
    assert spec == "WhisperSpec" and tensors["encoder/conv1/weight"].dtype == np.float16
    checkpoint = whisper_checkpoint(bundled_model_dir())
    dims = checkpoint["dims"]
    assert dims == {"n_mels": 80, "n_audio_ctx": 1500, "n_audio_state": 384, "n_audio_head": 6, "n_audio_layer": 4,
                    "n_vocab": 51864, "n_text_ctx": 448, "n_text_state": 384, "n_text_head": 6, "n_text_layer": 4}
    expected = Whisper(ModelDimensions(**dims)).state_dict()
    state = checkpoint["model_state_dict"]
    assert set(state) == set(expected)
    assert all(tuple(state[k].shape) == tuple(expected[k].shape) for k in expected)
    # The fused query/key/value projection is split in that order.
    fused = tensors["decoder/layer_2/self_attention/linear_0/weight"]
    assert np.array_equal(state["decoder.blocks.2.attn.value.weight"].numpy(), fused[768:])
    assert checkpoint["alignment_heads"] and all(0 <= layer < 4 for layer, _ in checkpoint["alignment_heads"])

    path = converted_checkpoint(bundled_model_dir(), tmp_path)
    mtime = path.stat().st_mtime_ns
    assert converted_checkpoint(bundled_model_dir(), tmp_path) == path and path.stat().st_mtime_ns == mtime  # cached
    model = whisper.load_model(str(path), device="cpu")
    assert model.dims.n_vocab == 51864 and not model.is_multilingual


def test_conversion_rejects_a_folder_without_a_model(tmp_path: Path):
    with pytest.raises(ConversionError, match="model.bin"):
        converted_checkpoint(tmp_path, tmp_path / "cache")


def test_both_engines_give_the_same_words_offline(no_network, tmp_path: Path, monkeypatch):
    monkeypatch.setenv("VOC_PATHS__STATE", str(tmp_path / "state"))  # the conversion is cached there
    from nlp.audio import engines

    engines._load_openai_whisper.cache_clear()
    faster = transcribe_file(require(JFK), TranscribeSettings(diarize=False))
    openai = transcribe_file(JFK, TranscribeSettings(engine="openai-whisper", diarize=False))
    assert (tmp_path / "state" / "models").is_dir()
    assert faster.engine.compute_type == "int8" and openai.engine.name == "openai-whisper"
    assert words_of(faster) == words_of(openai)
    assert "ask not what your country can do for you" in " ".join(words_of(openai))
    words = [w for s in openai.segments for w in s.words]
    assert words and [w.start for w in words] == sorted(w.start for w in words)
    assert all(0 <= w.start <= w.end <= 11.1 for w in words)
    engines._load_openai_whisper.cache_clear()  # the next test may use another state folder


def test_batched_and_one_window_at_a_time_give_the_same_words():
    batched = transcribe_file(JFK, TranscribeSettings(batch_size=4, diarize=False))
    sequential = transcribe_file(JFK, TranscribeSettings(batch_size=0, diarize=False))
    assert "ask what you can do for your country" in " ".join(words_of(batched))
    assert words_of(batched) == words_of(sequential)
    assert all(s.words for s in batched.segments)
    # Without VAD the batched pipeline has no regions to batch: one window at a time instead.
    assert words_of(transcribe_file(JFK, TranscribeSettings(batch_size=4, vad=False, diarize=False))) == words_of(sequential)


def test_openai_whisper_finishes_when_speech_runs_to_the_last_sample():
    """VAD's last region can end past openai-whisper's last mel frame, where its loop never advanced."""
    import threading

    from nlp.audio import decode

    cut = decode.to_mono(decode.decode(require(JFK)))[: 5 * decode.SAMPLE_RATE + 150]  # mid-word, not on a frame
    engine = load_engine(TranscribeSettings(engine="openai-whisper"))
    result = {}
    worker = threading.Thread(target=lambda: result.update(out=engine.transcribe(cut)), daemon=True)
    worker.start()
    worker.join(timeout=120)  # it takes seconds; without the fix it never ends
    assert "out" in result, "openai-whisper did not finish on audio whose speech runs to its end"
    segments, _ = result["out"]
    assert "fellow americans" in " ".join(s.text.lower() for s in segments)


def test_unknown_engine_and_missing_model_say_what_to_do(tmp_path: Path):
    with pytest.raises(ValueError, match="faster-whisper, openai-whisper"):
        load_engine(TranscribeSettings(engine="whisperx"))
    with pytest.raises(ValueError, match="checkpoint path"):
        load_engine(TranscribeSettings(engine="openai-whisper", model=str(tmp_path / "missing.pt")))


def test_cli_transcribe_with_openai_whisper():
    from typer.testing import CliRunner

    from flows.cli import app

    result = CliRunner().invoke(app, ["transcribe", str(JFK), "--engine", "openai-whisper", "--format", "txt"])
    assert result.exit_code == 0, result.output
    assert "ask not what your country" in result.output.lower().replace(",", "")
