"""The project's local Prefect server: started (or reused) on loopback, its database under the
state folder (SQLite) or on PostgreSQL, stopped again by whoever started it.

Nothing here imports Prefect: the server's address must be in the environment before Prefect
loads its settings, so that flow-run subprocesses and Dask workers find the same server.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx

from flows.config import Operations
from nlp.settings import Settings


class ServerError(RuntimeError):
    """The local Prefect server could not be started; the message says why and what to do."""


def async_database_url(url: str) -> str:
    """Prefect's server talks to PostgreSQL through asyncpg: postgresql://... -> postgresql+asyncpg://..."""
    scheme, sep, rest = url.partition("://")
    if sep and scheme.split("+")[0] in ("postgresql", "postgres"):
        return f"postgresql+asyncpg://{rest}"
    return url


def prefect_home(settings: Settings) -> Path:
    return (settings.paths.state / "prefect").resolve()


def server_environment(settings: Settings, ops: Operations) -> dict[str, str]:
    """Settings for the server process (and for clients of it, which share PREFECT_HOME)."""
    home = prefect_home(settings)
    database = async_database_url(ops.prefect.database_url) or f"sqlite+aiosqlite:///{home / 'prefect.db'}"
    env = dict(os.environ, PREFECT_HOME=str(home), PREFECT_SERVER_DATABASE_CONNECTION_URL=database,
               PREFECT_SERVER_API_HOST=ops.prefect.host, PREFECT_SERVER_API_PORT=str(ops.prefect.port),
               PREFECT_SERVER_ANALYTICS_ENABLED="false")
    env.pop("PREFECT_API_URL", None)  # a server is not a client of another one
    return env


def healthy(api_url: str, timeout: float = 2.0) -> bool:
    try:
        return httpx.get(f"{api_url}/health", timeout=timeout).status_code == 200
    except httpx.HTTPError:
        return False


class LocalServer:
    """`with LocalServer(settings, ops) as server:` a Prefect API at server.api_url until the block ends.
    One already answering on the configured port is reused (and left running)."""

    def __init__(self, settings: Settings, ops: Operations):
        self.settings, self.ops = settings, ops
        self.api_url = ops.api_url
        self.process: subprocess.Popen | None = None
        self.log_path = prefect_home(settings) / "server.log"

    @property
    def reused(self) -> bool:
        return self.process is None

    def __enter__(self) -> "LocalServer":
        self.start()
        self.ready()
        return self

    def start(self) -> "LocalServer":
        """Start the server (or find one answering) without waiting for it to answer: the caller can
        load Prefect meanwhile, then call ready()."""
        if healthy(self.api_url):
            return self
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        command = [sys.executable, "-m", "prefect", "server", "start",
                   "--host", self.ops.prefect.host, "--port", str(self.ops.prefect.port)]
        with open(self.log_path, "ab") as log:
            # Its own session: a Ctrl-C in the terminal reaches voc, which stops the server last,
            # after the runner has used it to pause the schedule.
            self.process = subprocess.Popen(command, env=server_environment(self.settings, self.ops), stdout=log,
                                            stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        return self

    def ready(self) -> None:
        """Wait until the server this started answers (or stop it and raise ServerError)."""
        if self.process is None:
            return
        try:
            self._wait_until_healthy()
        except BaseException:
            self.stop()
            raise

    def _wait_until_healthy(self) -> None:
        deadline = time.monotonic() + self.ops.prefect.startup_timeout_s
        while not healthy(self.api_url, timeout=1.0):
            if self.process.poll() is not None:
                raise ServerError(
                    f"the Prefect server stopped while starting (exit status {self.process.returncode}): "
                    f"{self.log_tail()}\nIf port {self.ops.prefect.port} is taken, set prefect.port in voc.toml "
                    f"(or VOC_PREFECT__PORT); the full log is {self.log_path}")
            if time.monotonic() > deadline:
                raise ServerError(f"the Prefect server did not answer at {self.api_url} within "
                                  f"{self.ops.prefect.startup_timeout_s:.0f} s; see {self.log_path}, or raise "
                                  "prefect.startup_timeout_s in voc.toml on a slow machine")
            time.sleep(0.5)

    def log_tail(self, lines: int = 5) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    def stop(self, timeout: float = 30.0) -> None:
        if self.process is None or self.process.poll() is not None:
            return
        drain_clients()
        # The whole process group: the server runs its web app in a child process of its own.
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout)
        except subprocess.TimeoutExpired:
            self.kill()

    def kill(self) -> None:
        """At once, without draining: the last resort of a stop that hangs."""
        if self.process is not None and self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()

    def __exit__(self, *exc) -> None:
        self.stop()


def drain_clients(timeout: float = 10.0) -> None:
    """Send this process's queued logs and events to the server while it still runs (else each one
    fails at exit with "Error logging to API")."""
    if "prefect" not in sys.modules:
        return
    from prefect.events.worker import EventsWorker
    from prefect.logging.handlers import APILogWorker

    for worker in (APILogWorker, EventsWorker):
        try:
            worker.drain_all(timeout=timeout)
        except Exception:  # noqa: BLE001  best effort: the run itself is done and recorded
            pass


def use_server(server: LocalServer) -> None:
    """Point this process, and every process it starts, at the server. Before Prefect is imported."""
    if "prefect" in sys.modules:
        raise RuntimeError("use_server() must run before Prefect is imported: Prefect reads its settings once")
    os.environ["PREFECT_API_URL"] = server.api_url
    os.environ["PREFECT_HOME"] = str(prefect_home(server.settings))
