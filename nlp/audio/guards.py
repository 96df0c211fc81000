"""Clean-up after Whisper, whichever engine ran: its known failure modes, fixed on the words.

- Repetition loops: the decoder can get stuck repeating a phrase ("thank you. thank you. thank
  you. ..."). A word n-gram repeated back to back more than MAX_REPEATS times keeps one copy, and a
  segment that repeats the previous one word for word is dropped.
- Text on silence: Whisper invents words ("Thanks for watching!") over silence or noise. A segment
  whose loudest moment is far quieter than the recording's speech is dropped.
- Long pauses: VAD glues speech chunks, so one segment can hold two turns a pause apart: split there.
"""

from __future__ import annotations

import re

import numpy as np

from nlp.audio.decode import SAMPLE_RATE
from nlp.schema import Segment, Word

MAX_REPEATS = 3          # "no, no, no" is speech; a fourth copy in a row is a decoding loop
MAX_NGRAM = 8
SILENCE_BELOW_SPEECH_DB = 35.0


def _norm(word: str) -> str:
    return re.sub(r"[^\w']", "", word.lower())


def collapse_loops(words: list[Word]) -> list[Word]:
    """Drop the extra copies of any 1..MAX_NGRAM-word phrase repeated more than MAX_REPEATS times in a row."""
    keys = [_norm(w.word) for w in words]
    keep = [True] * len(words)
    i = 0
    while i < len(words):
        best_n, best_reps = 0, 1
        for n in range(1, MAX_NGRAM + 1):
            if i + 2 * n > len(words):
                break
            reps = 1
            while keys[i + reps * n:i + (reps + 1) * n] == keys[i:i + n] and i + (reps + 1) * n <= len(words):
                reps += 1
            if reps > MAX_REPEATS and reps * n > best_reps * max(best_n, 1):
                best_n, best_reps = n, reps
        if best_n:
            for j in range(i + best_n, i + best_n * best_reps):
                keep[j] = False
            i += best_n * best_reps
        else:
            i += 1
    return [w for w, k in zip(words, keep) if k]


def frame_db(samples: np.ndarray, hop: int = SAMPLE_RATE // 20) -> np.ndarray:
    """Loudness (dBFS) of each 50 ms frame."""
    n = len(samples) // hop
    if n == 0:
        return np.full(1, -120.0)
    return 10 * np.log10((samples[: n * hop].reshape(n, hop) ** 2).mean(axis=1) + 1e-12)


def on_silence(segment: Segment, loudness: np.ndarray, speech_db: float, hop_s: float = 0.05) -> bool:
    a, b = int(segment.start / hop_s), max(int(np.ceil(segment.end / hop_s)), int(segment.start / hop_s) + 1)
    span = loudness[a:b]
    return span.size > 0 and float(span.max()) < speech_db - SILENCE_BELOW_SPEECH_DB


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


def clean(segments: list[Segment], samples: np.ndarray) -> list[Segment]:
    """Segments (times relative to `samples`, 16 kHz mono) without loops, silence text or long pauses."""
    loudness = frame_db(samples)
    speech_db = float(np.percentile(loudness, 95))
    out: list[Segment] = []
    previous = None
    for whole in segments:
        if whole.words:
            words = collapse_loops(whole.words)
            whole = Segment.from_words(words, whole.speaker) if len(words) < len(whole.words) else whole
        # Split first: a batched segment spans up to 30 s, and words invented over a silent
        # stretch inside it are caught only on their own piece.
        for seg in split_on_pauses(whole):
            if not seg.text.strip() or on_silence(seg, loudness, speech_db):
                continue
            key = " ".join(_norm(w) for w in seg.text.split())
            if key == previous and len(key.split()) >= 3:
                continue  # the same sentence again: a loop across segments
            previous = key
            out.append(seg)
    return out
