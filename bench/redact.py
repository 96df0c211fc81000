"""PII redaction recall and precision on the labelled sample tests/data/redact_dev.jsonl.

An item counts as caught when one redacted span covers it whole (recall, per type and overall;
"typed" also asks for the right placeholder). A redacted span is correct when it overlaps a
labelled item (precision). Lines without any PII are there to catch over-redaction.

Usage: .venv/bin/python bench/redact.py [-v]   (-v lists misses and false alarms)
"""

from __future__ import annotations

import json
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from nlp.text.quotes import load_spacy  # noqa: E402
from nlp.text.redact import find_pii  # noqa: E402
from nlp.settings import ExtractSettings  # noqa: E402

SAMPLE = ROOT / "tests" / "data" / "redact_dev.jsonl"


def labelled_spans(row: dict) -> list[tuple[int, int, str]]:
    spans = []
    for item in row["pii"]:
        start = row["text"].index(item["text"])
        spans.append((start, start + len(item["text"]), item["type"]))
    return spans


def score(rows: list[dict], docs: list, verbose: bool) -> str:
    items, caught, typed = Counter(), Counter(), Counter()
    found_total = found_right = 0
    for row, doc in zip(rows, docs):
        found = find_pii(doc)
        gold = labelled_spans(row)
        for start, end, kind in gold:
            items[kind] += 1
            cover = [p for p in found if p.start <= start and p.end >= end]
            caught[kind] += bool(cover)
            typed[kind] += any(p.type == kind for p in cover)
            if verbose and not cover:
                print(f"MISS  {kind:5} {row['text'][start:end]!r} in {row['text']!r}")
        for p in found:
            found_total += 1
            right = any(p.start < end and p.end > start for start, end, _ in gold)
            found_right += right
            if verbose and not right:
                print(f"FALSE {p.type:5} {row['text'][p.start:p.end]!r} in {row['text']!r}")
    total = sum(items.values())
    lines = [f"{len(rows)} lines ({sum(not r['pii'] for r in rows)} without PII), {total} labelled items: "
             f"recall {sum(caught.values()) / total:.3f}  typed recall {sum(typed.values()) / total:.3f}  "
             f"precision {found_right / max(found_total, 1):.3f} ({found_right}/{found_total} redacted spans)"]
    lines += [f"    {kind:5} recall {caught[kind] / items[kind]:.3f} ({caught[kind]}/{items[kind]})  "
              f"typed {typed[kind] / items[kind]:.3f}" for kind in sorted(items)]
    return "\n".join(lines)


def main() -> None:
    verbose = "-v" in sys.argv
    rows = [json.loads(line) for line in SAMPLE.read_text(encoding="utf-8").splitlines()]
    docs = list(load_spacy(ExtractSettings().spacy_model).pipe(r["text"] for r in rows))
    print(f"PII redaction on {SAMPLE.relative_to(ROOT)} ('heldout': written after the first version, not tuned on)")
    for split in ("tune", "heldout", "all"):
        chosen = [i for i, r in enumerate(rows) if split in ("all", r["split"])]
        print(f"  {split:7} " + score([rows[i] for i in chosen], [docs[i] for i in chosen], verbose and split != "all"))


if __name__ == "__main__":
    main()
