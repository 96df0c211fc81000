"""Who to thank or ask back, theme by theme: each customer who raised the theme, their company and
contact columns from participants.csv (email, phone, owner), and what they said, with times.

"When you launch a feature based on feedback from a customer, email them personally": the CSV is
one row per theme and customer, ready for a mail merge; the report shows the same on each theme card.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass

from nlp.schema import Quote, Theme, ThemesDocument
from nlp.sources.formats import mmss
from nlp.sources.inbox import CONTACT_COLUMNS

FOLLOWUP_COLUMNS = ["theme_id", "theme", "customer", "company", "kinds", "quotes", "quote", "at", "more_quotes",
                    "quote_ids"]


@dataclass
class FollowUp:
    customer: str
    company: str
    contacts: dict[str, str]  # contact column -> value, those the customer's row fills
    quotes: list[Quote]  # theirs in the theme, in time order

    @property
    def kinds(self) -> list[str]:
        return list(dict.fromkeys(q.kind for q in self.quotes))


@dataclass
class ThemeFollowUps:
    theme: Theme
    people: list[FollowUp]  # most quotes first


def where_said(quote: Quote) -> str:
    """"acme-logistics.ogg 00:25": the recording's file name and the second the quote starts."""
    return f"{quote.recording.replace(chr(92), '/').split('/')[-1]} {mmss(quote.start)}"


def contact_columns(people: dict[str, dict[str, str]]) -> list[str]:
    """The contact columns participants.csv has, in CONTACT_COLUMNS order."""
    return [c for c in CONTACT_COLUMNS if any(row.get(c) for row in people.values())]


def follow_ups(doc: ThemesDocument, quotes: list[Quote], people: dict[str, dict[str, str]],
               theme_ids: list[str] | None = None) -> list[ThemeFollowUps]:
    """Per theme (rank order, or the order of `theme_ids`), the customers who raised it. `people` maps
    customer -> participants.csv row. Raises KeyError naming a theme id the run does not have."""
    themes = {t.id: t for t in doc.themes}
    missing = [i for i in theme_ids or [] if i not in themes]
    if missing:
        raise KeyError(", ".join(missing))
    chosen = [themes[i] for i in dict.fromkeys(theme_ids)] if theme_ids else doc.themes
    columns = contact_columns(people)
    by_theme: dict[str, dict[str, list[Quote]]] = {}  # theme id -> customer -> their quotes in time order
    for q in sorted((q for q in quotes if q.theme_id), key=lambda q: (q.recording, q.start)):
        by_theme.setdefault(q.theme_id, {}).setdefault(q.customer, []).append(q)
    out = []
    for theme in chosen:
        said = by_theme.get(theme.id, {})
        rows = []
        for customer, theirs in sorted(said.items(), key=lambda item: (-len(item[1]), item[0].lower())):
            row = people.get(customer, {})
            rows.append(FollowUp(customer, row.get("company", ""), {c: row[c] for c in columns if row.get(c)}, theirs))
        out.append(ThemeFollowUps(theme, rows))
    return out


def followups_csv(found: list[ThemeFollowUps], columns: list[str], safe=lambda v: v) -> str:
    """One row per theme and customer: contact columns, then their first quote and the rest.
    `safe` makes a cell inert in spreadsheets (writers.spreadsheet_safe)."""
    out = io.StringIO()
    fields = FOLLOWUP_COLUMNS[:4] + columns + FOLLOWUP_COLUMNS[4:]
    writer = csv.DictWriter(out, fieldnames=fields, lineterminator="\n")
    writer.writeheader()
    for group in found:
        for person in group.people:
            first, *rest = person.quotes
            row = {"theme_id": group.theme.id, "theme": group.theme.label, "customer": person.customer,
                   "company": person.company, **{c: person.contacts.get(c, "") for c in columns},
                   "kinds": ", ".join(person.kinds), "quotes": len(person.quotes), "quote": first.text,
                   "at": where_said(first), "more_quotes": " | ".join(f"{q.text} ({where_said(q)})" for q in rest),
                   "quote_ids": " ".join(q.quote_id for q in person.quotes)}
            writer.writerow({k: v if k == "quotes" else safe(v) for k, v in row.items()})
    return out.getvalue()
