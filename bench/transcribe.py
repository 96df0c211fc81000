"""Speed and memory of the two Whisper engines on the same 10-minute two-speaker interview.

The interview is built from the sample recordings (each an interviewer and a customer): their mono
mixes, one after another, looped to at least --minutes (whole samples, so what is said is known: the
script in scripts/make_samples.py, against which each engine's word error rate is printed too). Each engine runs in its own subprocess, so its peak
resident memory is its own: the model is loaded and warmed up on jfk.flac (not timed; openai-whisper
compiles its word-timing kernels on first use), then voc's pipeline (streamed decoding, VAD, guards;
diarization off, to compare engines) transcribes the interview --repeat times. Prints the median
real-time factor (processing time / audio time), the speed-up of faster-whisper over openai-whisper
and each engine's peak RSS.

Usage: .venv/bin/python bench/transcribe.py [--minutes 10] [--repeat 3] [--threads 2]
       [--engines faster-whisper openai-whisper] [--device cpu|cuda] [--batch-size N] [--beam-size N]
--beam-size: decoding beam of both engines (default: transcribe.beam_size).
--batch-size: faster-whisper's BatchedInferencePipeline batch (default: transcribe.batch_size, as `voc run`
uses it; 0 or 1: one 30-s window at a time).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
JFK = ROOT.parent / "shared" / "eval" / "audio" / "jfk.flac"


def build_interview(target: Path, minutes: float) -> tuple[float, str]:
    """Mono mixes of the samples back to back, looped to at least `minutes`; 16 kHz WAV.
    -> (seconds, what is said: the samples' script in scripts/make_samples.py)."""
    import av
    import numpy as np

    from nlp.audio import decode

    sys.path.insert(0, str(ROOT / "scripts"))
    from make_samples import INTERVIEWS

    script = {item[0]: " ".join(text for _, text in item[-1]) for item in INTERVIEWS}
    paths = [p for p in sorted((ROOT / "recordings").iterdir()) if p.suffix in (".ogg", ".m4a")]
    pieces = [decode.to_mono(decode.decode(p)) for p in paths]
    needed = int(minutes * 60 * decode.SAMPLE_RATE)
    mixed, said, total = [], [], 0
    while total < needed:  # whole samples only, so the script stays exact
        for path, piece in zip(paths, pieces):
            mixed.append(piece)
            said.append(script[path.name])
            total += len(piece)
            if total >= needed:
                break
    samples = (np.clip(np.concatenate(mixed), -1, 1) * 32767).astype(np.int16)
    with av.open(str(target), "w") as out:
        stream = out.add_stream("pcm_s16le", rate=decode.SAMPLE_RATE, layout="mono")
        frame = av.AudioFrame.from_ndarray(samples[None, :], format="s16", layout="mono")
        frame.sample_rate = decode.SAMPLE_RATE
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            out.mux(packet)
    return len(samples) / decode.SAMPLE_RATE, " ".join(said)


def worker(args) -> None:
    """One engine in this process: load, warm up, time; print one JSON line."""
    import warnings

    warnings.filterwarnings("ignore")
    from nlp.settings import TranscribeSettings
    from nlp.audio.transcribe import transcribe_file

    settings = TranscribeSettings(engine=args.worker, model=args.model, device=args.device, cpu_threads=args.threads,
                                  batch_size=args.batch_size, beam_size=args.beam_size, diarize=False)
    transcribe_file(JFK, settings)  # load + warm-up, not timed
    times, cpu, transcript = [], [], None
    for _ in range(args.repeat):
        start, start_cpu = time.perf_counter(), time.process_time()
        transcript = transcribe_file(Path(args.audio), settings)
        times.append(time.perf_counter() - start)
        cpu.append(time.process_time() - start_cpu)
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024  # Linux: KiB
    print(json.dumps({"engine": args.worker, "times": times, "cpu": cpu, "peak_rss_mb": peak_mb,
                      "compute_type": transcript.engine.compute_type,
                      "text": " ".join(s.text for s in transcript.segments)}))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--minutes", type=float, default=10.0)
    parser.add_argument("--repeat", type=int, default=3, help="timed runs of faster-whisper")
    parser.add_argument("--openai-repeat", type=int, default=1,
                        help="timed runs of openai-whisper (over 10x slower on CPU: one run shows the ratio)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--model", default="tiny.en")
    parser.add_argument("--device", default="cpu", choices=["cpu", "cuda", "auto"])
    parser.add_argument("--batch-size", type=int, default=None, help="> 1: faster-whisper's batched pipeline "
                        "(default: transcribe.batch_size)")
    parser.add_argument("--beam-size", type=int, default=None, help="default: transcribe.beam_size")
    parser.add_argument("--engines", nargs="+", default=["faster-whisper", "openai-whisper"])
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    parser.add_argument("--audio", help=argparse.SUPPRESS)
    args = parser.parse_args()
    from nlp.settings import TranscribeSettings

    if args.batch_size is None:
        args.batch_size = TranscribeSettings().batch_size
    if args.beam_size is None:
        args.beam_size = TranscribeSettings().beam_size
    if args.worker:
        return worker(args)
    import jiwer
    from whisper.normalizers import EnglishTextNormalizer

    with tempfile.TemporaryDirectory() as tmp:
        interview = Path(tmp) / "interview.wav"
        duration, said = build_interview(interview, args.minutes)
        print(f"audio: {duration / 60:.1f} min two-speaker interview from recordings/ (mono mixes); model "
              f"{args.model}; device {args.device}; {args.threads} CPU threads; beam {args.beam_size}; batch size {args.batch_size or 'off'}; "
              f"median of {args.repeat} run(s) (openai-whisper: {args.openai_repeat}), each engine in its own process; "
              f"load average now {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores", flush=True)
        env = dict(os.environ, OMP_NUM_THREADS=str(args.threads))
        results = {}
        for engine in args.engines:
            repeat = args.openai_repeat if engine == "openai-whisper" else args.repeat
            cmd = [sys.executable, __file__, "--worker", engine, "--audio", str(interview), "--repeat", str(repeat),
                   "--threads", str(args.threads), "--model", args.model, "--device", args.device,
                   "--batch-size", str(args.batch_size), "--beam-size", str(args.beam_size)]
            done = subprocess.run(cmd, env=env, capture_output=True, text=True)
            if done.returncode != 0:
                print(f"{engine}: failed\n{done.stderr[-2000:]}")
                continue
            r = results[engine] = json.loads(done.stdout.strip().splitlines()[-1])
            median = statistics.median(r["times"])
            cpu_rtf = statistics.median(r["cpu"]) / duration
            print(f"{engine:15s} ({r['compute_type']}): RTF {median / duration:.4f} ({duration / median:.0f}x real time; "
                  f"{median:.1f} s for {duration:.0f} s; runs {['%.1f' % t for t in r['times']]}); "
                  f"CPU time per audio second {cpu_rtf:.4f} (RTF if its {args.threads} threads had the cores to "
                  f"themselves: {cpu_rtf / args.threads:.4f}); peak RSS {r['peak_rss_mb']:.0f} MB", flush=True)
    normalize = EnglishTextNormalizer()
    for engine, r in results.items():
        print(f"{engine}: WER against the samples' script {jiwer.wer(normalize(said), normalize(r['text'])):.3f}")
    if len(results) == 2:
        fw, ow = (statistics.median(results[e]["times"]) for e in ("faster-whisper", "openai-whisper"))
        print(f"faster-whisper is {ow / fw:.1f}x faster than openai-whisper")
        a, b = (normalize(results[e]["text"]) for e in ("faster-whisper", "openai-whisper"))
        print(f"word difference between the two transcripts (WER of one against the other): {jiwer.wer(b, a):.3f}")


if __name__ == "__main__":
    main()
