"""Domain-independent features of what a customer said, for the learned heads that
bench/tagger_loso.py --heads compares with the tagger: how a sentence is built rather than what it
is about (mood, modals of wish and obligation, negation and failing actions, comparison, question
form, person, tense, length, the cue counts of nlp/text/cues.py, VADER's polarity), from the spaCy doc
of nlp.text.tagger.load_pipeline. (The heads measured worse than the tagger, so nothing in nlp/ uses
these.)"""

from __future__ import annotations

import math

import numpy as np

from nlp.text import cues

CUE_LABELS = sorted(cues.PATTERNS)
WISH = {"wish", "hope", "want", "like", "love", "prefer", "need", "require", "suggest", "recommend", "request"}
OBLIGATION = {"should", "must", "ought", "shall"}
CONDITIONAL = {"would", "could", "might"}
COMPARISON = {"than", "instead", "rather", "better", "worse", "more", "less", "enough", "too", "only", "still"}
FIRST_SINGULAR = {"i", "me", "my", "mine", "myself"}
FIRST_PLURAL = {"we", "us", "our", "ours"}
SECOND = {"you", "your", "yours", "u"}
WH = {"WDT", "WP", "WP$", "WRB"}
NAMES = (
    [f"cue:{label}" for label in CUE_LABELS]
    + ["imperative", "imperative_share", "please", "wish", "obligation", "conditional", "if", "negation",
       "negated_action", "comparison", "comparative_tag", "question_mark", "ends_question", "wh_start",
       "aux_start", "exclamation", "first_singular", "first_plural", "second", "past", "present", "future",
       "modal", "words", "sentences", "digits", "vader_neg", "vader_neu", "vader_pos", "vader_compound"]
)


def _log(n: float) -> float:
    return math.log1p(n)


def features(doc, polarity: dict[str, float]) -> np.ndarray:
    """One row of len(NAMES) floats for a parsed text (counts as log1p, shares in 0..1)."""
    counts = doc.user_data.get("cue_counts", {})
    tokens = [t for t in doc if not t.is_space]
    lowers = [t.lower_ for t in tokens]
    norms = [t.norm_ for t in tokens]
    lemmas = [t.lemma_.lower() for t in tokens]
    tags = [t.tag_ for t in tokens]
    sentences = list(doc.sents) or [doc]
    imperative = 0
    wh_start = aux_start = 0
    for sent in sentences:
        words = [t for t in sent if not (t.is_punct or t.is_space)]
        if not words:
            continue
        first = words[0]
        # "Add a dark mode", "Please let us ...", "Don't book the ...": a bare verb leads the sentence.
        lead = words[1] if first.norm_ in ("please", "just", "do") and len(words) > 1 else first
        if lead.norm_ == "not" and len(words) > 2:
            lead = words[2]
        if lead.tag_ == "VB" and lead.lower_ not in ("be", "thank"):
            imperative += 1
        wh_start += first.tag_ in WH
        aux_start += first.pos_ == "AUX" and first.tag_ != "VB"
    negated_action = 0
    for i, norm in enumerate(norms):
        if norm in cues.NEG:
            negated_action += any(t.startswith("VB") for t in tags[i + 1:i + 3])
    n = len(tokens) or 1
    text = doc.text.rstrip()
    row = [_log(counts.get(label, 0)) for label in CUE_LABELS] + [
        _log(imperative), imperative / len(sentences), _log(norms.count("please")),
        _log(sum(lemma in WISH for lemma in lemmas)), _log(sum(lemma in OBLIGATION for lemma in lemmas)),
        _log(sum(lemma in CONDITIONAL for lemma in lemmas)), _log(lowers.count("if")),
        _log(sum(norm in cues.NEG for norm in norms)), _log(negated_action),
        _log(sum(lower in COMPARISON for lower in lowers)), _log(sum(tag in ("JJR", "RBR") for tag in tags)),
        float("?" in text), float(text.endswith("?")), _log(wh_start), _log(aux_start), float("!" in text),
        sum(lower in FIRST_SINGULAR for lower in lowers) / n, sum(lower in FIRST_PLURAL for lower in lowers) / n,
        sum(lower in SECOND for lower in lowers) / n,
        sum(tag in ("VBD", "VBN") for tag in tags) / n, sum(tag in ("VBP", "VBZ") for tag in tags) / n,
        _log(sum(lemma in ("will", "gonna") for lemma in lemmas)), _log(tags.count("MD")),
        _log(n), _log(len(sentences)), float(any(t.like_num for t in tokens)),
        polarity["neg"], polarity["neu"], polarity["pos"], polarity["compound"],
    ]
    return np.asarray(row, dtype=np.float32)
