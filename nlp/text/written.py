"""Quotes from written feedback (survey answers, tickets, reviews), the way interview quotes are made:
spaCy sentences grouped into quotes that stand on their own (nlp.text.quotes), fillers trimmed for
display, personal data redacted, kind and sentiment from the tagger.

One parse per item serves both the sentences and the redaction: personal data is looked for in
the whole item (more context than one quote has) and replaced in each quote's text. An item's
quotes depend only on its text, its column and (when it is a person's name) its customer, so they
are kept by the item's key: a later run reads again only the items it has not seen.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from nlp.code_hash import code_hash
from nlp.schema import FeedbackItem, Quote
from nlp.settings import Settings
from nlp.sources.formats import write_atomic
from nlp.text import redact, tagger
from nlp.text.display import display_text
from nlp.text.quotes import load_spacy, quotes_from_turn, written_turn

CACHED_FIELDS = ("verbatim", "text", "kind", "severity", "sentiment")
# The code an item's quotes depend on: a change to any of it extracts every item again.
CODE = ("nlp/text/*.py",)


def extraction_version(settings: Settings) -> str:
    """What cached quotes were made with: extraction settings, the tagger's models and the code."""
    return hashlib.sha256(json.dumps([settings.extract.model_dump(), settings.themes.embedding_model,
                                      settings.themes.embedding_backend, code_hash(CODE)],
                                     sort_keys=True).encode()).hexdigest()[:16]


def _redacted(text: str, start: int, spans: list[redact.Pii]) -> str:
    """`text` (the item's characters from `start`) with the item's personal data inside it replaced."""
    end = start + len(text)
    inside = [redact.Pii(max(p.start, start) - start, min(p.end, end) - start, p.type)
              for p in spans if p.start < end and p.end > start]
    return redact.apply(text, inside)


def _drafts(items: list[FeedbackItem], settings: Settings) -> list[tuple[int, dict]]:
    """(item index, {verbatim, text, shown}) for each quote, in item order. `shown` is `text` redacted."""
    nlp = load_spacy(settings.extract.spacy_model)
    drafts: list[tuple[int, dict]] = []
    trimmed: list[tuple[dict, list[str]]] = []  # (draft, names known in its item): redacted together below
    for i, doc in enumerate(nlp.pipe((item.text for item in items), batch_size=256)):
        item = items[i]
        turn = written_turn(item.text)
        known = [item.customer] if item.named else []
        spans = redact.find_pii(doc, known) if settings.extract.redact_pii else []
        for sentences, _ in quotes_from_turn(turn, doc, settings.extract):
            verbatim = " ".join(s.text.strip() for s in sentences)
            text = " ".join(display_text(s) for s in sentences)
            draft = {"verbatim": verbatim, "text": text, "shown": text}
            if spans:
                start = sentences[0].start_char + len(sentences[0].text) - len(sentences[0].text.lstrip())
                if text == verbatim and doc.text[start:start + len(text)] == text:
                    draft["shown"] = _redacted(text, start, spans)
                else:  # fillers were trimmed, so offsets moved: redact the displayed text on its own
                    trimmed.append((draft, known))
            drafts.append((i, draft))
    shown = redact.redact_each([d["text"] for d, _ in trimmed], nlp, [known for _, known in trimmed])
    for (draft, _), text in zip(trimmed, shown):
        draft["shown"] = text
    return drafts


def quote_fields(items: list[FeedbackItem], settings: Settings) -> dict[str, list[dict]]:
    """{item key: the fields of its quotes (verbatim, text, kind, severity, sentiment)} for each distinct item."""
    fresh = list({item.key: item for item in items}.values())
    drafts = _drafts(fresh, settings)
    kinds = tagger.classify_for([d["text"] for _, d in drafts], settings)
    made: dict[str, list[dict]] = {item.key: [] for item in fresh}
    for (i, draft), c in zip(drafts, kinds):
        made[fresh[i].key].append({"verbatim": draft["verbatim"], "text": draft["shown"], "kind": c.kind,
                                   "severity": c.severity, "sentiment": c.sentiment})
    return made


def quotes_of_items(items: list[FeedbackItem], fields: dict[str, list[dict]]) -> list[Quote]:
    """The quotes of each item, from its key's fields (quote_fields, or the cache)."""
    return [quote_of(item, n, f) for item in items for n, f in enumerate(fields[item.key])]


def extract_written(items: list[FeedbackItem], settings: Settings,
                    known: dict[str, list[dict]] | None = None) -> tuple[list[Quote], dict[str, list[dict]], int]:
    """-> (the quotes of every item, {item key: its quotes' fields} for every item, items quoted now).
    `known` holds quotes made before (the same mapping from an earlier run); only the others are parsed."""
    known = known or {}
    made = quote_fields([item for item in items if item.key not in known], settings)
    fields = {item.key: known.get(item.key) or made.get(item.key, []) for item in items}
    return quotes_of_items(items, fields), fields, len(made)


def quote_of(item: FeedbackItem, n: int, fields: dict) -> Quote:
    return Quote(quote_id=f"{item.id}-{n:02d}", recording=item.source, customer=item.customer, speaker=None,
                 role="customer", start=0.0, end=0.0, channel=item.channel, sheet=item.sheet, row=item.row,
                 question=item.question, date=item.date, **{k: fields[k] for k in CACHED_FIELDS})


def cache_path(folder: Path, source: str) -> Path:
    """Where the quotes of one table file's items are kept (in the transcripts folder, the cache)."""
    return folder / "items" / f"{Path(source).stem}-{hashlib.sha256(source.encode()).hexdigest()[:8]}.json"


def load_cache(folder: Path, source: str, version: str) -> dict[str, list[dict]]:
    """{item key: quote fields} from the last run over this file; empty when made otherwise or unreadable."""
    try:
        data = json.loads(cache_path(folder, source).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    return data.get("items", {}) if isinstance(data, dict) and data.get("version") == version else {}


def save_cache(folder: Path, source: str, version: str, entries: dict[str, list[dict]]) -> None:
    """Keep exactly these items' quotes: a removed row's are dropped with it."""
    write_atomic(cache_path(folder, source), json.dumps({"version": version, "items": entries}, ensure_ascii=False))
