"""Feedback with no subject: "Great app!", "Love it", "Keep up the good work", "Useless". It says how
someone feels, not what about, so it is counted in a general-sentiment line instead of forming themes
that crowd out the subjects a team can act on.

A quote has no subject when every content word in it is either a mood word or a word for the
product as a whole or for using it. Mood words are VADER's sentiment lexicon (the tagger's
sentiment model), as adjectives, adverbs and interjections ("great", "easy", "useless", "thanks"),
plus a few verbs of liking ("love", "hate", "recommend") and the product failing as a whole ("Doesn't
work"). Nouns and verbs that VADER scores are subjects all the same ("crash", "problem", "lost",
"failed"), and so are qualities VADER does not score ("slow", "fast", "reliable"): those are what
themes are about. Mood words count however they are typed ("Awsome", "goood", "helpfull").

A theme is general sentiment when most of its quotes have no subject, or when its top keywords are
such words where they occur in its quotes (reviews gather by their mood even when some name a
subject: on 3,286 real app reviews the mood share alone left "Great app", 769 quotes, first).
"""

from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache

import numpy as np
from spacy.lang.en.stop_words import STOP_WORDS

from nlp.text.cue_words import BREAKDOWN_VERBS, PROBLEM_NOUNS
from nlp.themes.labels import parse_for_labels

# PROPN: the small parser takes a one-word review ("Excellent.", "Awesome") for a name.
MOOD_POS = {"ADJ", "ADV", "INTJ", "PROPN"}
LIKING = {"love", "like", "hate", "enjoy", "recommend", "thank", "thanks", "appreciate", "adore", "dislike", "fun",
          "addicted", "addicting", "addictive", "addict", "hooked"}
# Praise VADER's lexicon lacks, said as it says "useful", "helpful" and "easy" ("Very handy", "So convenient").
PRAISE_WORDS = {"handy", "convenient", "intuitive", "indispensable"}
# The product as a whole, its makers, and using it: no subject on their own.
WHOLE = {"app", "application", "apps", "product", "program", "software", "tool", "service", "thing", "stuff",
         "job", "work", "rating", "developer", "dev", "team", "guy", "people", "everyone", "life", "ever",
         "use", "keep", "get", "make", "go", "try", "want", "need", "say", "do", "be", "have", "time", "way",
         "anymore", "review", "rate", "wish", "hope", "please", "pls", "plz", "soon", "asap"}
# Asking for a fix, naming a problem or giving stars, where the quote names nothing but the product:
# a complaint or a rating with no subject ("Please fix this issue", "Fix it and you'll get 5 stars",
# "Just one star for trying", "Don't waste your time"); "Fix my top up", "Lag! Please fix" have one.
TROUBLE = {"fix", "problem", "issue", "patch", "waste", "star"}
CONTENT_POS = {"NOUN", "PROPN", "VERB", "ADJ", "ADV", "INTJ"}
# A breakdown is a subject however the parser tags it ("Lag!" as a name): what a team fixes.
BREAKDOWNS = (set(BREAKDOWN_VERBS) | set(PROBLEM_NOUNS)) - TROUBLE
SHARED_SUBJECT = 1 / 7  # a theme about something has a word that at least this share of its quotes say
MOOD_ONLY = 0.1         # ... and a theme of feelings at least this share of quotes that say nothing else


@lru_cache(maxsize=1)
def _lexicon() -> dict[str, float]:
    from nlp.text.tagger import _vader

    return _vader().lexicon


def _spellings(word: str) -> list[str]:
    """The word and what it may be a typing of: stretched ("goood", "sooo": runs of 3+ letters to 2 or
    1), a letter doubled ("verry", "usefull") or, from 6 letters on, missing or swapped ("awsome", "jelaous")."""
    forms = [word]
    if re.search(r"(.)\1\1", word):
        forms += [re.sub(r"(.)\1{2,}", r"\1\1", word), re.sub(r"(.)\1{2,}", r"\1", word)]
    if len(word) >= 4:  # a doubled letter typed once too many ("verry", "helpfull")
        forms += [word[:i] + word[i + 1:] for i in range(1, len(word)) if word[i] == word[i - 1]]
    if len(word) >= 6:  # shorter words are too near others for more ("hello", "hell"; "store", "sore")
        # Never at the first letter: "pinterest" is not "interest".
        forms += [word[:i] + word[i + 1] + word[i] + word[i + 2:] for i in range(1, len(word) - 1)]
        forms += [word[:i] + c + word[i:] for i in range(1, len(word) + 1) for c in "abcdefghijklmnopqrstuvwxyz"]
    return forms


@lru_cache(maxsize=65536)
def _in_lexicon(word: str) -> bool:
    lexicon = _lexicon()
    return any(form in lexicon for form in _spellings(word))


@lru_cache(maxsize=65536)
def _is_stop(word: str) -> bool:
    return any(form in STOP_WORDS for form in _spellings(word))


def _is_mood(token) -> bool:
    word, lemma = token.lower_, token.lemma_.lower()
    scored = token.pos_ in MOOD_POS and (_in_lexicon(word) or _in_lexicon(lemma) or word in PRAISE_WORDS)
    return (scored and not {word, lemma} & BREAKDOWNS) or lemma in LIKING or word in LIKING \
        or (lemma in TROUBLE and _names_only_the_product(token.doc))


def _names_only_the_product(doc) -> bool:
    """No noun in the quote but the product's or a complaint's own (checked apart from the stop list,
    which holds some words that name things: "my top up isn't working")."""
    return not any(t.pos_ in ("NOUN", "PROPN") and t.lemma_.lower() not in WHOLE | TROUBLE for t in doc)


def _fails_as_a_whole(token) -> bool:
    """"Doesn't work", "not working at all", "won't work anymore": the product failing, said of nothing in
    particular (VADER scores no mood in it), is a complaint with no subject."""
    doc = token.doc
    return token.lemma_.lower() == "work" and token.pos_ in ("VERB", "AUX") and \
        any(t.norm_ in ("not", "never") for t in doc[max(0, token.i - 3):token.i]) and _names_only_the_product(doc)


def subject_and_mood(doc) -> tuple[set[str], bool]:
    """A parsed quote's subject words (lemmas of the content words that are no mood, no word for the
    product as a whole and no stop word) and whether it carries a mood."""
    subjects: set[str] = set()
    mood = False
    for token in doc:
        word, lemma = token.lower_, token.lemma_.lower()
        if token.is_punct or token.is_space or token.like_num or token.pos_ not in CONTENT_POS:
            continue
        if _is_mood(token) or _fails_as_a_whole(token):
            mood = True
        elif not (token.is_stop or lemma in WHOLE or word in WHOLE or lemma in TROUBLE or _is_stop(word)):  # "verry"
            subjects.add(lemma)  # (a fix asked for or stars given beside a subject are the subject's mood)
    return subjects, mood


def has_no_subject(doc) -> bool:
    """True for a parsed quote that carries a mood and no subject (see the module's docstring)."""
    subjects, mood = subject_and_mood(doc)
    return mood and not subjects


def _no_subject(docs: list) -> np.ndarray:
    return np.array([has_no_subject(d) for d in docs], dtype=bool)


def general_mask(texts: list[str], nlp) -> np.ndarray:
    """-> bool per text: True where the text has a mood and no subject."""
    return _no_subject(parse_for_labels([texts], nlp)[0])


def keywords_are_moods(keywords: list[str], docs: list) -> bool:
    """True when these keywords (a theme's top ones) say only how its quotes feel: each word is, where
    it occurs in the quotes `docs`, mostly a mood word, or is a word for the product as a whole or a
    stop word, and one is a mood ("great app", "love", "easy use"; not "joke funny": a noun VADER
    scores is a subject, as in has_no_subject)."""
    seen: dict[str, list[bool]] = {}
    for doc in docs:
        for token in doc:
            for form in {token.lower_, token.lemma_.lower()}:
                seen.setdefault(form, []).append(_is_mood(token))
    mood = False
    for word in (w for k in keywords for w in k.split()):
        uses = seen.get(word, [])
        if uses and 2 * sum(uses) > len(uses):
            mood = True
        elif not (word in WHOLE or word.rstrip("s") in WHOLE or _is_stop(word)):
            return False
    return mood


def subjects_scattered(docs: list) -> bool:
    """True for a group of quotes that share no subject while some say only how they feel: its most
    common subject word is in fewer than SHARED_SUBJECT of them, and at least MOOD_ONLY have no subject.
    Real app reviews gather so by mood ("Pretty good top notch": 103 quotes, 39 % with no subject, the
    rest naming ideas, games, photos, weddings ...); a theme about something shares its word (every
    intent of the shared intent sets but chit-chat: "I don't know", "whatever")."""
    return _scattered([subject_and_mood(d) for d in docs])


def _scattered(counted: list[tuple[set[str], bool]]) -> bool:
    if not counted:
        return False
    common = Counter(w for subjects, _ in counted for w in subjects).most_common(1)
    shared = common[0][1] / len(counted) if common else 0.0
    mood_only = sum(mood and not subjects for subjects, mood in counted) / len(counted)
    return shared < SHARED_SUBJECT and mood_only >= MOOD_ONLY


def general_themes(docs: dict[int, object], members: list[list[int]], keywords: list[list[str]],
                   followed: list[bool] | None = None) -> list[bool]:
    """-> per theme, True for a group of feedback with no subject: most of its quotes have a mood and
    no subject, its top three keywords are moods (keywords_are_moods), or its quotes share no subject
    and some carry a mood alone (subjects_scattered). `docs`: the themed quotes parsed (parse_for_labels), by index.
    `followed`: per theme, whether it carries on a theme ranked in the last run: such a theme leaves the ranking
    only when most of its quotes have no subject. The other two tests look at the few words or quotes that a few
    quotes more or less can tip (on 1,000 real app reviews, "Used on countless occasions", 26 quotes, went to the
    general line by its keywords when 20 % more quotes arrived)."""
    out = []
    for theme, (ms, words) in enumerate(zip(members, keywords)):
        parsed = [docs[m] for m in ms]
        counted = [subject_and_mood(d) for d in parsed]
        no_subject = sum(mood and not subjects for subjects, mood in counted)
        borderline = not (followed and followed[theme]) and (keywords_are_moods(words[:3], parsed) or _scattered(counted))
        out.append(2 * no_subject > len(counted) or borderline)
    return out
