"""A circuit breaker per upstream: after repeated transport failures the gateway stops sending a
service requests for a while and answers 503 at once, instead of making every caller wait for a
connect timeout. After the pause one trial request goes through (half-open); its success closes
the circuit, its failure opens it again.

Only transport failures count (refused connections, timeouts, broken responses); a 4xx or 5xx
answer is the service speaking, not the service gone. A service that says it is ready again (its
`/readyz`, asked by the gateway's readiness or by its probe of an open circuit) closes the
circuit at once (`close`), so a restarted service is not refused for the rest of the pause.

The breaker reads time from an injectable clock (monotonic seconds), so its cycle can be tested
without sleeping.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from enum import StrEnum


class BreakerState(StrEnum):
    """Where a circuit stands."""

    CLOSED = "closed"
    OPEN = "open"
    HALF_OPEN = "half_open"


class CircuitBreaker:
    """Consecutive-failure breaker; single event loop, so no locking is needed."""

    def __init__(
        self, *, failure_threshold: int, open_seconds: float, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self.failure_threshold = failure_threshold
        self.open_seconds = open_seconds
        self._clock = clock
        self._failures = 0
        self._opened_at: float | None = None
        self._trial_in_flight = False

    @property
    def state(self) -> BreakerState:
        """The state now (an open circuit turns half-open once its pause is over)."""
        if self._opened_at is None:
            return BreakerState.CLOSED
        if self._clock() - self._opened_at >= self.open_seconds:
            return BreakerState.HALF_OPEN
        return BreakerState.OPEN

    def retry_after(self) -> float:
        """Seconds until a trial request may go through."""
        if self._opened_at is None:
            return 0.0
        return max(0.0, self.open_seconds - (self._clock() - self._opened_at))

    def allow(self) -> bool:
        """Whether a request may be sent now (in half-open state, only one trial at a time)."""
        state = self.state
        if state is BreakerState.CLOSED:
            return True
        if state is BreakerState.HALF_OPEN and not self._trial_in_flight:
            self._trial_in_flight = True
            return True
        return False

    def record_success(self) -> None:
        """The upstream answered: close the circuit."""
        self._failures = 0
        self._opened_at = None
        self._trial_in_flight = False

    def close(self) -> None:
        """The service answered its readiness probe as ready: close the circuit now."""
        self.record_success()

    def record_failure(self) -> None:
        """A transport failure: count it, and open (or reopen) the circuit at the threshold."""
        self._failures += 1
        if self._trial_in_flight or self._failures >= self.failure_threshold:
            self._opened_at = self._clock()
        self._trial_in_flight = False
