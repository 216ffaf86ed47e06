"""Early shutdown: a sliding window over task outcomes (successes and non-retryable failures only).

Retryable failures (429, timeouts, 5xx) never enter the window: they are deferred, not failed. Once the window is
full, a failure share at or above ``shutdown_error_rate`` trips the shutdown (``rate`` 1.0 never trips, which is
how ``disable_early_shutdown`` is expressed).
"""

from __future__ import annotations

from collections import deque

__all__ = ["ShutdownWindow"]


class ShutdownWindow:
    def __init__(self, size: int, rate: float, *, disabled: bool = False) -> None:
        self._outcomes: deque[int] = deque(maxlen=max(1, size))
        self.failures = 0
        self.rate = 1.0 if disabled else rate

    @property
    def size(self) -> int:
        return len(self._outcomes)

    def record(self, ok: bool) -> bool:
        """Add one outcome; True when a failure leaves the full window at or over the threshold (so a rate of 0.0
        means "stop at the first failure", not "stop after the first window of successes")."""
        outcomes = self._outcomes
        if len(outcomes) == outcomes.maxlen:
            self.failures -= outcomes[0]
        failed = 0 if ok else 1
        outcomes.append(failed)
        self.failures += failed
        return (
            not ok
            and self.rate < 1.0
            and len(outcomes) == outcomes.maxlen
            and self.failures / len(outcomes) >= self.rate
        )
