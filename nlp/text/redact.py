"""Personal data in displayed quote text replaced by typed placeholders: [EMAIL], [PHONE], [URL],
[CARD], [NAME]. Only what reports show is redacted; transcripts keep every word.

Emails (written, or spoken: "jo dot lee at acme dot com"), phone numbers (Google's libphonenumber
through `phonenumbers`), URLs that carry a token (a query string or a random-looking path part;
a bare "acme.com" is kept), card-like numbers that pass the Luhn check (python-stdnum), and
person names: spaCy's PERSON entities, given names from the US census lists (the `names`
package) written as proper nouns, names after a title (Ms, Dr) or in a person context ("my
colleague X", "X from support"), and the names the caller knows (participants.csv).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from typing import Iterable

PLACEHOLDER = {"EMAIL": "[EMAIL]", "PHONE": "[PHONE]", "URL": "[URL]", "CARD": "[CARD]", "NAME": "[NAME]"}
PLACEHOLDERS = re.compile("|".join(re.escape(p) for p in PLACEHOLDER.values()))
# Where two findings overlap, the earlier type here wins: an email is not also a name.
PRIORITY = ("EMAIL", "URL", "CARD", "PHONE", "NAME")
UNITS = {"KB", "MB", "GB", "TB", "TV", "PC", "OS", "UI", "HD", "SD", "USB", "GPS", "AM", "PM"}
OBJECT_PRONOUNS = {"it", "this", "that", "these", "those", "them"}
VERB_NAMES = {"love", "hope", "mark", "chase", "will", "may", "bill", "rob"}  # given names that are verbs too
PHONE_REGIONS = ("US", "GB", "DE", "FR", "IN", "AU")  # how national numbers without +CC are read
MIN_PHONE_DIGITS = 7  # shorter "possible" numbers are counts and versions ("15,000", "4.2.1")

TLD = r"(?:com|org|net|io|co|edu|gov|uk|de|fr|ca|au|in|info|biz|me|app|dev|ai|us|eu|nl|es|it|health)"
EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", re.UNICODE)
SPOKEN_EMAIL = re.compile(
    rf"\b[a-z0-9._-]+(?:\s+(?:dot|underscore)\s+[a-z0-9_-]+)*\s+at\s+[a-z0-9-]+(?:\s+dot\s+[a-z0-9-]+)*\s+dot\s+{TLD}\b",
    re.IGNORECASE)
URL = re.compile(rf"(?:https?://|www\.)[^\s<>\"']+|\b[\w-]+(?:\.[\w-]+)*\.{TLD}/[^\s<>\"']+", re.IGNORECASE)
# 13 to 19 digits, grouped by spaces or dashes, not part of a longer number ("1,234.56")
CARD = re.compile(r"(?<!\d)(?<!\d[.,])\d(?:[ -]?\d){12,18}(?!\d|[.,]\d)")
TITLES = {"mr", "mrs", "ms", "miss", "dr", "prof", "mx", "sir", "madam", "mister"}
# A capitalised word after one of these is a person: "my colleague Fatima", "named Derek".
PERSON_BEFORE = {"colleague", "manager", "boss", "rep", "representative", "admin", "ceo", "cto", "cfo", "coo", "vp",
                 "founder", "director", "lead", "assistant", "husband", "wife", "partner", "named", "called", "agent",
                 "coworker", "co-worker", "consultant", "engineer", "developer", "owner", "supervisor", "son",
                 "daughter", "friend", "guy", "lady", "thank", "thanks", "ask", "tell", "email", "emailed", "ping",
                 "cc", "dear", "hi", "hello"}
# ... and so is one before these: "Karen from accounting", "Emily and I", "Victoria handles".
TEAM_WORDS = {"support", "sales", "finance", "accounting", "it", "marketing", "hr", "legal", "ops", "operations",
              "procurement", "engineering", "your", "our", "the", "customer", "billing", "success", "product"}
PLACE_BEFORE = {"in", "at", "near", "around", "outside", "inside", "across"}
PLACE_AFTER = {"office", "offices", "branch", "site", "area", "region", "market", "store", "warehouse", "airport",
               "campus", "hq", "headquarters", "location", "clinic", "plant", "factory", "city", "county", "state"}
PRONOUNS = {"he", "she", "him", "her", "his", "hers", "himself", "herself"}
# Verbs whose subject is a person ("Raj left", "Yuki told me").
PERSON_VERBS = {"say", "tell", "ask", "think", "know", "promise", "complain", "explain", "mention", "love", "hate",
                "want", "hire", "email", "believe", "decide", "agree", "laugh", "join", "quit", "retire", "leave",
                "spend", "approve", "write", "feel", "wonder", "insist", "suggest", "recommend", "admit", "realize",
                "realise", "understand", "forget", "remember", "learn", "train", "teach", "sign", "attend"}
PERSON_VERBS_WITH_OBJECT = {"run", "manage", "handle", "lead", "own", "book", "build", "set", "do", "find", "send"}
DATE_WORDS = {"january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
              "november", "december", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"}


@dataclass(frozen=True)
class Pii:
    start: int
    end: int
    type: str

    @property
    def placeholder(self) -> str:
        return PLACEHOLDER[self.type]


@lru_cache(maxsize=1)
def given_names() -> frozenset[str]:
    """Lower-cased first names from the 1990 US census lists that ship with the `names` package."""
    found: set[str] = set()
    for name in ("dist.male.first", "dist.female.first"):
        text = resources.files("names").joinpath(name).read_text(encoding="utf-8")
        found.update(line.split()[0].lower() for line in text.splitlines() if line.strip())
    return frozenset(found)


def luhn_valid(digits: str) -> bool:
    from stdnum import luhn

    return luhn.is_valid(digits)


def url_has_token(url: str) -> bool:
    """A query string, or a path part that mixes letters and digits or is long: a share link, a
    session, a reset token. A plain page address is not personal."""
    rest = re.sub(r"^(?:https?://)?[^/?#]+", "", url)
    if "?" in rest or "=" in rest:
        return True
    parts = [p for p in re.split(r"[/#._-]", rest) if p]
    return any(len(p) >= 16 or (len(p) >= 6 and re.search(r"\d", p) and re.search(r"[a-zA-Z]", p)) for p in parts) or \
        any(len(p) >= 6 and p.isdigit() for p in parts)


def pattern_pii(text: str) -> list[Pii]:
    """Emails, URLs with tokens, Luhn-valid card numbers and phone numbers."""
    import phonenumbers

    found = [Pii(m.start(), m.end(), "EMAIL") for r in (EMAIL, SPOKEN_EMAIL) for m in r.finditer(text)]
    for m in URL.finditer(text):
        url = m.group().rstrip(".,;:!?)]}")
        if url_has_token(url):
            found.append(Pii(m.start(), m.start() + len(url), "URL"))
    for m in CARD.finditer(text):
        if luhn_valid(re.sub(r"\D", "", m.group())):
            found.append(Pii(m.start(), m.end(), "CARD"))
    for region in PHONE_REGIONS:
        for m in phonenumbers.PhoneNumberMatcher(text, region, leniency=phonenumbers.Leniency.POSSIBLE):
            inside_longer_number = re.search(r"\d[ -]?$", text[:m.start]) or re.match(r"[ -]?\d", text[m.end:])
            if sum(c.isdigit() for c in m.raw_string) >= MIN_PHONE_DIGITS and not inside_longer_number:
                found.append(Pii(m.start, m.end, "PHONE"))
    return found


def _unit_or_acronym(entity) -> bool:
    """A "person" glued to a number ("100GB": "GB") or a unit or device written in capitals ("TV", "PC";
    not initials such as "AJ", nor a handle such as "Jfk702": names may be written so)."""
    first = entity[0]
    before = entity.doc[first.i - 1] if first.i > 0 else None
    glued = before is not None and not before.whitespace_ and before.text[-1:].isdigit()
    return glued or (len(entity) == 1 and first.text in UNITS)


def _is_name_word(token) -> bool:
    return token.pos_ == "PROPN" and token.is_title and token.is_alpha


def _is_place(token, doc) -> bool:
    """"in Austin", "the Paris office", "in Phoenix and Charlotte", "on March 3"."""
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    if before is not None and before.lower_ in PLACE_BEFORE:
        return True
    if after is not None and after.lower_ in PLACE_AFTER:
        return True
    if token.lower_ in DATE_WORDS and (after is not None and after.like_num or before is not None and before.lower_ in ("on", "since", "until", "by")):
        return True
    return token.dep_ == "conj" and token.head.i != token.i and _is_name_word(token.head) and _is_place(token.head, doc)


def _in_person_context(token, doc) -> bool:
    """Said of a person whatever the word: after a title or a role ("Ms", "my colleague"), before
    "from support" or "and I", the subject of a verb only people do, or named by a later he/she."""
    before = doc[token.i - 1] if token.i > 0 else None
    after = doc[token.i + 1] if token.i + 1 < len(doc) else None
    two_after = doc[token.i + 2] if token.i + 2 < len(doc) else None
    if before is not None and (before.lower_.rstrip(".") in TITLES or before.lower_ in PERSON_BEFORE):
        return True
    if after is not None and two_after is not None and (
            after.lower_ == "from" and two_after.lower_ in TEAM_WORDS or after.lower_ == "and" and two_after.lower_ in ("i", "me")):
        return True
    if token.dep_ in ("nsubj", "nsubjpass"):
        verb = token.head
        if verb.lemma_ in PERSON_VERBS or verb.lemma_ in PERSON_VERBS_WITH_OBJECT and any(c.dep_ == "dobj" for c in verb.children):
            return True
        return any(t.lower_ in PRONOUNS for t in doc[token.i + 1:])
    return False


def name_pii(doc, known_names: Iterable[str] = ()) -> list[Pii]:
    """Person names in a spaCy doc (with NER and the parse)."""
    found = [Pii(e.start_char, e.end_char, "NAME") for e in doc.ents if e.label_ == "PERSON" and not _unit_or_acronym(e)]
    names = given_names()
    first_names = []
    for token in doc:
        if not _is_name_word(token) or token.ent_type_ in ("DATE", "TIME") or _is_place(token, doc):
            continue
        # A given name that is also a verb, acting on "it": "Love it", "Hope this helps" (the small
        # model tags such a capitalised verb PROPN); "Maria it works" keeps its name.
        after = doc[token.i + 1] if token.i + 1 < len(doc) else None
        if token.lower_ in VERB_NAMES and after is not None and after.lower_ in OBJECT_PRONOUNS \
                and token.ent_type_ != "PERSON" and not _in_person_context(token, doc):
            continue
        # The small model often calls a person GPE or ORG, so a given name counts whatever its entity
        # type; places are told apart by their context (_is_place).
        if token.lower_ in names or _in_person_context(token, doc):
            first_names.append(token)
    # "Mateo and Aisha": the conjunct of a name is a name too.
    found_ids = {t.i for t in first_names}
    for token in list(first_names):
        for other in [token.head, *token.conjuncts]:
            if other.i not in found_ids and _is_name_word(other) and not _is_place(other, doc):
                first_names.append(other)
                found_ids.add(other.i)
    for token in first_names:
        end = token
        while end.i + 1 < len(doc) and _is_name_word(doc[end.i + 1]) and doc[end.i + 1].ent_type_ in ("", "PERSON"):
            end = doc[end.i + 1]  # the surname after a given name
        found.append(Pii(token.idx, end.idx + len(end.text), "NAME"))
    text = doc.text
    for name in known_names:
        # The full name in any case; a part of it only as written ("Will", not "it will crash").
        found += [Pii(m.start(), m.end(), "NAME") for m in re.finditer(rf"\b{re.escape(name.strip())}\b", text, re.I)]
        for part in name.split():
            if len(part) >= 2:
                found += [Pii(m.start(), m.end(), "NAME") for m in re.finditer(rf"\b{re.escape(part)}\b", text)]
    return found


def resolve(found: list[Pii]) -> list[Pii]:
    """Non-overlapping findings in text order; of overlapping ones the higher priority, then the longer, wins."""
    ranked = sorted(found, key=lambda p: (PRIORITY.index(p.type), -(p.end - p.start), p.start))
    kept: list[Pii] = []
    for p in ranked:
        if all(p.end <= k.start or p.start >= k.end for k in kept):
            kept.append(p)
    return sorted(kept, key=lambda p: p.start)


def find_pii(doc, known_names: Iterable[str] = ()) -> list[Pii]:
    return resolve(pattern_pii(doc.text) + name_pii(doc, known_names))


def apply(text: str, spans: list[Pii]) -> str:
    for p in sorted(spans, key=lambda p: p.start, reverse=True):
        text = text[:p.start] + p.placeholder + text[p.end:]
    return text


def known_people(participant: dict[str, str], roles: dict[str, str], names: dict[str, str]) -> list[str]:
    """The names a recording's participants.csv row and speaker labels tell (speaker labels themselves,
    "SPEAKER_1", are not names): redacted wherever they are said."""
    people = [participant.get(k, "") for k in ("customer", "interviewer")] + list(names.values())
    return [p for p in people if p and p not in roles]


def redact_many(texts: list[str], nlp, known_names: Iterable[str] = ()) -> list[str]:
    """Each text with its personal data replaced by placeholders; `nlp` is a spaCy pipeline with NER."""
    known = [n for n in known_names if n]
    return redact_each(texts, nlp, [known] * len(texts))


def redact_each(texts: list[str], nlp, known_names: list[Iterable[str]]) -> list[str]:
    """redact_many with the names known in each text apart (one spaCy pass over all of them)."""
    return [apply(doc.text, find_pii(doc, [n for n in known if n])) for doc, known in zip(nlp.pipe(texts), known_names)]


def without_placeholders(text: str) -> str:
    """The text with what redaction put in place taken out: "[NAME] doesn't work" -> "doesn't work" (a
    placeholder says nothing of what a quote is about: theme keywords leave it out)."""
    if "[" not in text:
        return text
    return re.sub(r"\s+([,.;:!?])", r"\1", " ".join(PLACEHOLDERS.sub(" ", text).split()))
