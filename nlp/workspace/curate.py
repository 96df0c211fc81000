"""The curated run: voc's themes and quotes with the edit log replayed onto them, ranked.

Used by the nightly run (on the themes it has just found) and by the workspace (on the latest
run's outputs, so an edit shows at once without clustering again): both give the same result
for the same run and log.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import numpy as np

from nlp.schema import Quote, RunInfo, Theme, ThemesDocument
from nlp.settings import Settings
from nlp.sources.inbox import segment_columns
from nlp.themes import facets, rank
from nlp.themes.cluster import ThemeDraft
from nlp.themes.vectors import UNTHEMED, unit_mean
from nlp.workspace.edits import Edit
from nlp.workspace.replay import Curation, RunState, replay

# (texts, their vectors, centroid, keywords) -> a label, for a theme voc never named (split off)
Labeller = Callable[[list[str], np.ndarray, np.ndarray, list[str]], str]


@dataclass
class CuratedRun:
    quotes: list[Quote]       # every quote in run order, hidden ones included (marked)
    visible: list[int]        # indices of the quotes that count (not hidden)
    vectors: np.ndarray       # rows of the visible quotes
    drafts: list[ThemeDraft]  # members index into the visible quotes
    ids: list[str]
    curation: Curation


def voc_quotes(quotes: list[Quote]) -> list[Quote]:
    """Quotes as voc made them (from a run's quotes.csv): the researcher's marks taken off."""
    out = []
    for q in quotes:
        q = q.model_copy()
        q.kind = q.voc_kind or q.kind
        q.theme_id = q.theme_label = None
        q.hidden = q.starred = q.curated = False
        q.edited_by = ""
        out.append(q)
    return out


def curate(quotes: list[Quote], vectors: np.ndarray, voc_theme_of: list[str | None],
           voc_names: dict[str, tuple[str, list[str]]], log: list[Edit], label_new: Labeller,
           fallback: float = 0.5, run_quotes: dict[str, set[str]] | None = None) -> CuratedRun:
    """Replay `log` onto voc's themes (`voc_theme_of` per quote; `voc_names` theme -> (label,
    keywords)) and build the themes to rank. `quotes` carry voc's own kinds (see voc_quotes);
    `run_quotes` are the quote ids of the runs the edits were made on (see replay)."""
    from nlp.themes.labels import keywords_by_cluster

    curation = replay(RunState([q.quote_id for q in quotes], voc_theme_of), vectors, log, fallback, run_quotes)
    for i, q in enumerate(quotes):
        q.voc_theme_id, q.voc_kind = voc_theme_of[i], q.kind
        if i in curation.kinds:
            q.kind = curation.kinds[i]
            if q.kind != "pain":
                q.severity = 0.0  # severity is a pain's; voc measures none for the other kinds
        q.hidden, q.starred = i in curation.hidden, i in curation.starred
        q.curated = i in curation.quote_editors
        q.edited_by = ", ".join(curation.quote_editors.get(i, []))
    visible = [i for i in range(len(quotes)) if i not in curation.hidden]
    members: dict[str, list[int]] = {}
    for k, i in enumerate(visible):
        if curation.theme_of[i]:
            members.setdefault(curation.theme_of[i], []).append(k)
    order = sorted(members, key=lambda t: (-len(members[t]), t))
    texts = [quotes[i].text for i in visible]
    rows = vectors[visible] if len(visible) else vectors[:0]
    voc_members = {t: {k for k, i in enumerate(visible) if voc_theme_of[i] == t} for t in order}
    changed = [t for t in order if t not in voc_names or set(members[t]) != voc_members[t]]
    fresh_keywords: dict[int, list[str]] = {}
    if changed:
        labels = np.full(len(visible), UNTHEMED)
        for n, t in enumerate(order):
            labels[members[t]] = n
        fresh_keywords = keywords_by_cluster(texts, labels)
    drafts = []
    for n, t in enumerate(order):
        centroid = unit_mean(rows[members[t]])
        keywords = fresh_keywords.get(n, []) if t in changed else voc_names[t][1]
        if t in voc_names:
            label = voc_names[t][0]
        else:
            label = label_new([texts[k] for k in members[t]], rows[members[t]], centroid, keywords)
        drafts.append(ThemeDraft(members=members[t], centroid=centroid, label=label, keywords=keywords))
    return CuratedRun(quotes, visible, rows, drafts, order, curation)


def mark_theme(theme: Theme, curation: Curation) -> None:
    """What the researcher did to a theme, on the theme itself (themes.json, report)."""
    voc_label = theme.label
    if theme.id in curation.labels:
        theme.label = curation.labels[theme.id]
        theme.voc_label = voc_label
    theme.curated = theme.id in curation.curated
    theme.pinned = theme.id in curation.pinned
    theme.note = curation.notes.get(theme.id, "")
    theme.edited_by = list(curation.theme_editors.get(theme.id, []))


def ranked_document(run: CuratedRun, info: RunInfo, participants: dict[str, dict[str, str]],
                    previous_customers: dict[str, int], settings: Settings,
                    previous_run: str | None) -> ThemesDocument:
    """Rank the curated themes; each quote gets its theme. -> themes.json's document."""
    visible = [run.quotes[i] for i in run.visible]
    ranked = rank.rank_themes(run.drafts, run.ids, visible, run.vectors, participants,
                              segment_columns(participants), previous_customers, settings.rank,
                              settings.report.top_quotes, previous_run=previous_run)
    by_id = dict(zip(run.ids, run.drafts))
    for theme in ranked:
        mark_theme(theme, run.curation)
        for member in by_id[theme.id].members:
            visible[member].theme_id, visible[member].theme_label = theme.id, theme.label
    facets.describe(ranked, visible)  # channels, questions and dated periods of each theme (issue 16)
    return ThemesDocument(run=info, themes=ranked, unthemed_quotes=sum(q.theme_id is None for q in visible))
