"""Where transcription runs: on Dask through prefect-dask (a local cluster, or a scheduler given by
address), or in the flow's own process. Tasks get file paths and small records, so any worker that
can read the inbox and write the transcripts folder can take any recording; each worker process
loads the model once (nlp's cached loaders) and keeps it for the recordings that follow."""

from __future__ import annotations

import logging
import os
from contextlib import contextmanager
from typing import Iterator

from prefect.task_runners import ThreadPoolTaskRunner

from flows.config import Operations
from nlp.settings import Settings


def local_workers(ops: Operations, settings: Settings, jobs: int) -> int:
    """Local cluster size: dask.workers, or as many as the cores allow at transcribe.cpu_threads each."""
    wanted = ops.dask.workers or max(1, (os.cpu_count() or 1) // max(1, settings.transcribe.cpu_threads))
    return max(1, min(wanted, jobs))


def transcription_runner(ops: Operations, settings: Settings, jobs: int):
    """A task runner for `jobs` transcriptions."""
    if not ops.dask.enabled:
        return ThreadPoolTaskRunner(max_workers=1)  # one model, one recording at a time, in this process
    from prefect_dask import DaskTaskRunner

    if ops.dask_address:
        return DaskTaskRunner(address=ops.dask_address)
    # Loopback only (the dashboard too, on a free port): nothing of a local run listens beyond this machine.
    return DaskTaskRunner(cluster_kwargs={
        "n_workers": local_workers(ops, settings, jobs), "threads_per_worker": 1, "processes": True,
        "host": "127.0.0.1", "dashboard_address": ":0",
    })


# Dask's nanny caps these at 1 in its workers. Transcripts depend on them (OpenMP and OpenBLAS thread
# counts change the order of floating-point sums), so a capped worker would transcribe differently
# from a plain `voc run`.
THREAD_VARIABLES = ("OMP_NUM_THREADS", "MKL_NUM_THREADS", "OPENBLAS_NUM_THREADS")


@contextmanager
def local_worker_environment(ops: Operations) -> Iterator[None]:
    """The environment local Dask workers start with: this process's own thread settings, and the
    address of the Prefect API. Workers are fresh processes that read Prefect's settings from the
    environment; with a temporary (ephemeral) API, or under the test harness, its address lives only
    in this process's settings, so it is handed on, or each worker would start an API of its own."""
    if not ops.dask.enabled or ops.dask_address:
        yield
        return
    import dask
    from prefect.settings import PREFECT_API_URL

    url = PREFECT_API_URL.value()
    if not url:
        from prefect.client.orchestration import get_client

        url = str(get_client(sync_client=True).api_url)
    # The cluster's own chatter (workers joining and leaving) is not news to someone running voc.
    handed_on = {"PREFECT_API_URL": url, "DASK_LOGGING__DISTRIBUTED": os.environ.get("DASK_LOGGING__DISTRIBUTED", "warning")}
    saved = {name: os.environ.get(name) for name in handed_on}
    os.environ.update(handed_on)
    quiet = logging.getLogger("distributed")
    level = quiet.level
    quiet.setLevel(max(level, logging.WARNING))
    try:
        with dask.config.set({f"distributed.nanny.pre-spawn-environ.{name}": None for name in THREAD_VARIABLES}):
            yield
    finally:
        quiet.setLevel(level)
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value
