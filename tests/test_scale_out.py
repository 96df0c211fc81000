"""Past one machine: transcription fanned out on Dask gives the very report a single process gives."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from conftest import EVAL, JFK, project_settings, require


def test_two_worker_local_cluster_gives_the_same_report_as_one_process(sample_run, tmp_path: Path):
    from prefect_dask import DaskTaskRunner

    from flows.config import Operations
    from flows.runners import transcription_runner
    from flows.synthesis import synthesize

    ops = Operations()
    ops.dask.enabled, ops.dask.address, ops.dask.workers = True, "", 2
    settings = project_settings(tmp_path)  # fresh transcripts: everything is transcribed on the cluster
    runner = transcription_runner(ops, settings, jobs=7)
    assert isinstance(runner, DaskTaskRunner) and runner.cluster_kwargs["n_workers"] == 2
    assert runner.cluster_kwargs["host"] == "127.0.0.1"
    result = synthesize(settings, ops)
    single_settings, single, _ = sample_run
    assert result["new_recordings"] == single["new_recordings"] == 7
    for transcript in sorted(single_settings.paths.transcripts.glob("*.json")):
        assert (settings.paths.transcripts / transcript.name).read_bytes() == transcript.read_bytes(), transcript.name
    ours = json.loads((Path(result["report"]) / "themes.json").read_text())
    theirs = json.loads((Path(single["report"]) / "themes.json").read_text())
    for doc in (ours, theirs):
        doc.pop("run")  # run id and times
    assert ours == theirs
    assert (Path(result["report"]) / "quotes.csv").read_text() == (Path(single["report"]) / "quotes.csv").read_text()


def model_loads_in_worker() -> tuple[int, int]:
    """(models held, cache hits) of the transcription model loader in this process."""
    from nlp.audio.engines import _load_faster_whisper

    info = _load_faster_whisper.cache_info()
    return info.currsize, info.hits


def test_transcription_runs_on_a_scheduler_given_by_address(prefect_harness, harness_api_url, tmp_path: Path,
                                                           monkeypatch):
    """VOC_DASK_ADDRESS: an existing cluster (here a local one, set up as a remote one would be: its
    workers told where the Prefect API is). The worker loads the model once for both recordings."""
    from distributed import Client, LocalCluster

    from flows.config import Operations
    from flows.transcription import transcribe_all
    from nlp.sources.inbox import scan_inbox

    inbox = tmp_path / "inbox"
    inbox.mkdir()
    shutil.copy(require(JFK), inbox / "jfk.flac")
    shutil.copy(require(EVAL / "audio" / "hotwords.mp3"), inbox / "hotwords.mp3")
    settings = project_settings(tmp_path, inbox)
    monkeypatch.setenv("PREFECT_API_URL", harness_api_url)  # what the workers' environment needs
    with LocalCluster(n_workers=1, threads_per_worker=1, processes=True, host="127.0.0.1",
                      dashboard_address=":0") as cluster, Client(cluster) as client:
        monkeypatch.setenv("VOC_DASK_ADDRESS", cluster.scheduler_address)
        ops = Operations()
        assert ops.dask_address == cluster.scheduler_address
        outcomes = transcribe_all(scan_inbox(inbox).recordings, settings, ops)
        loads = list(client.run(model_loads_in_worker).values())
    assert [(fresh, skip) for _, fresh, skip in outcomes] == [(True, None), (True, None)]
    assert loads == [(1, 1)]  # one model, loaded for the first recording and reused for the second
    words = " ".join(s["text"] for path, *_ in outcomes for s in json.loads(Path(path).read_text())["segments"])
    assert "ask not what your country" in words.lower()
