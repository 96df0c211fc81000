"""The data contracts between stages (see design.md): plain pydantic models, JSON in and out."""

from __future__ import annotations

from pathlib import Path
from typing import Literal

from pydantic import BaseModel, Field

SCHEMA_VERSION = 1
Kind = Literal["pain", "request", "praise", "question", "other"]
KINDS: tuple[str, ...] = ("pain", "request", "praise", "question", "other")


class Recording(BaseModel):
    """One input file in the inbox, identified by its content hash."""

    path: Path
    sha256: str
    participant: dict[str, str] = Field(default_factory=dict)

    @property
    def customer(self) -> str:
        return self.participant.get("customer") or self.path.stem

    @property
    def cache_name(self) -> str:
        return f"{self.path.stem}-{self.sha256[:8]}.json"


class Skipped(BaseModel):
    path: str
    reason: str


class Word(BaseModel):
    start: float
    end: float
    word: str
    probability: float | None = None


class Segment(BaseModel):
    start: float
    end: float
    speaker: str | None = None
    text: str
    words: list[Word] | None = None

    @classmethod
    def from_words(cls, words: list[Word], speaker: str | None = None) -> "Segment":
        return cls(start=words[0].start, end=words[-1].end, speaker=speaker,
                   text="".join(w.word for w in words).strip(), words=words)


class RecordingInfo(BaseModel):
    path: str
    sha256: str
    duration_s: float


class EngineInfo(BaseModel):
    name: str
    model: str
    compute_type: str | None = None


class Transcript(BaseModel):
    schema_version: int = SCHEMA_VERSION
    recording: RecordingInfo
    engine: EngineInfo
    language: str | None = None
    segments: list[Segment]
    # speaker label -> "interviewer" | "customer"; filled by speakers.assign_roles
    roles: dict[str, str] = Field(default_factory=dict)


class Quote(BaseModel):
    quote_id: str
    recording: str
    customer: str
    speaker: str | None
    role: str
    start: float
    end: float
    text: str  # what reports show: fillers trimmed, personal data redacted where asked
    verbatim: str = ""  # the customer's exact words, every "um" included, never redacted
    kind: Kind = "other"
    severity: float = 0.0
    sentiment: float = 0.0
    theme_id: str | None = None
    theme_label: str | None = None
    # The researcher's edits (nlp.workspace): a hidden quote is in no theme and counts nowhere.
    hidden: bool = False
    starred: bool = False
    curated: bool = False          # an edit in force names this quote
    edited_by: str = ""            # who, comma-separated
    voc_theme_id: str | None = None  # voc's own theme and kind for it, before the edits
    voc_kind: Kind | None = None
    # Where it comes from beyond a recording (issue 16): the channel, and for a table's row its sheet,
    # row number (as a spreadsheet shows it), question (the column) and the item's own date (YYYY-MM-DD).
    channel: str = "interview"
    sheet: str | None = None
    row: int | None = None
    question: str | None = None
    date: str | None = None


class TopQuote(BaseModel):
    quote_id: str
    text: str
    customer: str
    speaker: str | None
    recording: str
    start: float
    end: float
    kind: Kind
    starred: bool = False
    channel: str = "interview"
    sheet: str | None = None
    row: int | None = None
    question: str | None = None
    date: str | None = None


class Theme(BaseModel):
    id: str
    rank: int = 0
    label: str
    keywords: list[str]
    score: float = 0.0
    why: str = ""
    customers: int = 0
    interviews: int = 0
    quotes: int = 0
    kinds: dict[str, int] = Field(default_factory=dict)
    sentiment: float = 0.0
    trend: str = "new"
    segments: dict[str, dict[str, int]] = Field(default_factory=dict)
    top_quotes: list[TopQuote] = Field(default_factory=list)
    # The researcher's edits (nlp.workspace)
    curated: bool = False
    pinned: bool = False
    note: str = ""
    edited_by: list[str] = Field(default_factory=list)
    voc_label: str = ""  # voc's own label, where the researcher renamed the theme
    channels: dict[str, int] = Field(default_factory=dict)  # channel -> distinct customers
    questions: dict[str, int] = Field(default_factory=dict)  # a table's text column -> distinct customers
    # Dated quotes only: "week" | "month" -> period ("2024-W05", "2024-05") -> distinct customers, oldest
    # first, and the theme's trend from the last period but one to the last.
    periods: dict[str, dict[str, int]] = Field(default_factory=dict)
    period_trends: dict[str, str] = Field(default_factory=dict)


class RunInfo(BaseModel):
    id: str
    started_at: str
    finished_at: str | None = None
    recordings: int = 0
    new_recordings: int = 0
    skipped: list[Skipped] = Field(default_factory=list)
    channels: dict[str, int] = Field(default_factory=dict)  # items used per channel (a recording, a row)
    new_items: int = 0  # table texts (a row's text column) quoted for the first time; the others came from the cache
    notes: list[Skipped] = Field(default_factory=list)  # used, with a caveat: undated rows, duplicates


class GeneralSentiment(BaseModel):
    """Quotes with a mood and no subject ("Great app!", "Useless"), counted apart from the themes."""

    quotes: int = 0
    customers: int = 0
    positive: int = 0
    negative: int = 0
    top_quotes: list[TopQuote] = Field(default_factory=list)
    quote_ids: list[str] = Field(default_factory=list)  # the quotes counted here: a re-ranking (the workspace) counts them apart too


class ThemesDocument(BaseModel):
    """themes.json"""

    run: RunInfo
    themes: list[Theme]
    unthemed_quotes: int = 0
    general_sentiment: GeneralSentiment | None = None  # absent in files written before it existed


class FeedbackItem(BaseModel):
    """One item of written feedback: one text column (a survey question, a ticket body, a review) of
    one row of a table in the inbox."""

    source: str                     # the file
    sheet: str | None = None        # a workbook's sheet
    row: int                        # as a spreadsheet numbers it (the header is row 1), or a JSON line
    question: str                   # the column the text is in
    text: str
    customer: str
    channel: str
    date: str | None = None         # YYYY-MM-DD
    segments: dict[str, str] = Field(default_factory=dict)
    key: str                        # hash of what its quotes depend on (text, question, customer)
    id: str                         # unique in the run (row content and question): quote ids start with it
    named: bool = False             # the customer is a person's name (redacted from the text like one)
