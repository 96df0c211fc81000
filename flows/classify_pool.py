"""`voc classify` on every core: chunks of lines go to worker processes, each with its own spaCy
pipeline and encoder (loaded once per worker), and come back in order.

Within one process spaCy's parse runs on a single core; a second process is the way to use a
second core for it. Workers are spawned, not forked, so no thread or model state is copied.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Iterator

from nlp.text.tagger import Classification, batched, classify_for
from nlp.settings import Settings

_settings: Settings | None = None


def _start_worker() -> None:
    global _settings
    import nlp  # noqa: F401  (offline mode for the model hubs)

    _settings = Settings()


def _classify_chunk(texts: tuple[str, ...]) -> list[Classification]:
    return list(classify_for(texts, _settings, chunk=len(texts)))


def classify_in_processes(texts: list[str], processes: int, chunk: int = 500) -> Iterator[Classification]:
    """One Classification per text, in order; `processes` workers share the chunks."""
    chunks = list(batched(texts, chunk))
    with multiprocessing.get_context("spawn").Pool(min(processes, len(chunks)) or 1, initializer=_start_worker) as pool:
        for result in pool.imap(_classify_chunk, chunks):
            yield from result
