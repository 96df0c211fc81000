"""A run's synthesis with the researcher's edits, in the two places it is made: the nightly run
(on the themes it has just found) and the workspace (on the latest run's outputs, re-rendered at
each edit without clustering again: voc's own themes of the run come from the store)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np

from nlp import store
from nlp.report.writers import read_people, read_quotes_csv
from nlp.schema import Quote, RunInfo, ThemesDocument
from nlp.settings import Settings
from nlp.themes import rank
from nlp.themes.cluster import ThemeDraft
from nlp.workspace import teach
from nlp.workspace.curate import CuratedRun, Labeller, curate, ranked_document, voc_quotes
from nlp.workspace.edits import Edit, EditLog
from nlp.workspace.validate import Workspace


def spacy_labeller(load_nlp) -> Labeller:
    """A label for a theme voc never named (split off by the researcher), made the way voc labels
    its own themes; spaCy is loaded (`load_nlp()`) only when one is needed."""
    from nlp.themes.labels import central_texts, label_from_docs, parse_for_labels

    def label(texts: list[str], vectors: np.ndarray, centroid: np.ndarray, keywords: list[str]) -> str:
        docs = parse_for_labels([central_texts(texts, vectors, centroid)], load_nlp())[0]
        return label_from_docs(docs, keywords)

    return label


def voc_theme_of(drafts: list[ThemeDraft], ids: list[str], count: int) -> list[str | None]:
    out: list[str | None] = [None] * count
    for theme_id, draft in zip(ids, drafts):
        for member in draft.members:
            out[member] = theme_id
    return out


def curated_synthesis(quotes: list[Quote], vectors: np.ndarray, drafts: list[ThemeDraft], ids: list[str],
                      run: RunInfo, participants: dict[str, dict[str, str]], settings: Settings,
                      load_nlp) -> tuple[ThemesDocument, list[Quote], list]:
    """The nightly run's last step: voc's themes (drafts with their matched ids) curated by the log,
    ranked. Stores voc's own themes of this run and what it made of each edit.
    -> (themes document, every quote, (id, label, customers, score, centroid) per theme)."""
    history = store.Store(settings.store_url)
    log_store = EditLog(settings.store_url)
    log = log_store.all()  # an edit made from here on is newer than this run: the next one applies it
    previous = history.last_run_themes()
    last_run = history.last_run()
    teach.correct_kinds(quotes, log, settings)
    curated = curate(quotes, vectors, voc_theme_of(drafts, ids, len(quotes)),
                     {i: (d.label, d.keywords) for i, d in zip(ids, drafts)}, log, spacy_labeller(load_nlp),
                     settings.themes.reassign_threshold, log_store.quotes_of_runs(log))
    doc = ranked_document(curated, run, participants, {p.theme_id: p.customers for p in previous}, settings,
                          last_run[1] if last_run else None)
    own = [store.StoredCluster(i, d.label, d.keywords, d.centroid) for i, d in zip(ids, drafts)]
    # Split-off themes too: next run, a theme voc finds where one lies is known by its id.
    own += [store.StoredCluster(t, d.label, d.keywords, d.centroid) for t, d in zip(curated.ids, curated.drafts)
            if t not in ids]
    history.save_clusters(run.id, own)
    log_store.record_run(run.id, log[-1].id if log else 0, curated.curation.outcomes)
    by_id = dict(zip(curated.ids, curated.drafts))
    centroids = [(t.id, t.label, t.customers, t.score, by_id[t.id].centroid.tolist()) for t in doc.themes]
    return doc, curated.quotes, centroids


@dataclass
class View:
    """The latest run as the researcher sees it now: its outputs with every edit in force."""

    doc: ThemesDocument
    quotes: list[Quote]
    curated: CuratedRun
    log: list[Edit]
    applied_up_to: int       # edits up to this id were applied by the run itself; later ones only here
    run_dir: Path
    people: dict[str, dict[str, str]]
    history: dict[str, list[tuple[str, int]]]

    @property
    def workspace(self) -> Workspace:
        """What an edit may name now (for nlp.workspace.validate)."""
        themes: dict[str, list[str]] = {}
        for q in self.quotes:
            if q.theme_id:
                themes.setdefault(q.theme_id, []).append(q.quote_id)
        return Workspace(
            run_id=self.doc.run.id, themes=themes, labels={t.id: t.label for t in self.doc.themes},
            quotes={q.quote_id for q in self.quotes}, hidden={q.quote_id for q in self.quotes if q.hidden},
            starred={q.quote_id for q in self.quotes if q.starred}, pinned={t.id for t in self.doc.themes if t.pinned},
            theme_of={q.quote_id: q.theme_id for q in self.quotes}, texts={q.quote_id: q.text for q in self.quotes},
            log=self.log,
            quotes_file=str(self.run_dir / "quotes.csv"))


def latest_view(settings: Settings, run_dir: Path, load_nlp, customers: dict[str, dict[str, str]] | None = None) -> View:
    """The run in `run_dir` (reports/latest) with the whole log replayed: what the workspace shows.
    Loads no model unless the edits split off a theme (spaCy, to name it). `customers`: table
    customers' segments (feedback rows), beside participants.csv's."""
    from nlp.report.view import run_history
    from nlp.themes.embed import embed_for

    shown = ThemesDocument.model_validate_json((run_dir / "themes.json").read_text(encoding="utf-8"))
    made = read_quotes_csv(run_dir / "quotes.csv")
    quotes = voc_quotes(made)
    history = store.Store(settings.store_url)
    own = {c.theme_id: c for c in history.clusters_of(shown.run.id)}
    if own:
        theme_of = [q.voc_theme_id for q in made]
        names = {t: (c.label, c.keywords) for t, c in own.items()}
    else:  # a run made before voc kept its own themes: its final themes are voc's
        theme_of = [q.theme_id for q in made]
        names = {t.id: (t.label, t.keywords) for t in shown.themes}
    log_store = EditLog(settings.store_url)
    log = log_store.all()
    record = log_store.run_record(shown.run.id)
    vectors = embed_for([q.text for q in quotes], settings) if quotes else np.zeros((0, 0), np.float32)
    curated = curate(quotes, vectors, theme_of, names, log, spacy_labeller(load_nlp),
                     settings.themes.reassign_threshold, log_store.quotes_of_runs(log))
    before = history.run_before(shown.run.id)
    people = read_people(settings.paths.inbox, customers)
    doc = ranked_document(curated, shown.run, people, history.customers_in(before[0]) if before else {},
                          settings, before[1] if before else None)
    if shown.general_sentiment:  # "Great app!" stays counted apart, as the run counted it
        rank.count_general_apart(doc, curated.quotes, vectors, set(shown.general_sentiment.quote_ids),
                                 settings.report.top_quotes)
    return View(doc, curated.quotes, curated, log, record[0] if record else 0, run_dir, people,
                run_history(history.history, doc))
