"""What kind of thing a customer said (pain, request, praise, question, other), how severe a pain
is, and its sentiment. Cue phrases over the lower-cased text for now; VADER for sentiment."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from nlp.schema import Kind

CUES: dict[str, list[str]] = {
    "request": [
        r"\bwould (be|love|like)\b.*\b(if|to have|great|nice|helpful|useful|win)\b", r"\bwish\b", r"\bplease add\b",
        r"\b(we|i) (really )?(need|want)\b", r"\bit would be\b", r"\bcould you (add|build|make)\b",
        r"\b(should|could) (have|support|add|let)\b", r"\bwould save\b", r"\bwould make\b", r"\bneed(s)? (a|an|to)\b",
        r"\b(feature|integration) (request|would)\b", r"\bhard requirement\b", r"\brequire[sd]?\b",
        r"\bif (only )?(we|i) could\b", r"\bwould really like\b", r"\bmissing\b",
    ],
    "pain": [
        r"\b(slow|slowly|freez\w*|crash\w*|broke\w*|bug\w*|error\w*|fail\w*|unusable|confusing|clunky)\b",
        r"\b(frustrat\w*|annoy\w*|painful\w*|nightmare|headache|problem\w*|issue\w*|hard|difficult|struggl\w*)\b",
        r"\b(too|very) (expensive|slow|limited|complicated|high)\b", r"\b(expensive|costly|can't afford|cannot afford)\b",
        r"\b(can't|cannot|can not|unable to|doesn't work|does not work|no way to)\b", r"\b(waste|wasting|takes forever|ages)\b",
        r"\bby hand\b", r"\bmanually\b", r"\bworkaround\b", r"\bgive up\b", r"\bcomplain\w*\b", r"\bwait(ing)?\b",
    ],
    "praise": [
        r"\b(love|loved|great|excellent|amazing|fantastic|awesome|lovely|smooth|brilliant|wonderful)\b",
        r"\b(easy|simple|intuitive|helpful|powerful|reliable|fast|quick\w*|kindly|fair)\b", r"\bworks (well|great)\b",
        r"\b(happy|pleased|impressed|recommend)\b",
    ],
}
SEVERITY_CUES = [
    r"\b(every (day|week|monday|morning|time)|always|constantly|all day)\b",  # frequency
    r"\b(cannot|can't|blocks?|blocked|blocking|hard requirement|unusable|crash\w*)\b",  # blocking
    r"\b(cost|price|budget|expensive|money|hours|churn|cancel|switch(ing)?|worth it)\b",  # money, time or churn
]
WH_START = re.compile(r"^(what|why|how|when|where|who|which|is|are|can|could|do|does|will|would|should)\b", re.I)


@dataclass(frozen=True)
class Classification:
    kind: Kind
    severity: float
    sentiment: float


@lru_cache(maxsize=1)
def _vader():
    from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

    return SentimentIntensityAnalyzer()


@lru_cache(maxsize=1)
def _compiled() -> dict[str, list[re.Pattern]]:
    return {kind: [re.compile(p) for p in patterns] for kind, patterns in CUES.items()}


def sentiment(text: str) -> float:
    return round(_vader().polarity_scores(text)["compound"], 3)


def classify(text: str) -> Classification:
    lowered = text.lower()
    hits = {kind: sum(bool(p.search(lowered)) for p in patterns) for kind, patterns in _compiled().items()}
    mood = sentiment(text)
    if hits["request"]:
        kind = "request"
    elif hits["pain"] and (hits["pain"] >= hits["praise"] or mood < 0):
        kind = "pain"
    elif hits["praise"] and mood >= 0:
        kind = "praise"
    elif text.strip().endswith("?") or WH_START.match(text.strip()) and text.strip().endswith("?"):
        kind = "question"
    else:
        kind = "other"
    severity = 0.0
    if kind == "pain":
        severity = round((1 + sum(bool(re.search(p, lowered)) for p in SEVERITY_CUES)) / (1 + len(SEVERITY_CUES)), 2)
    return Classification(kind=kind, severity=severity, sentiment=mood)
