"""Who spoke when, and who is the customer.

Stereo recordings with one speaker per channel are transcribed channel by channel; a word that is
far louder on the other channel is that speaker's bleed and is dropped. Roles: the interviewer named in participants.csv, else the speaker who asks the most
questions; everyone else is a customer.
"""

from __future__ import annotations

import numpy as np

from nlp.audio.decode import SAMPLE_RATE
from nlp.schema import Segment, Transcript, Word

CHANNEL_LABELS = ("SPEAKER_1", "SPEAKER_2")


def _channel_energy_db(word: Word, audio: np.ndarray, min_window_s: float = 0.2) -> np.ndarray:
    # Word times from cross-attention can be zero-length: measure at least min_window_s around them.
    middle = (word.start + word.end) / 2
    half = max(word.end - word.start, min_window_s) / 2
    a = max(int((middle - half) * SAMPLE_RATE), 0)
    b = max(int((middle + half) * SAMPLE_RATE), a + 1)
    return 10 * np.log10((audio[:, a:b] ** 2).mean(axis=1) + 1e-10)


def bleed_mask(words: list[Word], audio: np.ndarray, channel: int, margin_db: float = 8.0) -> list[bool]:
    """Which words are the other speaker leaking into this channel's microphone: far louder on the
    other channel and far quieter than this channel's own speech. Overlapping speech, loud on both
    channels, is kept."""
    if not words:
        return []
    energy = np.stack([_channel_energy_db(w, audio) for w in words])
    own, other = energy[:, channel], energy[:, 1 - channel]
    typical = np.median(own)
    return ((other - own > margin_db) & (own < typical - margin_db)).tolist()


def own_channel_segments(segments: list[Segment], audio: np.ndarray, channel: int) -> list[Segment]:
    """Segments transcribed from one channel, labelled with its speaker, without the words that are
    only the other speaker bleeding into this channel's microphone (louder on the other channel)."""
    all_words = [w for seg in segments for w in seg.words or []]
    bleed = {id(w) for w, b in zip(all_words, bleed_mask(all_words, audio, channel)) if b}
    out: list[Segment] = []
    for seg in segments:
        words = [w for w in seg.words or [] if id(w) not in bleed]
        if words:
            out.append(Segment.from_words(words, CHANNEL_LABELS[channel]))
        elif not seg.words:
            out.append(seg.model_copy(update={"speaker": CHANNEL_LABELS[channel]}))
    return out


def speakers_in(transcript: Transcript) -> list[str]:
    """Speaker labels in order of first appearance."""
    return list(dict.fromkeys(s.speaker for s in transcript.segments if s.speaker))


def question_share(transcript: Transcript, speaker: str) -> float:
    texts = [s.text.strip() for s in transcript.segments if s.speaker == speaker]
    return sum(t.endswith("?") for t in texts) / max(len(texts), 1)


def assign_roles(transcript: Transcript, participant: dict[str, str]) -> dict[str, str]:
    """speaker label -> "interviewer" | "customer"."""
    speakers = speakers_in(transcript)
    if len(speakers) < 2:
        return {s: "customer" for s in speakers}
    interviewer_name = (participant.get("interviewer") or "").strip().lower()
    named = [s for s in speakers if interviewer_name and s.lower() == interviewer_name]
    interviewer = named[0] if named else max(speakers, key=lambda s: (question_share(transcript, s), -speakers.index(s)))
    return {s: "interviewer" if s == interviewer else "customer" for s in speakers}


def display_names(roles: dict[str, str], participant: dict[str, str]) -> dict[str, str]:
    """speaker label -> a person's name where participants.csv tells it (one customer, one interviewer)."""
    names = {}
    customers = [s for s, r in roles.items() if r == "customer"]
    for speaker, role in roles.items():
        name = participant.get("interviewer") if role == "interviewer" else (
            participant.get("customer") if len(customers) == 1 else None)
        names[speaker] = name or speaker
    return names
