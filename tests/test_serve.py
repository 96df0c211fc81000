"""`voc serve` for real, in a subprocess: a local Prefect server on loopback, the nightly deployment
with its time-zone-aware cron, clean stops on Ctrl-C and SIGTERM, and the schedule resumed on restart."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest


CRON, ZONE = "30 1 * * *", "Europe/Berlin"


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listening_addresses(port: int) -> set[str]:
    """Local addresses with a listening TCP socket on `port` (Linux /proc/net/tcp and tcp6)."""
    found = set()
    for table in ("/proc/net/tcp", "/proc/net/tcp6"):
        for line in Path(table).read_text().splitlines()[1:]:
            local, state = line.split()[1], line.split()[3]
            address, hex_port = local.rsplit(":", 1)
            if state == "0A" and int(hex_port, 16) == port:  # 0A: LISTEN
                found.add(address)
    return found


def server_process_groups(port: int) -> set[int]:
    """Process groups of the Prefect servers started on `port` (from /proc)."""
    groups = set()
    for entry in Path("/proc").iterdir():
        try:
            command = (entry / "cmdline").read_bytes().split(b"\0")
            if b"prefect" in b" ".join(command) and b"server" in command and str(port).encode() in command:
                groups.add(os.getpgid(int(entry.name)))
        except (OSError, ValueError):  # not a process, or gone meanwhile
            continue
    return groups


class Served:
    def __init__(self, root: Path, env: dict[str, str]):
        self.root, self.env = root, env
        self.api = f"http://127.0.0.1:{env['VOC_PREFECT__PORT']}/api"

    def start(self) -> subprocess.Popen:
        self.log = open(self.root / f"serve-{time.monotonic_ns()}.log", "w+")
        return subprocess.Popen([sys.executable, "-m", "flows.cli", "serve"], cwd=self.root, env=self.env,
                                stdout=self.log, stderr=subprocess.STDOUT, text=True)

    def output(self) -> str:
        self.log.seek(0)
        return self.log.read()

    def deployment(self, proc: subprocess.Popen, timeout: float = 240) -> dict:
        """The nightly deployment, once `voc serve` says it is serving it."""
        deadline = time.monotonic() + timeout
        while "Serving voc-synthesis/nightly" not in self.output():
            assert proc.poll() is None, f"voc serve exited early:\n{self.output()}"
            if time.monotonic() > deadline:
                pytest.fail(f"voc serve did not start serving within {timeout} s:\n{self.output()}")
            time.sleep(0.5)
        return httpx.get(f"{self.api}/deployments/name/voc-synthesis/nightly", timeout=10).json()

    def stop(self, proc: subprocess.Popen, how: int) -> int:
        proc.send_signal(how)
        try:
            return proc.wait(90)
        except subprocess.TimeoutExpired:
            proc.kill()
            for group in server_process_groups(int(self.env["VOC_PREFECT__PORT"])):  # leave no server behind
                os.killpg(group, signal.SIGKILL)
            pytest.fail(f"voc serve did not stop within 90 s of signal {how}:\n{self.output()}")


@pytest.fixture
def project(tmp_path: Path) -> Served:
    (tmp_path / "recordings").mkdir()
    (tmp_path / "voc.toml").write_text(f'[schedule]\ncron = "{CRON}"\ntimezone = "{ZONE}"\n'
                                       "pickup_interval_s = 3600\n", encoding="utf-8")
    env = dict(os.environ, VOC_CONFIG=str(tmp_path / "voc.toml"), VOC_PREFECT__PORT=str(free_port()),
               VOC_WORKSPACE__PORT=str(free_port()))
    env.pop("PREFECT_API_URL", None)
    return Served(tmp_path, env)


def test_serve_schedules_the_nightly_run_stops_cleanly_and_resumes(project: Served):
    proc = project.start()
    first = project.deployment(proc)
    assert [s["schedule"] for s in first["schedules"]] == [{"cron": CRON, "timezone": ZONE, "day_or": True}]
    assert all(s["active"] for s in first["schedules"]) and not first["paused"]
    assert first["entrypoint"] == "flows.synthesis.synthesize"
    port = int(project.env["VOC_PREFECT__PORT"])
    assert listening_addresses(port) == {"0100007F"}  # 127.0.0.1 only
    assert (project.root / ".voc" / "prefect" / "prefect.db").is_file()  # the state folder holds its database
    # The workspace beside it, on loopback too; before the first run it says what to do.
    workspace = int(project.env["VOC_WORKSPACE__PORT"])
    assert listening_addresses(workspace) == {"0100007F"}
    page = httpx.get(f"http://127.0.0.1:{workspace}/", timeout=30)
    assert page.status_code == 200 and "run `voc run` first" in page.text
    assert f"Workspace: http://127.0.0.1:{workspace}/" in project.output()

    status = subprocess.run([sys.executable, "-m", "flows.cli", "status", "--json"], cwd=project.root,
                            env=project.env, capture_output=True, text=True, timeout=120)
    schedule = json.loads(status.stdout)["schedule"]
    assert schedule["served"] and schedule["active"] and schedule["timezone"] == ZONE
    assert schedule["next"][11:16] == "01:30" and schedule["next"][16:] in ("+01:00", "+02:00")

    assert project.stop(proc, signal.SIGINT) == 0
    assert "voc serve: stopped, and the Prefect server with it" in project.output()
    assert listening_addresses(port) == set() and listening_addresses(workspace) == set()

    again = project.start()  # the schedule was paused on the way out; a restart resumes it
    second = project.deployment(again)
    assert second["id"] == first["id"]
    assert all(s["active"] for s in second["schedules"]) and not second["paused"]
    assert project.stop(again, signal.SIGTERM) == 0
    assert listening_addresses(port) == set()


def test_ctrl_c_stops_within_the_grace_period_even_when_the_server_hangs(project: Served):
    from flows.serve import STOP_GRACE_S

    proc = project.start()
    project.deployment(proc)
    port = int(project.env["VOC_PREFECT__PORT"])
    groups = server_process_groups(port)
    assert groups, "the Prefect server process was not found"
    for group in groups:
        os.killpg(group, signal.SIGSTOP)  # a frozen server: it never answers the runner's last calls
    started = time.monotonic()
    assert project.stop(proc, signal.SIGINT) == 0
    assert time.monotonic() - started < STOP_GRACE_S + 30
    assert "stopping now" in project.output() and "voc serve: stopped, and the Prefect server with it" in project.output()
    assert listening_addresses(port) == set()  # the frozen server was killed, not left behind


def test_prefect_runs_on_postgresql_when_given_a_url(project: Served, postgres_databases):
    from sqlalchemy import create_engine, text

    from nlp.store import portable_url

    url = postgres_databases()
    project.env["VOC_PREFECT__DATABASE_URL"] = url
    proc = project.start()
    deployment = project.deployment(proc)
    with create_engine(portable_url(url)).connect() as conn:
        stored = conn.execute(text("SELECT id, name FROM deployment")).all()
    assert [(str(i), n) for i, n in stored] == [(deployment["id"], "nightly")]
    assert not (project.root / ".voc" / "prefect" / "prefect.db").exists()
    assert project.stop(proc, signal.SIGINT) == 0
