"""Decode any audio or video container to 16 kHz float32 through PyAV (no system ffmpeg)."""

from __future__ import annotations

from collections.abc import Iterator
from itertools import chain
from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 16000


class AudioError(ValueError):
    """The file could not be decoded as audio; the message says why and what to do."""


def stream(path: Path, chunk_s: float = 600.0, sample_rate: int = SAMPLE_RATE) -> Iterator[tuple[float, np.ndarray]]:
    """Decode `path` piece by piece: yields (start in seconds, float32 array (channels, samples)),
    channels 1 or 2, each piece about `chunk_s` long. A 3-hour file never sits in memory whole: at
    most one piece plus one decoded frame is held. Pieces are cut at the quietest tenth of a second
    in their last stretch, so a cut rarely falls inside a word."""
    target = int(chunk_s * sample_rate) if np.isfinite(chunk_s) else 0  # 0: one piece
    search = min(30 * sample_rate, target // 4)
    buffered: list[np.ndarray] = []
    size, offset = 0, 0
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path.name} has no audio track; give a recording with sound")
            audio_stream = container.streams.audio[0]
            layout = "stereo" if (audio_stream.codec_context.channels or 1) >= 2 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
            frames = container.decode(audio_stream)
            for frame in chain(frames, [None]):  # None flushes the resampler
                for out in resampler.resample(frame):
                    piece = out.to_ndarray()
                    buffered.append(piece)
                    size += piece.shape[1]
                while target and size >= target + search:
                    audio = np.concatenate(buffered, axis=1)
                    cut = quietest_cut(audio, target - search, target)
                    yield offset / sample_rate, audio[:, :cut].astype(np.float32)
                    buffered, size, offset = [audio[:, cut:]], audio.shape[1] - cut, offset + cut
    except AudioError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, IndexError, ValueError) as exc:
        raise AudioError(f"{path.name} could not be decoded as audio or video ({exc}); "
                         "check that the file is complete and plays in a media player") from exc
    if size:
        yield offset / sample_rate, np.concatenate(buffered, axis=1).astype(np.float32)
    elif offset == 0:
        raise AudioError(f"{path.name} contains no audio samples; check that the recording is not empty")


def quietest_cut(audio: np.ndarray, lo: int, hi: int, window: int = SAMPLE_RATE // 10) -> int:
    """The sample index in [lo, hi) at the middle of the quietest `window`, to cut between words."""
    mono = np.abs(audio[:, lo:hi]).mean(axis=0)
    n = len(mono) // window
    if n == 0:
        return hi
    energy = (mono[: n * window].reshape(n, window) ** 2).mean(axis=1)
    return lo + int(np.argmin(energy)) * window + window // 2


def decode(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """The whole file -> float32 array (channels, samples); for short clips (use `stream` for long ones)."""
    return np.concatenate([piece for _, piece in stream(path, chunk_s=float("inf"), sample_rate=sample_rate)], axis=1)


def to_mono(audio: np.ndarray) -> np.ndarray:
    return audio.mean(axis=0) if audio.shape[0] > 1 else audio[0]


def is_dual_channel(audio: np.ndarray, min_difference_db: float = 6.0) -> bool:
    """True when the two channels carry different signals (one speaker per channel), not a copy."""
    if audio.shape[0] < 2:
        return False
    left, right = audio[0], audio[1]
    if np.allclose(left, right, atol=1e-4):
        return False
    # Per 100 ms window, how often is one channel clearly louder than the other?
    hop = SAMPLE_RATE // 10
    n = (len(left) // hop) * hop
    if n == 0:
        return False
    el = np.sqrt((left[:n].reshape(-1, hop) ** 2).mean(axis=1)) + 1e-6
    er = np.sqrt((right[:n].reshape(-1, hop) ** 2).mean(axis=1)) + 1e-6
    voiced = np.maximum(el, er) > 0.01
    if voiced.sum() == 0:
        return False
    diff = np.abs(20 * np.log10(el / er))[voiced]
    return float((diff > min_difference_db).mean()) > 0.5
