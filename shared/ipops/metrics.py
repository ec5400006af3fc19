"""Prometheus metrics every ipops process exposes at /metrics."""

from __future__ import annotations

from prometheus_client import Counter, Gauge, Histogram

HTTP_REQUESTS = Counter("ipops_http_requests_total", "HTTP requests answered", ["service", "method", "route", "status"])
HTTP_LATENCY = Histogram(
    "ipops_http_request_seconds",
    "HTTP request latency",
    ["service", "method", "route"],
    buckets=(0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10),
)
EVENTS_PUBLISHED = Counter("ipops_events_published_total", "Outbox events published", ["service", "topic"])
RELAY_FAILURES = Counter("ipops_relay_failures_total", "Outbox relay publish failures", ["service"])
EVENTS_HANDLED = Counter("ipops_events_handled_total", "Events consumed", ["service", "group", "outcome"])
EVENTS_DEAD_LETTERED = Counter(
    "ipops_events_dead_lettered_total", "Events sent to a dead-letter topic", ["service", "topic"]
)
OUTBOX_PENDING = Gauge(
    "ipops_outbox_pending", "Unpublished outbox rows in the relay's last batch (at most the batch size)", ["service"]
)
