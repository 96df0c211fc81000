"""Diarization error rate of voc's mono diarization (resemblyzer + spectral clustering).

Scored with pyannote.metrics against:
- ../shared/eval/diarization/sample.wav with its human RTTM (two speakers, 30 s);
- the mono mix of sample interviews in recordings/ (two voices), whose reference turns come from the
  stereo originals (one speaker per channel: the louder channel speaks);
- ../shared/eval/audio/jfk.flac, one speaker: how many speakers were found.
The sample interviews are scored twice: with no hint (up to transcribe.max_speakers voices) and with
the hint a participants.csv row gives in a run (one customer and one interviewer: two voices).

Usage: .venv/bin/python bench/diarization.py [--samples 2]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
EVAL = ROOT.parent / "shared" / "eval"
warnings.filterwarnings("ignore")

import nlp  # noqa: E402,F401
from nlp.audio import decode  # noqa: E402
from nlp.audio.diarize import speaker_turns  # noqa: E402
from nlp.settings import TranscribeSettings  # noqa: E402


def annotation(turns):
    from pyannote.core import Annotation, Segment

    ann = Annotation()
    for start, end, speaker in turns:
        if end > start:
            ann[Segment(start, end)] = speaker
    return ann


def rttm_turns(path: Path) -> list[tuple[float, float, str]]:
    turns = []
    for line in path.read_text().splitlines():
        f = line.split()
        if f and f[0] == "SPEAKER":
            turns.append((float(f[3]), float(f[3]) + float(f[4]), f[7]))
    return turns


def channel_turns(stereo: np.ndarray, hop_s: float = 0.1, margin_db: float = 6.0) -> list[tuple[float, float, str]]:
    """Reference turns of a one-speaker-per-channel recording: where a channel is voiced and louder."""
    hop = int(hop_s * decode.SAMPLE_RATE)
    n = stereo.shape[1] // hop
    db = 10 * np.log10((stereo[:, : n * hop].reshape(2, n, hop) ** 2).mean(axis=2) + 1e-10)
    voiced = db.max(axis=0) > np.percentile(db.max(axis=0), 95) - 35
    turns = []
    for i in range(n):
        speaker = ("L" if db[0, i] > db[1, i] + margin_db else "R" if db[1, i] > db[0, i] + margin_db else None)
        if not voiced[i] or speaker is None:
            continue
        if turns and turns[-1][2] == speaker and i * hop_s - turns[-1][1] <= 0.5:
            turns[-1][1] = (i + 1) * hop_s
        else:
            turns.append([i * hop_s, (i + 1) * hop_s, speaker])
    return [tuple(t) for t in turns]


def diarized_turns(path: Path, settings: TranscribeSettings, speakers_range: tuple[int, int] | None = None):
    from nlp.audio.transcribe import transcribe_file

    transcript = transcribe_file(path, settings, speakers_range=speakers_range)
    return speaker_turns(transcript.segments), transcript


def main() -> None:
    from pyannote.metrics.diarization import DiarizationErrorRate

    parser = argparse.ArgumentParser()
    parser.add_argument("--samples", type=int, default=2, help="how many sample interviews to mix down and score")
    args = parser.parse_args()
    settings = TranscribeSettings()
    results = []
    hyp, _ = diarized_turns(EVAL / "diarization" / "sample.wav", settings)
    results.append(("eval/diarization/sample.wav (human RTTM)", rttm_turns(EVAL / "diarization" / "sample.rttm"), hyp))
    import tempfile

    import av

    for path in sorted((ROOT / "recordings").glob("*.ogg"))[: args.samples]:
        stereo = decode.decode(path)
        with tempfile.TemporaryDirectory() as tmp:
            mono_path = Path(tmp) / f"{path.stem}-mono.wav"
            with av.open(str(mono_path), "w") as out:
                stream = out.add_stream("pcm_s16le", rate=decode.SAMPLE_RATE, layout="mono")
                frame = av.AudioFrame.from_ndarray(
                    (decode.to_mono(stereo) * 32767).astype(np.int16)[None, :], format="s16", layout="mono")
                frame.sample_rate = decode.SAMPLE_RATE
                for packet in stream.encode(frame):
                    out.mux(packet)
                for packet in stream.encode(None):
                    out.mux(packet)
            hyp, _ = diarized_turns(mono_path, settings)
            hinted, _ = diarized_turns(mono_path, settings, speakers_range=(2, 2))
        name = f"recordings/{path.name} mixed to mono (reference: its channels)"
        results.append((name, channel_turns(stereo), hyp))
        # In a run, a participants.csv row naming a customer and an interviewer means two voices.
        results.append((name + ", participants.csv hint: 2 voices", channel_turns(stereo), hinted))
    for collar in (0.0, 0.25):
        print(f"DER, collar {collar} s (overlap scored):")
        for name, ref, hyp in results:
            metric = DiarizationErrorRate(collar=collar)
            der = metric(annotation(ref), annotation(hyp), detailed=True)
            print(f"  {name}: DER {der['diarization error rate']:.3f} (miss {der['missed detection'] / der['total']:.3f}, "
                  f"false alarm {der['false alarm'] / der['total']:.3f}, confusion {der['confusion'] / der['total']:.3f}); "
                  f"speakers ref {len({t[2] for t in ref})} hyp {len({t[2] for t in hyp})}")
    _, jfk = diarized_turns(EVAL / "audio" / "jfk.flac", settings)
    print(f"jfk.flac (one speaker): {len({s.speaker for s in jfk.segments})} speaker(s) found")


if __name__ == "__main__":
    main()
