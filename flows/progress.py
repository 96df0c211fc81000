"""Progress of the long stages (transcription, embedding). `voc run` shows it as rich progress
bars; anywhere else (a served run, a test) nothing listens and it costs nothing."""

from __future__ import annotations

from contextlib import contextmanager
from typing import Callable, Iterator, Protocol

import numpy as np


class Listener(Protocol):
    def start(self, stage: str, total: int) -> None: ...
    def advance(self, stage: str, n: int) -> None: ...
    def finish(self, stage: str) -> None: ...


_listener: Listener | None = None


def listen(listener: Listener | None) -> None:
    global _listener
    _listener = listener


@contextmanager
def tracking(stage: str, total: int) -> Iterator[Callable[[int], None]]:
    """with tracking("transcribing", 7) as advance: ... advance(1) per item done."""
    listener = _listener
    if listener is None:
        yield lambda n=1: None
        return
    listener.start(stage, total)
    try:
        yield lambda n=1: listener.advance(stage, n)
    finally:
        listener.finish(stage)


def embed_with_progress(texts: list[str], settings, batch: int = 256) -> np.ndarray:
    """nlp.themes.embed.embed_for (configured model and backend, cached) in batches, reporting each batch."""
    from nlp.themes import embed

    if not texts:
        return embed.embed_for(texts, settings)
    parts = []
    with tracking("embedding quotes", len(texts)) as advance:
        for start in range(0, len(texts), batch):
            parts.append(embed.embed_for(texts[start:start + batch], settings))
            advance(len(parts[-1]))
    return np.concatenate(parts)


class RichProgress:
    """A Listener that draws one rich progress bar per stage on stderr."""

    def __init__(self):
        from rich.console import Console
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

        self.progress = Progress(TextColumn("{task.description:<18}"), BarColumn(), MofNCompleteColumn(),
                                 TimeElapsedColumn(), console=Console(stderr=True), transient=False)
        self.tasks: dict[str, int] = {}

    def __enter__(self) -> "RichProgress":
        # Log lines go through the bars' console, so they print above the bars instead of over them.
        self.handlers = [(h, h.console) for h in _console_handlers()]
        for handler, _ in self.handlers:
            handler.console = self.progress.console
        self.progress.start()
        listen(self)
        return self

    def __exit__(self, *exc) -> None:
        listen(None)
        self.progress.stop()
        for handler, console in self.handlers:
            handler.console = console

    def start(self, stage: str, total: int) -> None:
        self.tasks[stage] = self.progress.add_task(stage, total=total)

    def advance(self, stage: str, n: int) -> None:
        self.progress.advance(self.tasks[stage], n)

    def finish(self, stage: str) -> None:
        self.tasks.pop(stage, None)


def _console_handlers() -> list:
    """Prefect's console log handlers, wherever its logging configuration attached them."""
    import logging

    from prefect.logging.handlers import PrefectConsoleHandler

    loggers = [logging.getLogger()] + [logging.getLogger(name) for name in list(logging.root.manager.loggerDict)]
    found = []
    for logger in loggers:
        for handler in getattr(logger, "handlers", []):
            if isinstance(handler, PrefectConsoleHandler) and handler not in found:
                found.append(handler)
    return found
