"""Quotes of written feedback (nlp.text.written): sentences grouped as in interviews, personal data
redacted from one parse of the whole item, kinds from the tagger, and the cache that spares a later
run the items it has seen. Real app reviews (../shared/eval/feedback, CC0) with the bundled models."""

from __future__ import annotations

import json
import re

import pytest

from conftest import EVAL, require
from nlp.schema import FeedbackItem
from nlp.settings import Settings
from nlp.sources.feedback import digest
from nlp.text import written


def words(text: str) -> str:
    return " ".join(re.findall(r"\w+", text))


def item(text: str, n: int, customer: str = "", named: bool = False, question: str = "Review") -> FeedbackItem:
    text = " ".join(text.split())
    return FeedbackItem(source="/inbox/reviews.csv", row=n + 2, question=question, text=text,
                        customer=customer or f"review {n:06d}", channel="review", date="2024-02-03",
                        segments={"rating": "2"}, named=named, key=digest(question, text, customer if named else ""),
                        id=digest(str(n), question)[:12])


@pytest.fixture(scope="module")
def settings(tmp_path_factory) -> Settings:
    s = Settings()
    s.paths.state = tmp_path_factory.mktemp("state")
    return s


@pytest.fixture(scope="module")
def reviews() -> list[str]:
    path = require(EVAL / "feedback" / "maalej2016_app_reviews.jsonl")
    return [json.loads(line)["text"] for line in path.read_text(encoding="utf-8").splitlines()][:60]


def test_reviews_become_quotes_with_provenance_and_kinds(settings, reviews):
    items = [item(text, n) for n, text in enumerate(reviews)]
    quotes, fields, fresh = written.extract_written(items, settings)
    assert fresh == len(items) and set(fields) == {i.key for i in items}
    assert {q.recording for q in quotes} == {"/inbox/reviews.csv"} and all(q.channel == "review" for q in quotes)
    by_item = {}
    for q in quotes:
        by_item.setdefault(q.quote_id.split("-")[0], []).append(q)
    assert len(by_item) >= 0.9 * len(items)  # short items ("Great app") make no quote of min_words
    for n, it in enumerate(items):
        for q in by_item.get(it.id, []):
            assert (q.row, q.question, q.date, q.customer) == (n + 2, "Review", "2024-02-03", it.customer)
            assert words(q.verbatim) in words(it.text) and q.start == q.end == 0.0  # a stretch of the item
    assert {"pain", "praise"} <= {q.kind for q in quotes}


def test_personal_data_is_redacted_from_one_parse_and_verbatim_is_kept(settings):
    said = ("Support never answers. I emailed jo.lee@acme-mail.com twice and called +1 415 555 0134. "
            "Dana Whitfield from your sales team promised a fix by March.")
    quotes = written.extract_written([item(said, 1)], settings)[0]
    text = " ".join(q.text for q in quotes)
    assert "[EMAIL]" in text and "[PHONE]" in text and "[NAME]" in text
    assert "jo.lee" not in text and "Whitfield" not in text and "555" not in text
    assert " ".join(q.verbatim for q in quotes) == said
    assert [q.quote_id for q in quotes] == [f"{item(said, 1).id}-{n:02d}" for n in range(len(quotes))]
    # The customer column names a person: that name is redacted wherever the text repeats it.
    quotes = written.extract_written([item("Honestly, ask Priya Raman, she filed the bug report last week.", 2,
                                           customer="Priya Raman", named=True)], settings)[0]
    assert "Priya" not in " ".join(q.text for q in quotes)
    off = settings.model_copy(deep=True)
    off.extract.redact_pii = False
    assert "jo.lee@acme-mail.com" in " ".join(q.text for q in written.extract_written([item(said, 1)], off)[0])


def test_known_items_are_not_read_again_and_the_cache_keeps_only_current_items(settings, reviews, tmp_path):
    items = [item(text, n) for n, text in enumerate(reviews[:20])]
    quotes, fields, fresh = written.extract_written(items, settings)
    version = written.extraction_version(settings)
    written.save_cache(tmp_path, items[0].source, version, fields)
    known = written.load_cache(tmp_path, items[0].source, version)
    again, _, fresh_again = written.extract_written(items, settings, known)
    assert fresh_again == 0 and [q.model_dump() for q in again] == [q.model_dump() for q in quotes]
    grown = items + [item(reviews[30], 30)]
    _, grown_fields, fresh_grown = written.extract_written(grown, settings, known)
    assert fresh_grown == 1
    written.save_cache(tmp_path, items[0].source, version, {i.key: grown_fields[i.key] for i in grown[1:]})
    assert set(written.load_cache(tmp_path, items[0].source, version)) == {i.key for i in grown[1:]}  # row 2 removed
    assert written.load_cache(tmp_path, items[0].source, "another version") == {}  # other settings or code: read again


def test_a_plain_paragraph_transcript_gives_each_quote_its_own_id(tmp_path, reviews):
    """A .txt review has no times: every quote starts at 0 s, yet ids stay unique (the store keys on them)."""
    from nlp.sources.importers import import_transcript
    from nlp.settings import ExtractSettings
    from nlp.text.quotes import extract_quotes

    longest = max(reviews, key=len)
    path = tmp_path / "review.txt"
    path.write_text(longest + "\n", encoding="utf-8")
    transcript = import_transcript(path, "ef" * 32)
    quotes = extract_quotes(transcript, {None: "customer"}, {}, "review", ExtractSettings())
    assert len(quotes) > 1 and all(q.start == 0 for q in quotes)
    assert [q.quote_id for q in quotes] == ["efefefef-0000000"] + [f"efefefef-0000000-{n}" for n in range(2, len(quotes) + 1)]
