"""Names for themes: 5-8 keywords by c-TF-IDF, and a short human label, the noun phrase from the
theme's most central quotes that best carries those keywords ("single sign-on", "slow dashboards")."""

from __future__ import annotations

import re
from collections import Counter
from os.path import commonprefix
from typing import NamedTuple

import numpy as np

from nlp.text.redact import without_placeholders  # what redaction put in a quote's place names no subject
from nlp.themes.vectors import UNTHEMED

KEYWORDS = 8
LABEL_SAMPLE = 40  # quotes nearest the centroid parsed for label candidates (parsing is most of the labelling time)
# What the keyword tokenizer leaves of "didn't", "we've", "won't": fragments, never keywords.
CONTRACTION_STEMS = {"aren", "couldn", "didn", "doesn", "don", "hadn", "hasn", "haven", "isn", "ll", "mightn",
                     "mustn", "needn", "re", "shan", "shouldn", "ve", "wasn", "weren", "won", "wouldn"}
# Words at a phrase's edge that carry no topic ("my card", "any fees", "won't ... work", "many fees").
# spaCy's stop list alone would also drop content words it lists ("top ups", "full refund", "front page").
FUNCTION_POS = {"ADP", "AUX", "CCONJ", "DET", "NUM", "PART", "PRON", "SCONJ"}
CONTENT_POS = {"NOUN", "PROPN", "ADJ", "VERB"}
# Marks a label never shows: brackets and quotes belong to the sentence the phrase came from.
STRAY_MARKS = set('[](){}<>"\u201c\u201d\u2018`|*#')
# A face typed into a word ("it:0", "great:)", "app;-)"): the sentence's mood, no part of a name.
EMOTICON = re.compile(r"(?<!\d)[:;=]-?(?:[()dDpPoO0/\\|\]\[*]|$)")  # also a face the tokenizer cut ("app;-", ")")
PARTICLES = {"through", "out", "up", "off", "back", "in", "down", "away", "on", "over"}
# Verbs that say nothing of their object: "have the Dropbox app", "had a relaxing day" name only the object.
LIGHT_VERBS = {"have", "be", "do"}
QUANTIFIERS = {"enough", "few", "less", "least", "many", "more", "most", "much", "other", "own", "same", "several",
               "such", "various"}


def keywords_by_cluster(texts: list[str], labels: np.ndarray, top: int = KEYWORDS) -> dict[int, list[str]]:
    """c-TF-IDF: terms frequent in one theme's quotes and rare in the others."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, CountVectorizer

    ids = sorted(set(labels.tolist()) - {UNTHEMED})
    if not ids:
        return {}
    docs = [without_placeholders(" ".join(t for t, l in zip(texts, labels) if l == i)) for i in ids]
    vectorizer = CountVectorizer(stop_words=sorted(ENGLISH_STOP_WORDS | CONTRACTION_STEMS), ngram_range=(1, 2),
                                 token_pattern=r"(?u)\b[a-zA-Z][a-zA-Z-]+\b")
    try:
        counts = vectorizer.fit_transform(docs).toarray().astype(float)
    except ValueError:  # only stop words in every theme
        return {i: [] for i in ids}
    terms = vectorizer.get_feature_names_out()
    tf = counts / np.maximum(counts.sum(axis=1, keepdims=True), 1)
    avg_words = counts.sum() / len(ids)
    idf = np.log(1 + avg_words / np.maximum(counts.sum(axis=0), 1))
    scores = tf * idf
    out = {}
    for row, cid in enumerate(ids):
        ranked = [terms[j] for j in np.lexsort((terms, -scores[row])) if counts[row, j] > 0]
        chosen: list[str] = []
        for term in ranked:  # skip a unigram already inside a chosen bigram, and vice versa
            if any(term in c.split() or c in term.split() for c in chosen):
                continue
            chosen.append(term)
            if len(chosen) == top:
                break
        out[cid] = chosen
    return out


def _phrase_tokens(span) -> list:
    """A noun chunk's tokens without stop words, pronouns or punctuation at its edges; hyphenated
    words stay whole, including a tail that spaCy leaves outside the chunk ("single sign-on")."""
    doc = span.doc
    end = span.end
    while end + 1 < len(doc) and doc[end].text == "-" and not doc[end - 1].whitespace_ and not doc[end].whitespace_:
        end += 2
    groups: list[list] = []  # words: hyphen-joined tokens form one
    for t in doc[span.start:end]:
        glued = groups and not groups[-1][-1].whitespace_ and (t.text == "-" or groups[-1][-1].text == "-")
        if glued:
            groups[-1].append(t)
        else:
            groups.append([t])

    def drop(group) -> bool:
        word = group[0]
        no_topic = word.pos_ not in CONTENT_POS or word.lower_ in QUANTIFIERS
        return len(group) == 1 and (word.is_punct or word.pos_ in FUNCTION_POS or (word.is_stop and no_topic))

    while groups and drop(groups[0]):
        groups.pop(0)
    while groups and drop(groups[-1]):
        groups.pop()
    return [t for g in groups for t in g]


def _cased(token) -> str:
    """Lower case, except words cased inside (acronyms and brands: "ATMs", "SSO", "iOS"); a word
    written all in capitals is shouted, not an acronym, when it is long or a common word ("HORRIBLE
    UPDATE", "MAKE"; "PDF", "GPS" stay)."""
    text = token.text
    shouted = text.isupper() and (len(text) > 4 or token.is_stop)
    return text if any(c.isupper() for c in text[1:]) and not shouted else text.lower()


def _candidates(doc):
    """(leading verb or None, noun phrase tokens): every noun chunk, and each verb with the chunk
    it acts on ("activate" + "card"), since many themes are about doing something."""
    for phrase in _phrases(doc):
        if phrase.relation == "chunk":
            yield None, phrase.tokens
        elif phrase.relation in ("dobj", "obj") and phrase.in_chunk and not phrase.verb.is_stop:
            yield phrase.verb, phrase.object


def central(vectors: np.ndarray, centroid: np.ndarray) -> list[int]:
    """The rows of the LABEL_SAMPLE quotes nearest the theme's centroid, nearest first."""
    return np.argsort(-(vectors @ centroid), kind="stable")[:LABEL_SAMPLE].tolist()


def central_texts(texts: list[str], vectors: np.ndarray, centroid: np.ndarray) -> list[str]:
    """The texts of those quotes (see central)."""
    return [texts[i] for i in central(vectors, centroid)]


def parse_for_labels(groups: list[list[str]], nlp) -> list[list]:
    """Each group of texts parsed (one pass over all of them, without the entity recogniser)."""
    flat = [t for g in groups for t in g]
    disable = [name for name in ("ner",) if name in nlp.pipe_names]
    docs = iter(nlp.pipe(flat, batch_size=256, disable=disable))
    return [[next(docs) for _ in g] for g in groups]


def label_from_docs(docs: list, keywords: list[str]) -> str:
    """The noun phrase of the theme's central quotes (parsed) that best carries its keywords,
    counted by lemma ("dashboards" and "dashboard" are one candidate); failing that, its top keywords."""
    weights = {k: len(keywords) - i for i, k in enumerate(keywords)}
    quotes_with: Counter[str] = Counter()  # lemma phrase -> quotes that contain it
    surfaces: dict[str, Counter[str]] = {}
    words_of: dict[str, set[str]] = {}
    for doc in docs:
        seen = set()
        for lead, tokens in _candidates(doc):
            if not _clean(tokens):
                continue
            surface = " ".join(filter(None, [lead.lemma_.lower() if lead is not None else "",
                                             "".join(_cased(t) + t.whitespace_ for t in tokens).strip()]))
            if not tokens or len(tokens) > 5 or not re.search("[a-zA-Z]", surface):
                continue
            lemma = " ".join(t.lemma_.lower() for t in ([lead] if lead is not None else []) + tokens)
            surfaces.setdefault(lemma, Counter())[surface] += 1
            words = words_of.setdefault(lemma, set())
            words.update(w for t in tokens + ([lead] if lead is not None else []) for w in (t.text.lower(), t.lemma_.lower()))
            words.update(surface.split())
            seen.add(lemma)
        quotes_with.update(seen)

    def score(lemma: str) -> float:
        words = words_of[lemma]
        hit = sum(w for k, w in weights.items() if set(k.split()) <= words)
        return hit * quotes_with[lemma] / (1 + 0.3 * len(lemma.split()))

    best = max(sorted(quotes_with), key=lambda p: (score(p), quotes_with[p]), default="")
    if best and score(best) > 0:
        label = max(sorted(surfaces[best]), key=lambda s: surfaces[best][s])
        label = hyphenated_whole(label, [doc.text for doc in docs])
    else:
        label = fallback_label(keywords)
    return label[:1].upper() + label[1:]


def distinct_labels(labels: list[str], keywords: list[list[str]]) -> list[str]:
    """Themes that would share a label are told apart by each one's best keyword not already in it:
    three themes called "ATM" read "ATM: withdraw", "ATM: swallowed", "ATM: fee"."""
    counts = Counter(label.lower() for label in labels)
    out = []
    for label, words in zip(labels, keywords):
        if counts[label.lower()] > 1:
            taken = label.lower().replace("-", " ").split()
            fresh = ([w for w in k.split() if not all(_in_words(part, taken) for part in w.split("-"))] for k in words)
            extra = next((" ".join(f) for f in fresh if f), None)  # "card arrived" beside "New card": "arrived"
            label = f"{label}: {extra}" if extra else label
        out.append(label)
    return out


def _in_words(word: str, words: list[str]) -> bool:
    """`word` or a form of it ("withdrawing" of "withdrawal", "cards" of "card") is among `words`."""
    return any(len(commonprefix([word, w])) >= max(4, min(len(word), len(w)) - 3) or word == w for w in words)


def fallback_label(keywords: list[str]) -> str:
    """The top keyword, with the next one where it adds words: "transfer pending", never
    "transfer pending pending transfer"."""
    if not keywords:
        return "Miscellaneous"
    words = keywords[0].split()
    if len(words) == 1 and len(keywords) > 1 and not any(_in_words(w, words) for w in keywords[1].split()):
        words += keywords[1].split()
    return " ".join(words)


def hyphenated_whole(phrase: str, texts: list[str]) -> str:
    """"single sign" -> "single sign-on" where the quotes write it so: spoken "single sign on" parses
    as the chunk "single sign", and spaCy often leaves a hyphenated word out of its noun chunks."""
    tails = Counter(m.group(1).lower() for t in texts
                    for m in re.finditer(rf"\b{re.escape(phrase)}-(\w+)", t, flags=re.IGNORECASE))
    return f"{phrase}-{max(sorted(tails), key=tails.__getitem__)}" if tails else phrase


# --- Labels chosen in the embedding space (KeyBERT-style): among the phrases the theme's central
# quotes contain, the one that sits nearest the theme's centroid and farther from every other theme's.

LABEL_WORDS = (2, 5)  # a label a PM would write: "Change PIN", "Card not arriving", "Export to Excel"
KEEP_AMONG = 5  # a theme keeps last run's label while it is among its best this many candidates


def phrase_candidates(docs: list) -> Counter:
    """Phrases of 1-5 words in the parsed quotes, as written, counted once per quote: noun phrases,
    a verb with its particle ("top up"), with what it acts on ("activate card") or through a
    preposition ("transfer to account"), and a subject with its negated verb ("card not arriving")."""
    counts: Counter[str] = Counter()
    # a noun made of a verb and its particle that some quotes write hyphenated ("top-up") and others apart ("my top
    # up is not completing", where the parse keeps "top" alone): the phrase takes it whole
    written = {m.group(0).lower() for doc in docs for m in re.finditer(rf"\b[a-z]+-(?:{'|'.join(PARTICLES)})\b", doc.text, re.I)}
    for doc in docs:
        seen = set()
        for phrase in _phrases(doc):
            if not _clean(phrase.tokens):
                continue
            # "card not arrived", "app not worked" read as a PM writes them: "card not arriving"
            said = {phrase.verb.i: gerund(phrase.verb)} if phrase.relation == "neg" else {}
            inside = {t.i for t in phrase.tokens}
            said.update({t.i: f"{_word(t)}-{doc[t.i + 1].lower_}" for t in phrase.tokens
                         if t.i + 1 < len(doc) and t.i + 1 not in inside and f"{t.lower_}-{doc[t.i + 1].lower_}" in written})
            # "tomorrow 's alarm" as written: "tomorrow's alarm"
            words = re.sub(r" (['\u2019]s?)(?= |$)", r"\1", " ".join(said.get(t.i) or _word(t) for t in phrase.tokens)
                           .replace(" - ", "-")).split()
            # a word said twice over ("Pinterest Pinterest", a review's title and its first word) is said once
            words = [w for i, w in enumerate(words) if i == 0 or w.lower() != words[i - 1].lower()]
            if 0 < len(words) <= LABEL_WORDS[1] and any(re.search("[a-zA-Z]", w) for w in words):
                seen.add(" ".join(words))
        counts.update(seen)
    return counts


class Phrase(NamedTuple):
    tokens: list            # the phrase's words in order
    relation: str           # "chunk" (a noun chunk), "prt", a verb's object ("dobj", "obj", "attr"), "prep", "neg"
    verb: object = None     # the verb it is built on, if any
    object: list = []       # what the verb acts on (its object's noun chunk, trimmed)
    in_chunk: bool = False  # the object is a noun chunk (not a lone word)


def _phrases(doc):
    """The one walk over a parsed quote's noun chunks and verbs: each noun chunk, a verb with its
    particle, with what it acts on or through a preposition, a subject with its negated verb."""
    chunks = list(doc.noun_chunks)

    def chunk_at(token):
        return next((c for c in chunks if c.start <= token.i < c.end), None)

    def chunk_of(token) -> list:
        chunk = chunk_at(token)
        return _phrase_tokens(chunk) if chunk is not None else ([token] if token.pos_ in CONTENT_POS else [])

    for chunk in chunks:
        yield Phrase(_phrase_tokens(chunk), "chunk")
    for verb in doc:
        if verb.pos_ != "VERB":
            continue
        # its particle, also where the parser takes it for a preposition with no object ("gone through")
        head = [verb] + [c for c in verb.children if c.dep_ == "prt" or (
            c.i == verb.i + 1 and c.lower_ in PARTICLES and c.dep_ in ("prep", "advmod") and not any(c.children))]
        if len(head) > 1:
            yield Phrase(head, "prt", verb)
        for child in verb.children:
            if child.dep_ in ("dobj", "obj", "attr") and verb.lemma_.lower() not in LIGHT_VERBS:
                acted_on = chunk_of(child)
                yield Phrase(head + acted_on, child.dep_, verb, acted_on, chunk_at(child) is not None)
            elif child.dep_ == "prep":
                # a preposition whose object says nothing ("elaborate to me", "matter to me") ends no phrase
                for acted_on in filter(None, (chunk_of(o) for o in child.children if o.dep_ == "pobj")):
                    yield Phrase(head + [child] + acted_on, "prep", verb)
            elif child.dep_ == "nsubj" and any(c.dep_ == "neg" for c in verb.children):
                subject = chunk_of(child)
                if subject:
                    yield Phrase(subject + [next(c for c in verb.children if c.dep_ == "neg")] + head, "neg", verb)


def _clean(tokens: list) -> bool:
    """No stray marks, no face typed into a word and no redaction placeholder ("[NAME]" parses as "[", "NAME", "]")."""
    doc = tokens[0].doc if tokens else None
    for t in tokens:
        if t.text in STRAY_MARKS or EMOTICON.search(t.text) or \
                (0 < t.i < len(doc) - 1 and doc[t.i - 1].text == "[" and doc[t.i + 1].text == "]"):
            return False
    return True


def gerund(verb) -> str:
    """The -ing form of a verb token, from its lemma: "arrive" -> "arriving", "stop" -> "stopping"."""
    lemma = verb.lemma_.lower()
    if not lemma.isalpha() or lemma in ("be", "have", "do"):
        return _word(verb)
    if lemma.endswith("ie"):
        return lemma[:-2] + "ying"
    if lemma.endswith("e") and not lemma.endswith(("ee", "ye", "oe")) and len(lemma) > 2:
        return lemma[:-1] + "ing"
    vowels = re.findall(r"[aeiou]+", lemma)
    if len(vowels) == 1 and re.search(r"[^aeiou][aeiou][bdgklmnprt]$", lemma):  # one syllable: "stop", "run", "get"
        return lemma + lemma[-1] + "ing"
    return lemma + "ing"


def _word(token) -> str:
    """A word as written (lower case, acronyms and brands kept); a negation as "not"."""
    return "not" if token.dep_ == "neg" else _cased(token)


def choose_labels(candidates: list[Counter], centroids: np.ndarray, encode, fallbacks: list[str],
                  last: list[str | None] | None = None) -> list[str]:
    """One label per theme: the candidate phrase (2-5 words where possible) whose embedding is nearest the theme's centroid and
    farthest beyond its nearest other theme's (relevance + margin over the closest rival). Themes
    without candidates keep their fallback. Labels are distinct: a theme whose best phrase another
    theme holds more strongly takes its own next one. `last` (per theme, the label it had in the last
    run, or None): a theme keeps it while it is still among its KEEP_AMONG best candidates, so a
    theme a PM follows night to night is not renamed for a near tie."""
    phrases = sorted({p for c in candidates for p in c})
    if not phrases or len(centroids) == 0:
        return fallbacks
    vectors = encode(phrases)
    sims = vectors @ centroids.T  # phrase x theme
    row = {p: i for i, p in enumerate(phrases)}
    ranked: list[list[tuple[float, str]]] = []
    for theme, counts in enumerate(candidates):
        pool = _preferred(counts)
        others = np.delete(sims[[row[p] for p in pool]], theme, axis=1) if pool else np.zeros((0, 0))
        rival = others.max(axis=1) if others.size else np.zeros(len(pool))
        own = sims[[row[p] for p in pool], theme] if pool else np.zeros(0)
        ranked.append(sorted(zip((2 * own - rival).tolist(), pool), key=lambda sp: (-sp[0], sp[1])))
    out = list(fallbacks)
    taken: set[str] = set()
    # Strongest claims first: a phrase goes to the theme it names best.
    for theme in sorted(range(len(ranked)), key=lambda t: (-(ranked[t][0][0] if ranked[t] else -9), t)):
        kept = (last[theme] or "").lower() if last else ""
        best = [p for _, p in ranked[theme] if p.lower() not in taken]
        choice = next((p for p in best[:KEEP_AMONG] if p.lower() == kept), best[0] if best else None)
        if choice:
            out[theme] = choice[:1].upper() + choice[1:]
        taken.add(out[theme].lower())
    return out


def _preferred(counts: Counter) -> list[str]:
    """The candidates worth naming a theme by: 2-5 words long, as far as the theme has such phrases
    (one word says too little: "Card", "Transfer")."""
    pool = sorted(counts)
    longer = [p for p in pool if len(p.split()) >= LABEL_WORDS[0]]
    return longer or pool
