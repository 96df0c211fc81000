"""A text as the tagger reads it: what says nothing of its kind taken off (a list item's bullet, the addressees,
greeting and links of a post), and a shouted text or a camel-case hashtag put as written."""

from __future__ import annotations

import re

# A bullet opening a list item ("- add a copy button", "* Add support for MKV"): read without it, the item opens
# on its verb as the sentence it is. (Numbered items are mostly the steps of an instruction, "2. Click Preferences":
# the number keeps them from reading as imperatives.)
LIST_MARKER = re.compile(r"^\s*[-*\u2022\u00b7\u2023\u25aa\u2013\u2014]\s+")


# Whom a post is addressed to ("@AcmeHelp @jo ...", ".@airline ...") and the links in it say nothing of its kind, but
# read as words they hide the sentence's opening verb and tip the parse: with "@AcmeSupport " put before each text of
# the shared feedback, request F1 fell 0.640 -> 0.552 on the product forum's feature requests.
ADDRESSEES = re.compile(r"^\s*(?:RT\s+)?\.?(?:@\w+[\s,:]*)+")
LINK = re.compile(r"\s*\b(?:https?://|www\.)\S+")
# So does the greeting a ticket or an email opens with ("Hi team,", "Hello there!", "Dear support,"): up to three
# words, then its punctuation.
GREETING = re.compile(r"^\s*(?:hi|hello|hey|hiya|dear|greetings|good (?:morning|afternoon|evening))\b(?:[ \t]+[\w.'-]+){0,3}"
                      r"[ \t]*[,!:;]+\s*", re.IGNORECASE)


# A text shouted in capitals ("APP KEEPS CRASHING, FIX IT") is tagged by spaCy as a string of proper nouns, so
# no verb, no imperative and no lemma matches: read in lower case, its sentences' first letters and "I" restored.
SHOUTED_SHARE = 0.5   # of a text's words in capitals, past which it is shouted rather than naming acronyms
WORD = re.compile(r"[A-Za-z][A-Za-z']+")
SENTENCE_OPENING = re.compile(r"(^|[.!?]\s+)([a-z])")
LONE_I = re.compile(r"\bi\b(?=$|[\s,.!?']|['\u2019][a-z])")


def unshouted(text: str) -> str:
    words = WORD.findall(text)
    if len(words) < 2 or sum(w.isupper() for w in words) < SHOUTED_SHARE * len(words):
        return text
    text = WORD.sub(lambda m: m.group().lower() if m.group().isupper() else m.group(), text)
    text = LONE_I.sub("I", text)
    return SENTENCE_OPENING.sub(lambda m: m.group(1) + m.group(2).upper(), text)


# A hashtag written in camel case says its words ("#NeverAgain", "#CustomerServiceFail"): read them apart.
CAMEL_HASHTAG = re.compile(r"#((?:[A-Z][a-z]+){2,})\b")
CAMEL_WORD = re.compile(r"[A-Z][a-z]+")


# A forum that strips apostrophes writes "Id like", "Itd be great": spaCy reads "Id" as a name and loses the wish
# ("dont", "cant", "wouldnt" it splits itself).
UNMARKED_WOULD = re.compile(r"\b([Ii]|[Ii]t|[Ww]e|[Tt]hey|[Yy]ou)d(?=\s+(?:like|love|rather|prefer|appreciate|want|be|have|"
                            r"suggest|recommend|say|think|hope|need|also|really|definitely|probably|certainly|still|never|not)\b)")


def reading(text: str) -> str:
    """A text as the tagger reads it: without a list item's bullet, the addressees or the greeting it opens with,
    or its links, and not shouted."""
    read = text
    for pattern in (ADDRESSEES, GREETING, LIST_MARKER, LINK):  # each kept where it is all there is ("Hi," alone)
        read = pattern.sub("", read).strip() or read
    read = CAMEL_HASHTAG.sub(lambda m: "#" + " ".join(w.lower() for w in CAMEL_WORD.findall(m.group(1))), read)
    read = UNMARKED_WOULD.sub(r"\1'd", read)
    return unshouted(read)
