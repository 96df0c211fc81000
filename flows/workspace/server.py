"""Serving the workspace app with uvicorn: in the foreground (`voc open`) or beside the nightly
schedule in a thread (`voc serve`). The socket is bound here first, so a taken port is a clear
error before anything else starts."""

from __future__ import annotations

import ipaddress
import socket
import threading

from flows.config import WorkspaceSettings
from nlp.settings import Settings


class WorkspaceError(RuntimeError):
    """The workspace could not start; the message says why and what to do."""


def is_loopback(host: str) -> bool:
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return host == "localhost"


def bind(config: WorkspaceSettings) -> socket.socket:
    family = socket.AF_INET6 if ":" in config.host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((config.host, config.port))
    except OSError as exc:
        sock.close()
        raise WorkspaceError(f"cannot serve the workspace on {config.host}:{config.port} ({exc.strerror}); "
                             "set workspace.port in voc.toml (or VOC_WORKSPACE__PORT)") from exc
    sock.listen(64)
    sock.set_inheritable(True)
    return sock


class WorkspaceServer:
    """uvicorn serving the workspace app on an already bound socket."""

    def __init__(self, settings: Settings, config: WorkspaceSettings):
        import uvicorn

        from flows.workspace.app import create_app

        self.socket = bind(config)
        port = self.socket.getsockname()[1]
        host = f"[{config.host}]" if ":" in config.host else config.host
        self.url = f"http://{host}:{port}/"
        app = create_app(settings, config.author, config.host, port)
        self.server = uvicorn.Server(uvicorn.Config(app, log_level="warning", access_log=False, lifespan="off"))
        self.thread: threading.Thread | None = None

    def run(self) -> None:
        """In the foreground until Ctrl-C."""
        try:
            self.server.run(sockets=[self.socket])
        finally:
            self.socket.close()

    def start(self) -> "WorkspaceServer":
        """In a thread (uvicorn leaves signals to the main thread there)."""
        self.thread = threading.Thread(target=self.run, name="voc-workspace", daemon=True)
        self.thread.start()
        return self

    def stop(self, timeout: float = 10.0) -> None:
        self.server.should_exit = True
        if self.thread is not None:
            self.thread.join(timeout)
