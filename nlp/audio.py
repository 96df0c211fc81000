"""Decode any audio or video container to 16 kHz float32 through PyAV (no system ffmpeg)."""

from __future__ import annotations

from pathlib import Path

import av
import numpy as np

SAMPLE_RATE = 16000


class AudioError(ValueError):
    """The file could not be decoded as audio; the message says why and what to do."""


def decode(path: Path, sample_rate: int = SAMPLE_RATE) -> np.ndarray:
    """-> float32 array (channels, samples), channels 1 or 2 (first two kept), at `sample_rate`."""
    try:
        with av.open(str(path), metadata_errors="ignore") as container:
            if not container.streams.audio:
                raise AudioError(f"{path.name} has no audio track")
            stream = container.streams.audio[0]
            layout = "stereo" if (stream.codec_context.channels or 1) >= 2 else "mono"
            resampler = av.AudioResampler(format="fltp", layout=layout, rate=sample_rate)
            chunks = []
            for frame in container.decode(stream):
                chunks += [f.to_ndarray() for f in resampler.resample(frame)]
            chunks += [f.to_ndarray() for f in resampler.resample(None)]
    except AudioError:
        raise
    except (av.error.FFmpegError, UnicodeDecodeError, IndexError) as exc:
        raise AudioError(f"{path.name} could not be decoded as audio or video ({exc}); "
                         "check that the file is complete and plays in a media player") from exc
    if not chunks:
        raise AudioError(f"{path.name} contains no audio samples")
    return np.concatenate(chunks, axis=1).astype(np.float32)


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
