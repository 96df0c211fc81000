"""Kind corrections teach the tagger: each run fits a small per-project correction model on the
kinds the researcher set (the shipped tagger as its prior, nlp.text.corrections) and applies it to
the quotes the researcher has not touched."""

from __future__ import annotations

from nlp.schema import Quote
from nlp.settings import Settings
from nlp.text.corrections import fit_corrections
from nlp.text.tagger import Classification
from nlp.workspace.edits import Edit, in_force


def corrections(log: list[Edit]) -> dict[str, tuple[str, str]]:
    """quote id -> (its text, the kind the researcher set), the latest edit in force per quote."""
    out: dict[str, tuple[str, str]] = {}
    for edit in in_force(log):
        if edit.action == "quote.kind" and edit.payload.get("text"):
            out[edit.targets[0]] = (edit.payload["text"], edit.payload["kind"])
    return out


def correct_kinds(quotes: list[Quote], log: list[Edit], settings: Settings) -> int:
    """Re-tag the quotes without a kind edit with the project's correction model, in place.
    -> how many changed kind (0 when there are too few corrections to fit a model)."""
    taught = corrections(log)
    if not taught:
        return 0
    model = fit_corrections([t for t, _ in taught.values()], [k for _, k in taught.values()], settings)
    untouched = [q for q in quotes if q.quote_id not in taught]
    if model is None or not untouched:
        return 0
    changed = 0
    tagged = [Classification(q.kind, q.severity, q.sentiment) for q in untouched]  # the tagger's, from this run
    for q, c in zip(untouched, model.recast([q.text for q in untouched], tagged)):
        if c.kind != q.kind:
            changed += 1
            q.kind, q.severity = c.kind, c.severity if c.kind == "pain" else 0.0
    return changed
