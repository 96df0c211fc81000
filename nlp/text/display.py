"""What a reader sees of a quote: the customer's words without the fillers of speech ("um", "uh",
"you know", "like" as a filler, "I mean"). Only the displayed text is trimmed; the verbatim quote
and the transcript keep every word."""

from __future__ import annotations

import re

FILLER_WORDS = {"um", "umm", "uh", "uhh", "uhm", "erm", "er", "ah", "hmm", "mm", "mhm", "eh"}
# Two-word fillers, when they stand apart: "it's, you know, slow", "I mean, it works".
FILLER_PAIRS = {("you", "know"), ("i", "mean")}


DISCOURSE = {"yeah", "yes", "no", "so", "well", "okay", "ok", "and", "but", "right", "oh", "honestly"}


def _set_apart(first, last=None) -> bool:
    """Tokens first..last between commas, or with a comma on one side and the sentence's edge
    on the other."""
    last = last or first
    doc = first.doc
    before = doc[first.i - 1] if first.i > 0 else None
    after = doc[last.i + 1] if last.i + 1 < len(doc) else None
    open_left = before is None or before.text == "," or first.is_sent_start
    open_right = after is None or after.text in {",", ".", "!", "?", "..."}
    return (open_left or after is not None and after.text == ",") and open_right


def filler_indices(span) -> set[int]:
    """Doc indices of the filler tokens in a span and of the commas that set them apart."""
    doc = span.doc
    out: set[int] = set()
    for token in span:
        lower = token.lower_
        words: list[int] = []
        if lower in FILLER_WORDS:
            words = [token.i]
        elif lower == "like" and _set_apart(token):
            words = [token.i]  # "it's, like, slow"; not "I like it", "tools like Slack" or "like an hour"
        elif token.i + 1 < span.end and (lower, doc[token.i + 1].lower_) in FILLER_PAIRS \
                and _set_apart(token, doc[token.i + 1]) and not span.text.rstrip().endswith("?"):
            words = [token.i, token.i + 1]  # "..., you know, ..." but not "Do you know if ...?"
        if not words:
            continue
        out.update(words)
        following, preceding = words[-1] + 1, words[0] - 1
        comma_after = following < span.end and doc[following].text == ","
        if comma_after:
            out.add(following)
        # "is, um, really slow" -> "is really slow"; "Yeah, um, I think" keeps its comma.
        comma_before = preceding >= span.start and doc[preceding].text == ","
        if comma_before and (comma_after or following >= span.end or doc[following].is_punct) and \
                preceding - 1 >= span.start and doc[preceding - 1].lower_ not in DISCOURSE and doc[preceding - 1].pos_ != "INTJ":
            out.add(preceding)
    return out


def display_text(span) -> str:
    """The span's text without its fillers, spaced and capitalised as written."""
    skip = filler_indices(span)
    if not skip:
        return span.text.strip()
    parts: list[str] = []
    capitalise = False
    for token in span:
        if token.i in skip:
            capitalise = capitalise or token.is_sent_start or token.i == span.start
            if token.i - 1 in skip or not parts:
                continue
            if token.whitespace_ and parts and not parts[-1].endswith(" "):
                parts[-1] += " "  # keep the gap the removed word leaves between its neighbours
            continue
        if token.is_punct and token.text == "," and (not parts or parts[-1].rstrip().endswith(",")):
            continue
        text = token.text
        if capitalise and text[:1].isalpha():
            text = text[0].upper() + text[1:]
        capitalise = False
        parts.append(text + token.whitespace_)
    shown = re.sub(r"\s+([.,!?;:])", r"\1", "".join(parts)).strip()
    return re.sub(r",+(?=[.!?]|$)", "", shown)
