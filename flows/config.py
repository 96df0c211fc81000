"""Operations settings: the nightly schedule, the local Prefect server, Dask and run limits.

Read from the same voc.toml and environment as nlp.settings (VOC_<SECTION>__<KEY>), kept apart
because only flows/ uses them: the library never schedules or fans out anything.
"""

from __future__ import annotations

import os

from pydantic import BaseModel, Field
from pydantic_settings import BaseSettings, SettingsConfigDict

from nlp.settings import Settings


class ScheduleSettings(BaseModel):
    cron: str = "0 2 * * *"          # 02:00 every night
    timezone: str = ""               # an IANA zone such as "Europe/Berlin"; empty: this machine's zone
    pickup_interval_s: float = 60.0  # how often `voc serve` looks for new recordings between nightly runs


class PrefectSettings(BaseModel):
    host: str = "127.0.0.1"          # loopback only; "0.0.0.0" when Dask workers on other machines report to it
    port: int = 4200
    database_url: str = ""           # empty: SQLite under paths.state/prefect; or postgresql://user:pw@host/db
    startup_timeout_s: float = 120.0


class DaskSettings(BaseModel):
    enabled: bool = True             # false: transcribe inside the flow's own process
    address: str = ""                # empty: a local cluster on this machine; else a scheduler, tcp://host:8786
    workers: int = 0                 # local cluster size; 0: one worker per transcribe.cpu_threads cores


class RunSettings(BaseModel):
    lock_wait_s: float = 3600.0      # a second run waits this long for the one in progress, then gives up
    max_recording_hours: float = 4.0 # longer recordings are skipped: a stray all-day stream, not an interview
    max_table_rows: int = 200_000    # a table export with more rows is skipped: split it, or raise this


class WorkspaceSettings(BaseModel):
    host: str = "127.0.0.1"          # loopback only: the workspace edits the synthesis, with no login
    port: int = 4300                 # `voc serve` and `voc open` serve the workspace here
    author: str = ""                 # whose edits these are; empty: the OS user


class Operations(BaseSettings):
    model_config = SettingsConfigDict(env_prefix="VOC_", env_nested_delimiter="__", extra="ignore")

    schedule: ScheduleSettings = Field(default_factory=ScheduleSettings)
    prefect: PrefectSettings = Field(default_factory=PrefectSettings)
    dask: DaskSettings = Field(default_factory=DaskSettings)
    run: RunSettings = Field(default_factory=RunSettings)
    workspace: WorkspaceSettings = Field(default_factory=WorkspaceSettings)

    # Same sources and precedence as the library's settings: arguments, environment, voc.toml.
    settings_customise_sources = classmethod(Settings.settings_customise_sources.__func__)

    @property
    def dask_address(self) -> str:
        """VOC_DASK_ADDRESS (the short name operators expect) wins over dask.address."""
        return os.environ.get("VOC_DASK_ADDRESS") or self.dask.address

    @property
    def api_url(self) -> str:
        host = "127.0.0.1" if self.prefect.host in ("0.0.0.0", "::", "") else self.prefect.host
        return f"http://{host}:{self.prefect.port}/api"

    def timezone(self) -> str:
        if self.schedule.timezone:
            return self.schedule.timezone
        import tzlocal

        return tzlocal.get_localzone_name() or "UTC"
