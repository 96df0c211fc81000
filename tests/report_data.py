"""A small, fixed run for the report tests: four customers in three segments, three themes (rising, new,
falling) over three runs, and one quote written by an attacker."""

from __future__ import annotations

from pathlib import Path

from nlp.schema import KINDS, Quote, RunInfo, Skipped, Theme, ThemesDocument, TopQuote

HOSTILE = ('It broke <script>window.pwned=1;alert(1)</script> and <img src=x onerror="window.pwned=2;alert(2)"> '
           'see javascript:alert(3) or [click](javascript:alert(4))\n# not a heading | not a cell')
PEOPLE = {
    "Ann": {"customer": "Ann", "company": "Acme", "plan": "Enterprise", "region": "EMEA", "role": "CTO"},
    "Bo": {"customer": "Bo", "company": "Birch", "plan": "Pro", "region": "APAC", "role": "Analyst"},
    "Cy": {"customer": "Cy", "company": "Cedar", "plan": "Pro", "region": "EMEA", "role": "PM"},
    "Di": {"customer": "Di", "company": "Dune", "plan": "Starter", "region": "North America", "role": "Ops"},
}
RUNS = ["20260101-020000", "20260102-020000", "20260103-020000"]  # the last one is this run
PLAYED_START = 14.0  # Ann's export quote: inside the sample recording acme-logistics.ogg (80 s)


def recording_of(root: Path, customer: str) -> str:
    return str(root / "recordings" / f"{customer.lower()}.ogg")


def quote(root: Path, qid: str, customer: str, start: float, text: str, kind: str, theme: Theme | None) -> Quote:
    return Quote(quote_id=qid, recording=recording_of(root, customer), customer=customer, speaker=customer,
                 role="customer", start=start, end=start + 4.5, text=text, kind=kind,
                 theme_id=theme.id if theme else None, theme_label=theme.label if theme else None)


def theme(theme_id: str, rank: int, label: str, members: list[Quote], trend: str, why: str) -> Theme:
    customers = {q.customer for q in members}
    segments = {dim: {} for dim in ("plan", "region", "role")}
    for c in sorted(customers):
        for dim in segments:
            value = PEOPLE[c][dim]
            segments[dim][value] = segments[dim].get(value, 0) + 1
    return Theme(id=theme_id, rank=rank, label=label, keywords=label.lower().split(), score=float(10 - rank),
                 why=why, customers=len(customers), interviews=len(customers), quotes=len(members),
                 kinds={k: sum(q.kind == k for q in members) for k in KINDS}, sentiment=-0.2, trend=trend,
                 segments=segments, top_quotes=[TopQuote(**q.model_dump(include=set(TopQuote.model_fields)))
                                                for q in members])


def fixed_run(root: Path) -> tuple[ThemesDocument, list[Quote], dict[str, list[tuple[str, int]]]]:
    """-> (themes document, every quote, history per theme) for a run whose recordings lie in root/recordings."""
    exports = [quote(root, "q1", "Ann", PLAYED_START, "The CSV export fails every Monday morning for our whole team.", "pain", None),
               quote(root, "q2", "Bo", 3.0, "Exports time out when the report is large, so we copy by hand.", "pain", None),
               quote(root, "q3", "Cy", 5.0, HOSTILE, "pain", None),
               quote(root, "q4", "Cy", 9.0, "Please let us schedule the export to land in our inbox.", "request", None)]
    sso = [quote(root, "q5", "Ann", 20.0, "We need single sign-on before we roll out to more people.", "request", None),
           quote(root, "q6", "Di", 7.0, "Our IT team requires single sign-on with Okta for every tool.", "request", None)]
    support = [quote(root, "q7", "Bo", 30.0, "Support answered within the hour and fixed our import.", "praise", None)]
    themes = [theme("T001", 1, "Broken exports", exports, "rising", "3 of 4 customers, mostly pains, up from 2 customers"),
              theme("T004", 2, "Single sign-on", sso, "new", "2 of 4 customers, mostly requests, new since the last run"),
              theme("T002", 3, "Support is great", support, "falling", "1 of 4 customers, mostly praise, down from 2 customers")]
    for t, members in zip(themes, (exports, sso, support)):
        for q in members:
            q.theme_id, q.theme_label = t.id, t.label
    unthemed = quote(root, "q8", "Di", 40.0, "We mostly use it on Fridays.", "other", None)
    run = RunInfo(id=RUNS[-1], started_at="2026-01-03T02:00:00+00:00", finished_at="2026-01-03T02:01:00+00:00",
                  recordings=4, new_recordings=1, skipped=[Skipped(path="recordings/bad.mp3", reason="file is empty")])
    doc = ThemesDocument(run=run, themes=themes, unthemed_quotes=1)
    history = {"T001": [(RUNS[0], 1), (RUNS[1], 2), (RUNS[2], 3)], "T004": [(RUNS[2], 2)],
               "T002": [(RUNS[0], 2), (RUNS[1], 2), (RUNS[2], 1)]}
    return doc, exports + sso + support + [unthemed], history
