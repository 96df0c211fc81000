"""`voc serve`: the nightly synthesis on a cron, plus pick-up of new recordings in between.

A schedule never fires on Prefect's temporary (ephemeral) API, so this runs a real local server
(flows.server), serves the flow as the deployment "voc-synthesis/nightly" and polls the inbox in a
thread. Ctrl-C (or SIGTERM) stops the runner, which pauses the schedule, then the server; the next
`voc serve` registers the same deployment again and the schedule resumes. A stop never takes longer
than STOP_GRACE_S: a server that no longer answers is killed rather than waited for.
"""

from __future__ import annotations

import os
import signal
import sys
import threading
import warnings
from typing import Callable

from flows.config import Operations
from flows.server import LocalServer, use_server
from flows.status import DEPLOYMENT_NAME, next_cron_time
from nlp.settings import Settings, config_path


STOP_GRACE_S = 30  # after Ctrl-C or SIGTERM, the runner and the server get this long to stop cleanly


def _interrupt(signum, frame) -> None:
    raise KeyboardInterrupt  # SIGTERM (systemd, docker stop) ends the serve loop as Ctrl-C does


def stopped_message(server: LocalServer) -> str:
    return "voc serve: stopped" + ("" if server.reused else ", and the Prefect server with it")


class StopDeadline:
    """Once a stop is asked for, voc serve ends within STOP_GRACE_S whatever happens: Prefect's
    runner pauses the schedule through the API on its way out, and a server that does not answer
    would otherwise hold Ctrl-C for minutes. The schedule is resumed by the next start anyway."""

    def __init__(self, server: LocalServer, echo: Callable[[str], None]):
        self.server, self.echo = server, echo
        self.timer: threading.Timer | None = None

    def arm(self) -> None:
        if self.timer is None:
            self.timer = threading.Timer(STOP_GRACE_S, self._force)
            self.timer.daemon = True
            self.timer.start()

    def _force(self) -> None:
        self.echo(f"voc serve: the clean stop took over {STOP_GRACE_S} s; stopping now")
        self.server.kill()
        self.echo(stopped_message(self.server))
        sys.stdout.flush()
        os._exit(0)

    def watch_signals(self) -> None:
        """Arm on SIGINT and SIGTERM, then let the handlers in place (asyncio's, Prefect's) do their part."""
        for signum in (signal.SIGINT, signal.SIGTERM):
            previous = signal.getsignal(signum)
            if callable(previous):  # not SIG_IGN / SIG_DFL

                def handler(number, frame, previous=previous):
                    self.arm()
                    previous(number, frame)

                signal.signal(signum, handler)


def serve(settings: Settings, ops: Operations, echo: Callable[[str], None] = print) -> None:
    timezone = ops.timezone()
    next_cron_time(ops.schedule.cron, timezone)  # a bad cron or zone fails here, before anything starts
    # Scheduled runs execute in subprocesses started from here: give them the same settings file.
    os.environ["VOC_CONFIG"] = str(config_path().resolve())
    signal.signal(signal.SIGTERM, _interrupt)
    # Ctrl-C (SIGINT) stops voc serve even when it was started from a script in the background,
    # where the shell has it ignore SIGINT (as uvicorn and other servers do, the handler is set anyway).
    signal.signal(signal.SIGINT, signal.default_int_handler)
    # Prefect's runner handles SIGTERM itself (pausing the schedule, then exiting); its handler
    # leaves an un-awaited coroutine behind, which is harmless and only clutters the console.
    warnings.filterwarnings("ignore", message="coroutine 'Runner.astop' was never awaited")
    server = LocalServer(settings, ops).__enter__()  # stops what it started if it fails
    deadline = StopDeadline(server, echo)
    try:
        _serve(server, settings, ops, timezone, echo, deadline)
    finally:
        deadline.arm()  # however the serve loop ended, the rest of the stop is bounded too
        # Also on SIGTERM, for which Prefect's runner exits with SystemExit once the schedule is paused.
        server.stop()
        echo(stopped_message(server))


def _serve(server: LocalServer, settings: Settings, ops: Operations, timezone: str, echo,
           deadline: StopDeadline) -> None:
    use_server(server)
    from prefect.schedules import Cron  # only now: Prefect must see the server's address

    from flows.synthesis import synthesize
    from flows.watch import watch

    ui = server.api_url.removesuffix("/api")
    echo(f"voc serve: {'reusing the' if server.reused else 'started a'} Prefect server at {ui} (UI and API)")
    echo(f"Nightly synthesis: cron \"{ops.schedule.cron}\" in {timezone}; next at "
         f"{next_cron_time(ops.schedule.cron, timezone).isoformat(timespec='minutes')}")
    echo(f"Watching {settings.paths.inbox} for new recordings every {ops.schedule.pickup_interval_s:g} s. "
         "Ctrl-C stops.")
    stop = threading.Event()
    watcher = threading.Thread(target=watch, args=(settings, ops, stop), name="voc-pickup", daemon=True)
    watcher.start()
    workspace = start_workspace(settings, ops, echo)
    try:
        run_nightly(synthesize, Cron(ops.schedule.cron, timezone=timezone), echo, deadline.watch_signals)
    finally:
        stop.set()
        if workspace is not None:
            workspace.stop()
        # A transcription in progress is not waited for: its transcript is written atomically, so
        # stopping mid-way leaves nothing half-done, and the next pass does it again.
        watcher.join(timeout=5)


def start_workspace(settings: Settings, ops: Operations, echo: Callable[[str], None]):
    """The workspace (the latest report with editing controls) beside the schedule, in a thread; a
    taken port is reported and the schedule runs on without it."""
    from flows.workspace.server import WorkspaceError, WorkspaceServer, is_loopback

    try:
        server = WorkspaceServer(settings, ops.workspace).start()
    except WorkspaceError as exc:
        echo(f"voc serve: no workspace: {exc}")
        return None
    warning = "" if is_loopback(ops.workspace.host) else " (not loopback: anyone who reaches it can edit)"
    echo(f"Workspace: {server.url}{warning}")
    return server


def run_nightly(flow, schedule, echo: Callable[[str], None] = print,
                on_started: Callable[[], None] = lambda: None) -> None:
    """Serve `flow` as the nightly deployment until Ctrl-C, as Flow.serve does, except that a schedule
    paused by the previous stop (pause_on_shutdown: no runs pile up while voc is down) is resumed.
    `on_started` runs in the event loop once the runner has set up its signal handlers."""
    import asyncio

    from prefect import get_client
    from prefect.runner import Runner
    from prefect.types.entrypoint import EntrypointType

    runner = Runner(name=DEPLOYMENT_NAME, pause_on_shutdown=True)
    deployment_id = runner.add_flow(flow, name=DEPLOYMENT_NAME, schedules=[schedule],
                                    entrypoint_type=EntrypointType.MODULE_PATH)
    with get_client(sync_client=True) as client:
        client.resume_deployment(deployment_id)
    echo(f"Serving {flow.name}/{DEPLOYMENT_NAME}: schedule active.")

    async def start() -> None:
        # The runner installs its SIGTERM handler, and asyncio its SIGINT one, before the first
        # await: a callback scheduled now runs after both.
        asyncio.get_running_loop().call_soon(on_started)
        await runner.start()

    try:
        asyncio.run(start())
    except KeyboardInterrupt:
        pass  # Ctrl-C: the runner has paused the schedule on its way out
    finally:
        signal.signal(signal.SIGINT, signal.default_int_handler)
