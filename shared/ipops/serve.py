"""Serving an app from its console script: one uvicorn configuration for all five processes.

Host and port come from `<PREFIX>_HOST` / `<PREFIX>_PORT`, and the worker count from
`<PREFIX>_WORKERS` (default 1): with more than one, uvicorn starts that many processes on the same
socket, each building the app from the factory, which is how a service uses both cores.
"""

from __future__ import annotations

import os

import uvicorn


def run_service(factory: str, *, env_prefix: str, default_port: int) -> None:
    """Serve the app built by `factory` ("package.main:create_app") until stopped."""
    uvicorn.run(
        factory,
        factory=True,
        host=os.environ.get(f"{env_prefix}_HOST", "127.0.0.1"),
        port=int(os.environ.get(f"{env_prefix}_PORT", str(default_port))),
        workers=int(os.environ.get(f"{env_prefix}_WORKERS", "1")),
        log_config=None,
        proxy_headers=True,
    )
