"""What report.html shows beyond each theme's top quotes: every quote of each theme and the quotes in
no theme (each linked to its place in its transcript page, and what the page's search box looks in),
each theme's follow-up list, and the interviews' transcript pages."""

from __future__ import annotations

from dataclasses import dataclass

from nlp.report.followups import FollowUp, contact_columns, follow_ups
from nlp.report.transcripts import ShownTranscript
from nlp.schema import Quote, ThemesDocument

TRANSCRIPTS_FOLDER = "transcripts"


@dataclass
class QuoteRow:
    quote: Quote
    company: str
    link: str | None  # its place in its transcript page, relative to the report folder

    @property
    def file_name(self) -> str:
        return self.quote.recording.replace("\\", "/").split("/")[-1]

    @property
    def search_text(self) -> str:
        """What the search box matches: the words, who said them, the theme and the kind."""
        q = self.quote
        return " ".join(filter(None, [q.text, q.customer, self.company, q.theme_label, q.kind]))


@dataclass
class Interview:
    transcript: ShownTranscript
    company: str
    quotes: int

    @property
    def link(self) -> str:
        return f"{TRANSCRIPTS_FOLDER}/{self.transcript.page}"


@dataclass
class ReportDetails:
    quotes_by_theme: dict[str, list[QuoteRow]]
    unthemed: list[QuoteRow]
    follow_ups: dict[str, list[FollowUp]]
    contact_columns: list[str]
    links: dict[str, str]  # quote id -> its place in its transcript page
    interviews: list[Interview]


def quote_link(page: str, quote_id: str) -> str:
    return f"{TRANSCRIPTS_FOLDER}/{page}#q-{quote_id}"


def report_details(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]],
                   transcripts: list[ShownTranscript] | None) -> ReportDetails:
    pages = {t.recording: t.page for t in transcripts or []}
    links = {q.quote_id: quote_link(pages[q.recording], q.quote_id) for q in quotes if q.recording in pages}
    rows: dict[str | None, list[QuoteRow]] = {}
    for q in sorted(quotes, key=lambda q: (q.customer.lower(), q.recording, q.start)):
        row = QuoteRow(q, people.get(q.customer, {}).get("company", ""), links.get(q.quote_id))
        rows.setdefault(q.theme_id, []).append(row)
    said = {}
    for q in quotes:
        said[q.recording] = said.get(q.recording, 0) + 1
    interviews = [Interview(t, people.get(t.customer, {}).get("company", ""), said.get(t.recording, 0))
                  for t in sorted(transcripts or [], key=lambda t: (t.customer.lower(), t.recording))]
    return ReportDetails(
        quotes_by_theme={t.id: rows.get(t.id, []) for t in doc.themes}, unthemed=rows.get(None, []),
        follow_ups={f.theme.id: f.people for f in follow_ups(doc, quotes, people)},
        contact_columns=contact_columns(people), links=links, interviews=interviews)
