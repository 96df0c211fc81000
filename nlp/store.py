"""Run history, theme identities (voc's own themes of each run too) and each run's quotes (for search),
through SQLAlchemy: SQLite by default, PostgreSQL by URL."""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from sqlalchemy import Column, Engine, Float, Integer, MetaData, String, Table, Text, create_engine, delete, func, insert, select
from sqlalchemy.exc import IntegrityError, OperationalError, ProgrammingError

from nlp.schema import Quote

metadata = MetaData()
runs = Table(
    "runs", metadata,
    Column("id", String(64), primary_key=True),
    Column("started_at", String(40), nullable=False),
    Column("finished_at", String(40)),
    Column("recordings", Integer, nullable=False, default=0),
)
themes = Table(
    "themes", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("theme_id", String(16), primary_key=True),
    Column("number", Integer, nullable=False),
    Column("label", Text, nullable=False),
    Column("customers", Integer, nullable=False),
    Column("score", Float, nullable=False),
    Column("centroid", Text, nullable=False),  # JSON list of floats: portable across databases
)
# Every run's quotes as its report shows them (redacted text), for `voc search` across runs.
quotes = Table(
    "quotes", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("quote_id", String(64), primary_key=True),
    Column("recording", Text, nullable=False),
    Column("customer", Text, nullable=False),
    Column("speaker", Text),
    Column("start", Float, nullable=False),
    Column("end", Float, nullable=False),
    Column("kind", String(16), nullable=False),
    Column("severity", Float, nullable=False),
    Column("sentiment", Float, nullable=False),
    Column("theme_id", String(16)),
    Column("theme_label", Text),
    Column("text", Text, nullable=False),
)
# voc's own themes of each run, before the researcher's edits (nlp.workspace): theme ids are matched
# against these, so a theme merged away or renamed by the researcher keeps being recognised.
clusters = Table(
    "clusters", metadata,
    Column("run_id", String(64), primary_key=True),
    Column("theme_id", String(16), primary_key=True),
    Column("label", Text, nullable=False),
    Column("keywords", Text, nullable=False),  # JSON list
    Column("centroid", Text, nullable=False),
)
# Every theme number ever given out, by a run or by a split: one number, one theme, even when a
# researcher splits a theme while a run is giving out ids.
theme_numbers = Table("theme_numbers", metadata, Column("number", Integer, primary_key=True, autoincrement=False))


@dataclass
class StoredCluster:
    theme_id: str
    label: str
    keywords: list[str]
    centroid: np.ndarray


@dataclass
class StoredTheme:
    theme_id: str
    label: str
    customers: int
    centroid: np.ndarray


def portable_url(url: str) -> str:
    """A PostgreSQL URL without a driver gets psycopg (3), the driver voc installs; SQLAlchemy's
    default for plain postgresql:// is psycopg2, which is not installed."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme in ("postgresql", "postgres"):
        return f"postgresql+psycopg://{rest}"
    return url


@lru_cache(maxsize=8)
def engine_for(url: str) -> Engine:
    """One engine (and connection pool) per database per process: a PostgreSQL server limits connections."""
    url = portable_url(url)
    if url.startswith("sqlite:///"):
        Path(url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
        # Wait for another process's write rather than fail at once with "database is locked".
        return create_engine(url, connect_args={"timeout": 30})
    return create_engine(url, pool_pre_ping=True)


def create_tables(engine: Engine, tables: MetaData = metadata, attempts: int = 3) -> None:
    for attempt in range(attempts):
        try:
            tables.create_all(engine)
            return
        except (IntegrityError, ProgrammingError, OperationalError):
            # Processes creating the tables at once on PostgreSQL: one wins, the others fail on the
            # catalog's unique index. The tables exist once the winner commits; check again.
            if attempt == attempts - 1:
                raise


def open_engine(url: str, tables: MetaData) -> Engine:
    """The process's engine for `url`, with `tables` created."""
    engine = engine_for(url)
    create_tables(engine, tables)
    return engine


class Store:
    def __init__(self, url: str):
        self.engine = open_engine(url, metadata)

    def last_run(self) -> tuple[str, str] | None:
        """(id, started_at) of the newest finished run; None before the first."""
        with self.engine.connect() as conn:
            row = conn.execute(select(runs.c.id, runs.c.started_at).where(runs.c.finished_at.is_not(None))
                               .order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(1)).first()
        return (row.id, row.started_at) if row else None

    def last_run_themes(self) -> list[StoredTheme]:
        """The themes of the newest finished run (empty before the first)."""
        last = self.last_run()
        return self.themes_of(last[0]) if last else []

    def themes_of(self, run_id: str) -> list[StoredTheme]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(themes).where(themes.c.run_id == run_id).order_by(themes.c.number)).all()
        return [StoredTheme(r.theme_id, r.label, r.customers, np.array(json.loads(r.centroid), dtype=np.float32))
                for r in rows]

    def run_before(self, run_id: str) -> tuple[str, str] | None:
        """(id, started_at) of the newest finished run that finished before `run_id` did."""
        with self.engine.connect() as conn:
            this = conn.execute(select(runs.c.finished_at).where(runs.c.id == run_id)).scalar()
            if this is None:
                return self.last_run()
            row = conn.execute(select(runs.c.id, runs.c.started_at).where(
                runs.c.finished_at.is_not(None), runs.c.id != run_id, runs.c.finished_at <= this)
                .order_by(runs.c.finished_at.desc(), runs.c.id.desc()).limit(1)).first()
        return (row.id, row.started_at) if row else None

    def customers_in(self, run_id: str) -> dict[str, int]:
        """theme id -> customers, in one run."""
        with self.engine.connect() as conn:
            return {r.theme_id: r.customers for r in conn.execute(
                select(themes.c.theme_id, themes.c.customers).where(themes.c.run_id == run_id))}

    def next_theme_number(self) -> int:
        with self.engine.connect() as conn:
            return max(conn.execute(select(func.max(themes.c.number))).scalar() or 0,
                       conn.execute(select(func.max(theme_numbers.c.number))).scalar() or 0) + 1

    def history(self, theme_id: str) -> list[tuple[str, int]]:
        """(run id, customers) for every finished run in which the theme appeared, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(themes.c.run_id, themes.c.customers).join(runs, runs.c.id == themes.c.run_id)
                                .where(themes.c.theme_id == theme_id).order_by(runs.c.started_at)).all()
        return [(r.run_id, r.customers) for r in rows]

    def save_run(self, run_id: str, started_at: str, finished_at: str, recordings: int,
                 ranked: list[tuple[str, str, int, float, np.ndarray]]) -> None:
        """Record one finished run and its themes as (id, label, customers, score, centroid)."""
        with self.engine.begin() as conn:
            conn.execute(insert(runs).values(id=run_id, started_at=started_at, finished_at=finished_at,
                                             recordings=recordings))
            for theme_id, label, customers, score, centroid in ranked:
                conn.execute(insert(themes).values(
                    run_id=run_id, theme_id=theme_id, number=int(theme_id.lstrip("T")), label=label,
                    customers=customers, score=score, centroid=json.dumps([round(float(x), 6) for x in centroid])))

    def save_quotes(self, run_id: str, run_quotes: list[Quote]) -> None:
        """Keep a finished run's quotes (as its report shows them) for search across runs."""
        rows = [{"run_id": run_id, **q.model_dump(include=set(quotes.c.keys()) - {"run_id"})} for q in run_quotes
                if not q.hidden]  # hidden by the researcher: shown nowhere, found by no search
        if rows:
            with self.engine.begin() as conn:
                conn.execute(insert(quotes), rows)

    def searchable_quotes(self) -> list[StoredQuote]:
        """Each quote ever kept, once: as the newest finished run that has it shows it, with the start
        time of the first run that had it (when voc first heard it)."""
        seen = (select(quotes.c.quote_id, func.min(runs.c.started_at).label("first_seen"),
                       func.max(runs.c.started_at).label("last_seen"))
                .join(runs, runs.c.id == quotes.c.run_id).where(runs.c.finished_at.is_not(None))
                .group_by(quotes.c.quote_id).subquery())
        query = (select(quotes, runs.c.started_at, seen.c.first_seen)
                 .join(runs, runs.c.id == quotes.c.run_id)
                 .join(seen, (seen.c.quote_id == quotes.c.quote_id) & (seen.c.last_seen == runs.c.started_at))
                 .order_by(quotes.c.recording, quotes.c.start, quotes.c.run_id))
        found: dict[str, StoredQuote] = {}
        with self.engine.connect() as conn:
            for row in conn.execute(query).mappings():
                fields = {k: row[k] for k in Quote.model_fields if k in row}
                found[row["quote_id"]] = StoredQuote(Quote(role="customer", **fields), row["run_id"], row["first_seen"])
        return list(found.values())

    def quote_ids_of(self, run_id: str) -> set[str]:
        """The ids of a finished run's quotes (those its report shows)."""
        with self.engine.connect() as conn:
            return set(conn.execute(select(quotes.c.quote_id).where(quotes.c.run_id == run_id)).scalars())

    def claim_theme_numbers(self, count: int, attempts: int = 20) -> list[int]:
        """`count` theme numbers no run and no split has used, claimed at once (a concurrent claim
        of the same number fails on the primary key and is retried with the next ones)."""
        for _ in range(attempts):
            start = self.next_theme_number()
            try:
                with self.engine.begin() as conn:
                    if count:
                        conn.execute(insert(theme_numbers), [{"number": start + i} for i in range(count)])
                return list(range(start, start + count))
            except IntegrityError:
                continue
        raise RuntimeError("could not claim theme numbers: the store is too busy; try again")

    def theme_ids_for(self, centroids: list[np.ndarray], previous: list) -> list[str]:
        """match_theme_ids against `previous`, fresh ids claimed from the store."""
        placeholder = 10 ** 9  # above any real number: fresh ids are told apart, then replaced in order
        ids = match_theme_ids(centroids, previous, placeholder)
        fresh = [i for i, theme_id in enumerate(ids) if int(theme_id.lstrip("T")) >= placeholder]
        for i, number in zip(fresh, self.claim_theme_numbers(len(fresh))):
            ids[i] = f"T{number:03d}"
        return ids

    def save_clusters(self, run_id: str, found: list[StoredCluster]) -> None:
        """voc's own themes of a run (before edits), written as soon as they are known: a run that
        never finishes leaves rows no finished run points at."""
        with self.engine.begin() as conn:
            conn.execute(delete(clusters).where(clusters.c.run_id == run_id))
            if found:
                conn.execute(insert(clusters), [
                    {"run_id": run_id, "theme_id": c.theme_id, "label": c.label, "keywords": json.dumps(c.keywords),
                     "centroid": json.dumps([round(float(x), 6) for x in c.centroid])} for c in found])

    def clusters_of(self, run_id: str) -> list[StoredCluster]:
        with self.engine.connect() as conn:
            rows = conn.execute(select(clusters).where(clusters.c.run_id == run_id).order_by(clusters.c.theme_id)).all()
        return [StoredCluster(r.theme_id, r.label, json.loads(r.keywords), np.array(json.loads(r.centroid), dtype=np.float32))
                for r in rows]

    def last_run_memory(self) -> tuple[list[StoredCluster] | list[StoredTheme], dict[str, str]]:
        """What the newest finished run hands the next, read from that one run: voc's own themes to match
        new themes against (the run's final themes for a run made before voc kept its own), and quote id
        -> the own theme it was in. A theme the researcher split off (a fresh id) is not voc's, and an
        undone split must be free to come together again, so only own ids count (quotes in none: left out)."""
        last = self.last_run()
        if last is None:
            return [], {}
        own = self.clusters_of(last[0])
        query = select(quotes.c.quote_id, quotes.c.theme_id).where(quotes.c.run_id == last[0],
                                                                   quotes.c.theme_id.is_not(None))
        if own:  # runs before voc kept its own themes: every shown theme
            query = query.where(quotes.c.theme_id.in_([c.theme_id for c in own]))
        with self.engine.connect() as conn:
            placed = {r.quote_id: r.theme_id for r in conn.execute(query)}
        return own or self.themes_of(last[0]), placed



@dataclass
class StoredQuote:
    quote: Quote
    run_id: str  # the newest run that has the quote
    first_seen: str  # start time (ISO) of the first run that had it


def match_theme_ids(new_centroids: list[np.ndarray], previous: list[StoredTheme], next_number: int,
                    threshold: float = 0.8) -> list[str]:
    """Give each new theme the id of the previous theme it matches best (cosine >= threshold,
    one-to-one, most similar pairs first); unmatched themes get fresh ids."""
    ids: list[str | None] = [None] * len(new_centroids)
    if previous and new_centroids:
        sims = np.stack(new_centroids) @ np.stack([p.centroid for p in previous]).T
        taken: set[int] = set()
        for flat in np.argsort(-sims, axis=None):
            i, j = np.unravel_index(flat, sims.shape)
            if sims[i, j] < threshold:
                break
            if ids[i] is None and j not in taken:
                ids[i] = previous[j].theme_id
                taken.add(int(j))
    for i in range(len(ids)):
        if ids[i] is None:
            ids[i] = f"T{next_number:03d}"
            next_number += 1
    return ids  # type: ignore[return-value]
