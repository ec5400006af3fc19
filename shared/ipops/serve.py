"""Serving an app from its console script: one uvicorn configuration for all five processes.

Host and port come from `<PREFIX>_HOST` / `<PREFIX>_PORT`, and the worker count from
`<PREFIX>_WORKERS` (default 1): with more than one, uvicorn starts that many processes on the same
socket, each building the app from the factory, which is how a service uses both cores.
"""

from __future__ import annotations

import gc
import importlib
import os

import uvicorn


def run_service(factory: str, *, env_prefix: str, default_port: int) -> None:
    """Serve the app built by `factory` ("package.main:create_app") until stopped."""
    # Import the app's modules now and freeze what survives a collection: the framework's and the
    # models' objects then sit in the permanent generation, so no collection during a request walks
    # them (the cyclic collector took half of a bulk upload's parse time; #17). Served processes
    # only: a test process starts and stops many apps, whose cycles a freeze would keep.
    importlib.import_module(factory.split(":", 1)[0])
    gc.collect()
    gc.freeze()
    uvicorn.run(
        factory,
        factory=True,
        host=os.environ.get(f"{env_prefix}_HOST", "127.0.0.1"),
        port=int(os.environ.get(f"{env_prefix}_PORT", str(default_port))),
        workers=int(os.environ.get(f"{env_prefix}_WORKERS", "1")),
        log_config=None,
        proxy_headers=True,
    )
