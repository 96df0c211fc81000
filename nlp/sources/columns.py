"""What each column of a feedback table is: free text, a title, the customer, a date, a segment.

Recognised by name and content, overridden per file pattern in voc.toml ([sources."pattern"]): text
columns hold free text (a survey's open questions, a ticket's body, a review); the customer column
says who wrote it (an email, a user, an account, a company); the date column when; every other
column with few enough values to group customers by (plan, region, NPS bucket, rating) is a
segment dimension.
"""

from __future__ import annotations

import fnmatch
import re
from dataclasses import dataclass, field

from nlp.settings import SourceSettings
from nlp.sources.tables import Table

MAX_SEGMENT_VALUES = 50   # more distinct values (ids, free text, amounts) do not group customers
TEXT_MIN_WORDS = 3.0      # mean words per filled cell of a free-text column recognised by content alone
CONTENT_SHARE = 0.8       # share of filled cells that must look like emails / dates

TEXT_NAME = re.compile(r"\b(text|comments?|feedback|reviews?|body|description|message|content|answers?|responses?|"
                       r"verbatim|notes?|remarks?|suggestions?|reason|improve|dislike|likes?|details?|problems?|"
                       r"issues?|requests?|complaints?|opinion|thoughts|question)\b")
TITLE_NAME = re.compile(r"^(title|subject|summary|headline|topic|(review|ticket|issue) (title|subject|summary))$")
CUSTOMER_NAMES = [  # most telling first
    re.compile(r"^(e ?mail|email address|(customer|user|contact|client|requester|reviewer) e ?mail)$"),
    re.compile(r"^(customer|client|respondent|requester|submitter|reviewer|author)( (id|name|number|no))?$"),
    re.compile(r"^(user|username|user ?id|user name|contact|contact name|from|name)$"),
    re.compile(r"^(account|account (id|name)|company|company name|organi[sz]ation|org|organi[sz]ation name)$"),
]
PERSON_COLUMN = re.compile(r"^(customer|client|respondent|requester|submitter|reviewer|author|user|contact)?"
                           r" ?(name|username|user name|from|author|reviewer|respondent)$")
DATE_NAME = re.compile(r"\b(date|time|timestamp|datetime|created|updated|submitted|posted|sent|received|opened|"
                       r"closed|when|day)\b")
EMAIL = re.compile(r"^[\w.+-]+@[\w-]+(\.[\w-]+)+$")
DATE_LIKE = re.compile(r"\d{4}-\d{1,2}-\d{1,2}|\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}|\b(jan|feb|mar|apr|may|jun|jul|aug|sep|"
                       r"oct|nov|dec)[a-z]*\.? \d|\d \b(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)|^\d{10}(\d{3})?$",
                       re.I)


class NoTextColumn(ValueError):
    """No column of the table holds free text; the message lists the columns and the key to set."""


@dataclass
class Roles:
    text: list[str]
    title: str | None = None
    customer: str | None = None
    customer_is_person: bool = False  # the customer column holds people's names (redacted like names)
    date: str | None = None
    segments: list[str] = field(default_factory=list)
    ignored: dict[str, str] = field(default_factory=dict)  # column -> why it is left out


def normal(name: str) -> str:
    """'What should we improve?' -> 'what should we improve?'; 'Created_At' -> 'created at'."""
    return " ".join(re.sub(r"[^0-9a-z?]+", " ", name.lower()).split())


def config_for(name: str, sources: dict[str, SourceSettings]) -> SourceSettings:
    """The [sources."pattern"] settings for an inbox path (relative, with '/'; a sheet as 'book.xlsx#Sheet'):
    every matching pattern, in the order voc.toml lists them, later keys winning. A pattern without
    '/' also matches the file name alone."""
    merged: dict = {}
    base = name.rsplit("/", 1)[-1]
    for pattern, config in sources.items():
        if fnmatch.fnmatchcase(name, pattern) or ("/" not in pattern and fnmatch.fnmatchcase(base, pattern)):
            merged.update(config.model_dump(exclude_unset=True))
    return SourceSettings(**merged)


def _filled(table: Table, index: int) -> list[str]:
    return [v for v in (str(row[index]).strip() for row in table.rows) if v]


def _share(values: list[str], test) -> float:
    return sum(1 for v in values if test(v)) / len(values) if values else 0.0


def is_free_text(values: list[str]) -> bool:
    """Many different values of several words each, mostly letters: what people wrote, not a category."""
    if not values:
        return False
    words = sum(len(v.split()) for v in values) / len(values)
    distinct = len(set(values)) / len(values)
    letters = sum(c.isalpha() for v in values for c in v) / max(1, sum(len(v) for v in values))
    return words >= TEXT_MIN_WORDS and distinct >= 0.5 and letters >= 0.5


def _lookup(columns: list[str], wanted: str, key: str, path_name: str) -> str:
    """A configured column name, matched without regard to case and spacing."""
    for column in columns:
        if normal(column) == normal(wanted):
            return column
    raise NoTextColumn(f"has no column {wanted!r} (set as `{key}` in voc.toml for {path_name}); its columns are: "
                       f"{', '.join(columns)}")


def detect_roles(table: Table, config: SourceSettings | None = None) -> Roles:
    """Each column's role; raises NoTextColumn when no column holds free text."""
    config = config or SourceSettings()
    columns = table.columns
    values = {c: _filled(table, i) for i, c in enumerate(columns)}
    names = {c: normal(c) for c in columns}
    ignored = {_lookup(columns, c, "ignore", table.name): "left out in voc.toml" for c in config.ignore}
    taken = set(ignored)

    def pick(key: str, configured: str | None, guess) -> str | None:
        column = _lookup(columns, configured, key, table.name) if configured else guess()
        if column:
            taken.add(column)
        return column

    def guess_customer() -> str | None:
        free = [c for c in columns if c not in taken and values[c]]
        emails = [c for c in free if _share(values[c], EMAIL.match) >= CONTENT_SHARE]
        if emails:
            return emails[0]
        for pattern in CUSTOMER_NAMES:
            for c in free:
                if pattern.match(names[c]):
                    return c
        return None

    def guess_date() -> str | None:
        free = [c for c in columns if c not in taken and values[c]]
        named = [c for c in free if DATE_NAME.search(names[c])]
        dated = [c for c in named + free if _share(values[c][:500], DATE_LIKE.search) >= CONTENT_SHARE]
        return (dated or named or [None])[0]

    def guess_title() -> str | None:
        return next((c for c in columns if c not in taken and TITLE_NAME.match(names[c]) and values[c]), None)

    customer = pick("customer", config.customer, guess_customer)
    date = pick("date", config.date, guess_date)
    title = pick("title", config.title, guess_title)
    if config.text:
        text = [_lookup(columns, c, "text", table.name) for c in config.text]
    else:
        free = [c for c in columns if c not in taken]
        named = [c for c in free if (TEXT_NAME.search(names[c]) or names[c].endswith("?"))
                 and values[c] and sum(len(v.split()) for v in values[c]) / len(values[c]) >= 1.5]
        text = named or [c for c in free if is_free_text(values[c])]
    if not text:
        raise NoTextColumn(
            f"has no column of free text that voc recognises (columns: {', '.join(columns) or 'none'}); name the "
            f"text column(s) in voc.toml, e.g. [sources.\"{table.name}\"] text = [\"{columns[0] if columns else 'Comment'}\"]")
    taken.update(text)
    if config.segments is not None:
        segments = [_lookup(columns, c, "segments", table.name) for c in config.segments]
    else:
        segments = []
        for c in columns:
            if c in taken:
                continue
            distinct = len(set(values[c]))
            if not distinct:
                ignored[c] = "empty"
            elif distinct > MAX_SEGMENT_VALUES:
                ignored[c] = (f"{distinct} different values, too many to group customers by; list it under "
                              "`segments` in voc.toml to keep it")
            else:
                segments.append(c)
    person = bool(customer and not config.customer and PERSON_COLUMN.match(names[customer])
                  and _share(values[customer], lambda v: "@" not in v and not any(ch.isdigit() for ch in v)) >= 0.9)
    return Roles(text, title, customer, person, date, segments, ignored)


CHANNEL_WORDS = {
    "survey": ("survey", "nps", "csat", "ces", "questionnaire", "poll", "typeform", "qualtrics", "surveymonkey"),
    "ticket": ("ticket", "tickets", "support", "zendesk", "intercom", "freshdesk", "helpdesk", "helpscout", "case",
               "cases", "jira"),
    "review": ("review", "reviews", "appstore", "playstore", "g2", "capterra", "trustpilot", "yelp", "ratings"),
    "interview": ("interview", "interviews"),
}


def recording_channel(name: str, sources: dict[str, SourceSettings]) -> str:
    """A recording or transcript is an interview, unless voc.toml's [sources."pattern"] says otherwise."""
    return (config_for(name, sources).channel or "interview").strip().lower()


def guess_channel(name: str, columns: list[str]) -> str:
    """The channel a table comes from: by the words of its path, then by its columns; else "feedback"."""
    words = set(re.split(r"[^a-z0-9]+", name.lower()))
    for channel, hints in CHANNEL_WORDS.items():
        if words & set(hints):
            return channel
    names = [normal(c) for c in columns]
    if any(n.endswith("?") or re.search(r"\b(nps|csat|score|recommend)\b", n) for n in names):
        return "survey"
    if any(re.search(r"\b(priority|ticket|subject|status|assignee|agent)\b", n) for n in names):
        return "ticket"
    if any(re.search(r"\b(rating|stars?|app version)\b", n) for n in names):
        return "review"
    return "feedback"
