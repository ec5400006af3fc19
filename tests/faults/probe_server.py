"""The probe service as a real process for fault injection: uvicorn, its own outbox relay and
consumer, real Kafka and PostgreSQL. Run as `python -m tests.faults.probe_server`.

Environment:
  PROBE_DATABASE_URL, PROBE_KAFKA_BOOTSTRAP_SERVERS, PROBE_TOPIC_PREFIX, PROBE_JWT_PUBLIC_KEYS,
  PROBE_JWT_ISSUER (ordinary ServiceSettings with the PROBE_ prefix), PROBE_PORT;
  FAULT_KILL_AFTER_COMMIT_SEQ=N   SIGKILL itself right after the write of item seq N committed,
                                  before the relay could publish it;
  FAULT_KILL_AFTER_HANDLE_SEQ=N   SIGKILL itself right after the handler's transaction for seq N
                                  committed, before the Kafka offset was committed.
The kill hooks live here, in the test's probe, not in the platform code under test.
"""

from __future__ import annotations

import os
import signal
from typing import Any

import uvicorn
from fastapi import FastAPI
from pydantic_settings import SettingsConfigDict
from sqlalchemy import event as sa_event
from sqlalchemy.ext.asyncio import AsyncSession

from ipops.events import CloudEvent
from ipops.settings import ServiceSettings
from tests.foundation import probe, probe_app


class ProbeSettings(ServiceSettings):
    model_config = SettingsConfigDict(env_prefix="PROBE_", extra="ignore")

    service_name: str = "probe"
    migrate_on_startup: bool = False


def _kill_now() -> None:
    os.kill(os.getpid(), signal.SIGKILL)


def install_fault_hooks(app: FastAPI) -> None:
    kill_after_commit = int(os.environ.get("FAULT_KILL_AFTER_COMMIT_SEQ", "-1"))
    kill_after_handle = int(os.environ.get("FAULT_KILL_AFTER_HANDLE_SEQ", "-1"))

    if kill_after_commit >= 0:

        def kill_after_write(seq: int) -> None:
            if seq == kill_after_commit:
                _kill_now()

        probe_app.after_write = kill_after_write

    if kill_after_handle >= 0:
        original = probe.on_item_recorded

        async def killing_handler(session: AsyncSession, event: CloudEvent, payload: Any) -> None:
            await original(session, event, payload)
            if payload.seq == kill_after_handle:
                sa_event.listen(session.sync_session, "after_commit", lambda _s: _kill_now())

        for consumer in app.state.runtime.consumers:
            consumer._handlers[probe.ItemRecordedV1.event_type] = killing_handler


def main() -> None:
    settings = ProbeSettings()
    # PROBE_CONSUME=0 runs only the API and the outbox relay (the producing side of a benchmark).
    app = probe_app.create_probe_app(settings, consume=os.environ.get("PROBE_CONSUME", "1") != "0")
    install_fault_hooks(app)
    uvicorn.run(app, host="127.0.0.1", port=int(os.environ["PROBE_PORT"]), log_config=None)


if __name__ == "__main__":
    main()
