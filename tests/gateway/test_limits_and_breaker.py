"""The token bucket and the circuit breaker on their own: refill arithmetic, header figures,
and the breaker's closed -> open -> half-open -> closed cycle."""

from __future__ import annotations

import pytest

from gateway.breaker import BreakerState, CircuitBreaker
from gateway.protection import Policy, TokenBuckets

POLICY = Policy("client", requests=10, window=10.0)  # 1 token a second, burst 10


def test_bucket_allows_the_burst_then_refuses_and_refills() -> None:
    buckets = TokenBuckets()
    decisions = [buckets.take(POLICY, "a", now=100.0) for _ in range(11)]
    assert [d.allowed for d in decisions] == [True] * 10 + [False]
    assert [d.remaining for d in decisions[:3]] == [9, 8, 7]
    assert decisions[-1].retry_after == 1
    assert decisions[9].reset_seconds == 10  # empty: ten seconds to full
    assert buckets.take(POLICY, "a", now=100.5).allowed is False  # half a token
    again = buckets.take(POLICY, "a", now=101.6)
    assert again.allowed and again.remaining == 0
    assert buckets.take(POLICY, "b", now=101.6).remaining == 9  # another key, its own bucket
    assert buckets.take(POLICY, "a", now=1000.0).remaining == 9  # never more than the burst


@pytest.mark.parametrize(
    ("requests", "window", "header"), [(600, 60, '"client";q=600;w=60'), (5, 1.5, '"client";q=5;w=2')]
)
def test_policy_header(requests: int, window: float, header: str) -> None:
    assert Policy("client", requests, window).header() == header


def test_forgotten_buckets_come_back_full() -> None:
    buckets = TokenBuckets(max_keys=2)
    for key in ("a", "b", "c"):
        buckets.take(POLICY, key, now=0.0)
    assert buckets.take(POLICY, "a", now=0.0).remaining == 9


class FakeClock:
    """Monotonic seconds that move only when the test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def test_breaker_cycle() -> None:
    clock = FakeClock()
    breaker = CircuitBreaker(failure_threshold=3, open_seconds=10.0, clock=clock)
    for _ in range(2):
        assert breaker.allow()
        breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
    breaker.record_failure()
    assert breaker.state is BreakerState.OPEN
    assert not breaker.allow()
    assert breaker.retry_after() == 10.0
    clock.advance(9.5)
    assert breaker.state is BreakerState.OPEN  # not before the pause is over
    assert breaker.retry_after() == 0.5
    clock.advance(0.5)
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.retry_after() == 0.0
    assert breaker.allow()  # one trial
    assert not breaker.allow()  # and only one
    breaker.record_failure()  # the trial failed: open again at once, for a full pause
    assert breaker.state is BreakerState.OPEN
    assert breaker.retry_after() == 10.0
    clock.advance(10.0)
    assert breaker.state is BreakerState.HALF_OPEN
    assert breaker.allow()
    breaker.record_success()
    assert breaker.state is BreakerState.CLOSED
    assert breaker.allow() and breaker.allow()
    assert breaker.retry_after() == 0.0


def test_success_resets_the_failure_count() -> None:
    breaker = CircuitBreaker(failure_threshold=2, open_seconds=10)
    breaker.record_failure()
    breaker.record_success()
    breaker.record_failure()
    assert breaker.state is BreakerState.CLOSED
