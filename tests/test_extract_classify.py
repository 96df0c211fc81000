"""Quotes and kinds on real sentences with the bundled spaCy model."""

import pytest

from nlp.classify import classify
from nlp.extract import extract_quotes
from nlp.schema import EngineInfo, RecordingInfo, Segment, Transcript, Word
from nlp.settings import ExtractSettings
from nlp.speakers import assign_roles, display_names


def segment(speaker: str, text: str, start: float, per_word: float = 0.4) -> Segment:
    words = [Word(start=start + i * per_word, end=start + (i + 1) * per_word - 0.05, word=" " + w)
             for i, w in enumerate(text.split())]
    return Segment(start=words[0].start, end=words[-1].end, speaker=speaker, text=text, words=words)


def interview() -> Transcript:
    segs = [
        segment("A", "How is the product working for you?", 0.0),
        segment("B", "The export keeps failing every night. It is costing us hours.", 3.0),
        segment("A", "What would you change?", 9.0),
        segment("B", "Yes.", 11.0),
        segment("B", "I wish we had an Okta login for the whole team.", 12.0),
        segment("A", "Anything you like?", 17.0),
        segment("B", "Your support team is fantastic and fast.", 19.0),
    ]
    return Transcript(recording=RecordingInfo(path="rec.wav", sha256="ab" * 32, duration_s=25.0),
                      engine=EngineInfo(name="test", model="none"), segments=segs)


def test_roles_from_questions_and_from_participants():
    t = interview()
    assert assign_roles(t, {}) == {"A": "interviewer", "B": "customer"}
    assert assign_roles(t, {"interviewer": "b"}) == {"A": "customer", "B": "interviewer"}
    names = display_names({"A": "interviewer", "B": "customer"}, {"customer": "Ann", "interviewer": "Sam"})
    assert names == {"A": "Sam", "B": "Ann"}


def test_quotes_are_customer_sentences_grouped_with_word_times():
    t = interview()
    quotes = extract_quotes(t, {"A": "interviewer", "B": "customer"}, {"B": "Ann"}, "Ann", ExtractSettings())
    texts = [q.text for q in quotes]
    # "It is costing us hours." leans on the sentence before it; "Yes." is too short to be a quote alone.
    assert texts == [
        "The export keeps failing every night. It is costing us hours.",
        "Yes. I wish we had an Okta login for the whole team.",
        "Your support team is fantastic and fast.",
    ]
    first = quotes[0]
    assert first.start == pytest.approx(3.0) and first.end == pytest.approx(3.0 + 11 * 0.4 - 0.05, abs=0.01)
    assert all(q.speaker == "Ann" and q.customer == "Ann" and q.role == "customer" for q in quotes)
    assert len({q.quote_id for q in quotes}) == 3


@pytest.mark.parametrize("text,kind", [
    ("The dashboard takes forever to load and my managers give up.", "pain"),
    ("We export everything to Excel by hand every Friday.", "pain"),
    ("It would be great if we could schedule a CSV export.", "request"),
    ("I wish there was an integration with Salesforce.", "request"),
    ("Your support team is excellent, they answered within an hour.", "praise"),
    ("Does the API support webhooks?", "question"),
    ("We are a team of twelve people in Berlin.", "other"),
])
def test_kinds_of_real_sentences(text, kind):
    assert classify(text).kind == kind


def test_severity_and_sentiment():
    mild = classify("The colours are a bit confusing.")
    severe = classify("It crashes every day and we cannot ship, so we are considering switching.")
    assert severe.kind == mild.kind == "pain"
    assert severe.severity > mild.severity
    assert classify("I love this product, it is wonderful.").sentiment > 0.5
    assert classify("This is terrible and broken.").sentiment < -0.3
