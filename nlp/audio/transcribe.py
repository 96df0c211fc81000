"""Speech to text with timestamps and speakers, cached by content hash in transcripts/.

The engine (faster-whisper by default, or openai-whisper; see nlp.audio.engines) runs on pieces of
`chunk_minutes` decoded one at a time (nlp.audio.decode.stream), so memory stays bounded for a 3-hour
recording. Speakers: a stereo recording with one speaker per channel is transcribed channel by
channel (nlp.audio.speakers); a mono one is diarized by voice (nlp.audio.diarize). Existing transcripts
(.vtt .srt .txt .docx) are imported instead (nlp.sources.importers).
"""

from __future__ import annotations

import json
from pathlib import Path

from nlp.audio import decode as audio_io
from nlp.audio import guards
from nlp.audio import speakers
from nlp.audio.engines import BUNDLED_MODEL, load_engine  # noqa: F401  (BUNDLED_MODEL re-exported)
from nlp.sources.formats import read_transcript, write_transcript
from nlp.sources.importers import IMPORT_ENGINE, TRANSCRIPT_SUFFIXES, import_transcript
from nlp.sources.inbox import sha256_of
from nlp.schema import Recording, RecordingInfo, Segment, Transcript
from nlp.settings import TranscribeSettings

split_on_pauses = guards.split_on_pauses  # kept importable from here


def _shifted(segments: list[Segment], offset_s: float) -> list[Segment]:
    if not offset_s:
        return segments
    out = []
    for s in segments:
        words = [w.model_copy(update={"start": w.start + offset_s, "end": w.end + offset_s}) for w in s.words or []]
        out.append(s.model_copy(update={"start": s.start + offset_s, "end": s.end + offset_s, "words": words or s.words}))
    return out


def expected_speakers(recording: Recording, settings: TranscribeSettings) -> tuple[int, int]:
    """(fewest, most) voices to look for: an interview whose participants.csv row names one customer
    and one interviewer has exactly two; otherwise one up to the configured maximum."""
    p = recording.participant
    named = bool((p.get("customer") or "").strip()) and bool((p.get("interviewer") or "").strip())
    most = min(settings.max_speakers, 2) if named else settings.max_speakers
    return (most if named else 1), most


def transcribe_file(path: Path, settings: TranscribeSettings, sha256: str | None = None,
                    speakers_range: tuple[int, int] | None = None) -> Transcript:
    """Transcribe one audio or video file. Raises audio.AudioError for files that do not decode.
    `speakers_range`: (fewest, most) voices a mono recording is diarized into (default 1..max_speakers)."""
    engine = load_engine(settings)
    segments: list[Segment] = []
    language = None
    dual_channel = None
    diarizer = None
    duration = 0.0
    for offset, piece in audio_io.stream(path, chunk_s=settings.chunk_minutes * 60):
        duration = offset + piece.shape[1] / audio_io.SAMPLE_RATE
        if dual_channel is None:  # decided on the first piece, so labels stay consistent across pieces
            dual_channel = audio_io.is_dual_channel(piece)
        if dual_channel:
            # One speaker per channel: transcribe each on its own, so overlapping speech stays intact.
            for channel in range(2):
                found, language = engine.transcribe(piece[channel])
                found = guards.clean(found, piece[channel])
                segments += _shifted(speakers.own_channel_segments(found, piece, channel), offset)
            continue
        mono = audio_io.to_mono(piece)
        found, language = engine.transcribe(mono)
        found = _shifted(guards.clean(found, mono), offset)
        if settings.diarize:
            diarizer = diarizer or _diarizer(speakers_range or (1, settings.max_speakers))
            diarizer.add(mono, offset, found)
        segments += found
    if diarizer is not None:
        segments = diarizer.apply(segments)
    segments.sort(key=lambda s: (s.start, s.end))
    return Transcript(
        recording=RecordingInfo(path=str(path), sha256=sha256 or sha256_of(path), duration_s=round(duration, 3)),
        engine=engine.info, language=language, segments=segments,
    )


def _diarizer(speakers_range: tuple[int, int]):
    from nlp.audio.diarize import Diarizer

    return Diarizer(max_speakers=speakers_range[1], min_speakers=speakers_range[0])


def cached_transcript(recording: Recording, cache_dir: Path, settings: TranscribeSettings) -> Transcript | None:
    """The cached transcript of this content, if one was made with the same engine and model."""
    path = cache_dir / recording.cache_name
    if not path.exists():
        return None
    try:
        transcript = read_transcript(path)
    except (ValueError, json.JSONDecodeError):
        return None  # a damaged cache entry is simply made again
    if transcript.recording.sha256 != recording.sha256:
        return None
    if transcript.engine.name == IMPORT_ENGINE:  # imported: valid whatever the engine settings are
        return transcript
    same = transcript.engine.name == settings.engine and transcript.engine.model == settings.model
    return transcript if same else None


def transcribe_recording(recording: Recording, cache_dir: Path, settings: TranscribeSettings) -> tuple[Path, bool]:
    """-> (transcript path, whether it was transcribed now). Unchanged content is never transcribed twice."""
    path = cache_dir / recording.cache_name
    if cached_transcript(recording, cache_dir, settings) is not None:
        return path, False
    if recording.path.suffix.lower() in TRANSCRIPT_SUFFIXES:  # an existing transcript is imported, never transcribed
        transcript = import_transcript(recording.path, recording.sha256)
    else:
        transcript = transcribe_file(recording.path, settings, sha256=recording.sha256,
                                     speakers_range=expected_speakers(recording, settings))
    write_transcript(transcript, path)
    return path, True

