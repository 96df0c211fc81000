"""Word error rate: the plain library call vs voc's pipeline, same model, both engines.

References are the shared clips with known text (../shared/eval/README.md): jfk.flac and the two
channels of stereo_diarization.wav (one speaker each); and, with --samples N, the first N sample
interviews in recordings/ (synthetic speech: left channel the interviewer, right the customer),
whose scripts in scripts/make_samples.py are the references. Text is normalised with Whisper's English
normaliser (whisper.normalizers.EnglishTextNormalizer) before scoring with jiwer. "plain" is each
library's transcribe() with its defaults on the decoded channel; "voc" is nlp.audio.transcribe.transcribe_file
(streamed decoding, VAD, no conditioning on previous text, guards, per-channel speakers).
The pipeline must not add errors.

Usage: .venv/bin/python bench/wer.py [--model tiny.en] [--samples 2] [--engines faster-whisper openai-whisper]
"""

from __future__ import annotations

import argparse
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
AUDIO = ROOT.parent / "shared" / "eval" / "audio"
warnings.filterwarnings("ignore")

import nlp  # noqa: E402,F401
from nlp.audio import decode  # noqa: E402
from nlp.settings import TranscribeSettings  # noqa: E402

# clip name -> (file, channel or None for the mono mix, the speaker voc should give it, reference)
CLIPS = {
    "jfk": (AUDIO / "jfk.flac", None, None, "And so my fellow Americans, ask not what your country can do for you, "
                                            "ask what you can do for your country."),
    "stereo-left": (AUDIO / "stereo_diarization.wav", 0, "SPEAKER_1", "He began a confused complaint against the "
                    "wizard, who had vanished behind the curtain on the left."),
    "stereo-right": (AUDIO / "stereo_diarization.wav", 1, "SPEAKER_2", "The horizon seems extremely distant."),
}


def sample_clips(n: int) -> dict:
    """The first n sample interviews, per channel, with their scripts as references."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("make_samples", ROOT / "scripts" / "make_samples.py")
    make_samples = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(make_samples)
    clips = {}
    for name, *_, turns in make_samples.INTERVIEWS[:n]:
        for channel, (who, speaker) in enumerate((("I", "SPEAKER_1"), ("C", "SPEAKER_2"))):
            clips[f"{Path(name).stem}-{who}"] = (ROOT / "recordings" / name, channel, speaker,
                                                 " ".join(text for w, text in turns if w == who))
    return clips


def plain_call(engine: str, model_name: str, samples) -> str:
    from nlp.audio.engines import _load_faster_whisper, _load_openai_whisper

    if engine == "faster-whisper":
        model = _load_faster_whisper(model_name, "cpu", "int8", 2)
        segments, _ = model.transcribe(samples, language="en")
        return " ".join(s.text for s in segments)
    model = _load_openai_whisper(model_name, "cpu")
    return model.transcribe(samples, language="en", fp16=False)["text"]


def voc_pipeline(engine: str, model_name: str, path: Path, speaker: str | None) -> str:
    from nlp.audio.transcribe import transcribe_file

    transcript = transcribe_file(path, TranscribeSettings(engine=engine, model=model_name))
    return " ".join(s.text for s in transcript.segments if speaker is None or s.speaker == speaker)


def main() -> None:
    import jiwer
    from whisper.normalizers import EnglishTextNormalizer

    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--engines", nargs="+", default=["faster-whisper", "openai-whisper"])
    parser.add_argument("--samples", type=int, default=2, help="sample interviews to score too (0: none)")
    args = parser.parse_args()
    clips = {**CLIPS, **sample_clips(args.samples)}
    normalize = EnglishTextNormalizer()
    print(f"WER (Whisper English normaliser), model {args.model}")
    for engine in args.engines:
        refs, plain_hyps, voc_hyps = [], [], []
        for name, (path, channel, speaker, reference) in clips.items():
            decoded = decode.decode(path)
            samples = decode.to_mono(decoded) if channel is None else decoded[channel]
            plain = normalize(plain_call(engine, args.model, samples))
            ours = normalize(voc_pipeline(engine, args.model, path, speaker))
            ref = normalize(reference)
            refs.append(ref), plain_hyps.append(plain), voc_hyps.append(ours)
            print(f"  {engine:15s} {name:22s} plain {jiwer.wer(ref, plain):.3f}  voc {jiwer.wer(ref, ours):.3f}"
                  f"   voc: {ours[:70]!r}", flush=True)
        print(f"  {engine:15s} {'all clips (pooled)':22s} plain {jiwer.wer(refs, plain_hyps):.3f}  "
              f"voc {jiwer.wer(refs, voc_hyps):.3f}")


if __name__ == "__main__":
    main()
