"""Liveness and readiness of the gateway.

Readiness reports the gateway's own database, Kafka and read-model consumer, and every upstream's
own `/readyz` (with its checks), fetched in parallel with a short timeout. It is 200 only when
everything is ready, otherwise 503 naming what is down; routing keeps working for the services
that are up whatever readiness says. A service that answers ready has its circuit closed by that
answer, so what readiness says is what a request meets (no 503 `circuit_open` for a service
reported up).
"""

from __future__ import annotations

import asyncio
from typing import Any, Literal

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse

from gateway.config import GatewaySettings
from gateway.schemas import ReadinessReport
from gateway.upstream import UpstreamError, UpstreamPool, is_ready
from ipops.runtime import ServiceRuntime

router = APIRouter(tags=["operations"])


@router.get("/healthz", summary="Liveness: the process answers")
async def healthz() -> dict[str, str]:
    """Always 200 while the process runs."""
    return {"status": "ok", "service": "gateway"}


async def _upstream_readiness(pool: UpstreamPool, name: str, timeout: float) -> dict[str, Any]:
    try:
        status, body = await pool.upstreams[name].readiness(timeout)
    except UpstreamError as exc:
        return {"status": "down", "error": f"{exc.kind}: {exc.detail}"[:300]}
    ready = is_ready(status, body)
    report: dict[str, Any] = {"status": "up" if ready else "down", "http_status": status}
    if isinstance(body, dict) and "checks" in body:
        report["checks"] = body["checks"]
    return report


async def readiness(request: Request, *, with_services: bool = True) -> dict[str, Any]:
    """The full readiness report (without the services' when `with_services` is false)."""
    app = request.app
    pool: UpstreamPool = app.state.upstreams
    runtime: ServiceRuntime = app.state.runtime
    timeout = runtime.settings_as(GatewaySettings).readiness_timeout
    names = list(pool.upstreams) if with_services else []
    own, *upstream_reports = await asyncio.gather(
        runtime.readiness(),
        *(_upstream_readiness(pool, name, timeout) for name in names),
    )
    checks: dict[str, Any] = dict(own["checks"])
    read_model = app.state.read_model
    checks["read_model"] = read_model.readiness()
    services = dict(zip(names, upstream_reports, strict=True))
    for name in names:
        services[name]["circuit"] = pool.upstreams[name].breaker.state.value
    down = [f"gateway:{k}" for k, v in checks.items() if v["status"] != "up"]
    down += [name for name, report in services.items() if report["status"] != "up"]
    return {
        "service": "gateway",
        "status": "ready" if not down else "not_ready",
        "down": down,
        "checks": checks,
        "services": services,
    }


@router.get(
    "/readyz",
    summary="Readiness: the gateway's database, Kafka and every service",
    response_model=ReadinessReport,
    responses={503: {"model": ReadinessReport, "description": "not ready: `down` names what is down"}},
)
async def readyz(request: Request, scope: Literal["all", "self"] = "all") -> JSONResponse:
    """200 when everything is ready; 503 listing what is down. `?scope=self` leaves the services
    out: a load balancer probing with it keeps routing to the gateway while one service is down
    (the gateway answers for that service with 503 problem+json, and serves the others)."""
    report = await readiness(request, with_services=scope == "all")
    return JSONResponse(report, status_code=200 if report["status"] == "ready" else 503)
