"""Request executor: every HTTP attempt runs under a throttle lease released with its outcome.

Design note
-----------
* Retries happen *above* the lease: each attempt acquires its own lease, so every 429 is reported to the AIMD
  algorithm (``Outcome.RATE_LIMITED`` with the server's Retry-After) and a retry waits for admission like any new
  request.
* Transport retries are only for 502/503/504 and connection errors, with the backoff ``retry_backoff_s``
  (2, 4, 8 s by default). 429s are not retried here on the async engine - the scheduler defers the task - unless
  ``retry_rate_limits > 0`` (the legacy sync-engine policy), which waits Retry-After (or the next backoff) and tries
  again. Timeouts and every other error are raised at once.
* Cancellation releases the lease with ``Outcome.CANCELLED`` and re-raises.
* Time is injected: ``clock`` (a throttle ``Clock``) is read only when a request actually had to wait for admission (the fast path
  ``try_acquire`` reads no clock), and ``sleep`` is injectable so tests never sleep.
"""

from __future__ import annotations

import asyncio
import contextvars
from collections.abc import Awaitable, Callable
from typing import Any, Protocol, TypeVar

from data_designer.errors import ModelAPIConnectionError, ModelInternalServerError, ModelRateLimitError
from data_designer.models.usage import ModelUsageStats

__all__ = ["RETRYABLE_STATUS_CODES", "RequestExecutor", "RetryPolicy"]

T = TypeVar("T")
RETRYABLE_STATUS_CODES = frozenset({502, 503, 504})


class LeaseLike(Protocol):
    def release(self, outcome: Any, *, retry_after_s: float | None = None) -> None: ...


class LimiterLike(Protocol):
    async def acquire(self) -> LeaseLike: ...

    def try_acquire(self) -> LeaseLike | None: ...


# Set by the engine (per task) when it traces tasks: called each time a request obtains its throttle lease.
lease_acquired_hook: contextvars.ContextVar[Callable[[], None] | None] = contextvars.ContextVar(
    "data_designer_lease_acquired_hook", default=None
)


class RetryPolicy:
    """How the executor retries; ``retry_rate_limits`` > 0 only for the legacy sync-engine policy."""

    __slots__ = ("retry_backoff_s", "retry_rate_limits")

    def __init__(self, retry_backoff_s: tuple[float, ...] = (2.0, 4.0, 8.0), retry_rate_limits: int = 0) -> None:
        self.retry_backoff_s = tuple(retry_backoff_s)
        self.retry_rate_limits = retry_rate_limits


def _is_transport_retryable(exc: BaseException) -> bool:
    if isinstance(exc, ModelAPIConnectionError):
        return True
    return isinstance(exc, ModelInternalServerError) and exc.status_code in RETRYABLE_STATUS_CODES


class RequestExecutor:
    def __init__(
        self,
        limiter_for: Callable[[str], LimiterLike],
        usage: ModelUsageStats,
        *,
        policy: RetryPolicy | None = None,
        clock: Any = None,
        sleep: Callable[[float], Awaitable[Any]] = asyncio.sleep,
    ) -> None:
        from data_designer.throttle import MonotonicClock, Outcome

        self._outcome = Outcome
        self._limiter_for = limiter_for
        self._limiters: dict[str, LimiterLike] = {}
        self.usage = usage
        self.policy = policy or RetryPolicy()
        self._now = (clock if clock is not None else MonotonicClock()).now
        self._sleep = sleep

    def _limiter(self, domain: str) -> LimiterLike:
        limiter = self._limiters.get(domain)
        if limiter is None:
            limiter = self._limiters[domain] = self._limiter_for(domain)
        return limiter

    async def _acquire(self, limiter: LimiterLike) -> LeaseLike:
        lease = limiter.try_acquire()
        if lease is None:
            started = self._now()
            lease = await limiter.acquire()
            self.usage.throttled_s += self._now() - started
        return lease

    async def execute(self, send: Callable[[], Awaitable[T]], *, domain: str = "chat") -> T:
        """Run ``send`` under a lease of the ``domain`` limiter, retrying as the policy allows."""
        outcome, usage, policy = self._outcome, self.usage, self.policy
        limiter = self._limiter(domain)
        transport_retries = 0
        rate_limit_retries = 0
        while True:
            lease = await self._acquire(limiter)
            hook = lease_acquired_hook.get()
            if hook is not None:
                hook()
            try:
                result = await send()
            except ModelRateLimitError as exc:
                lease.release(outcome.RATE_LIMITED, retry_after_s=exc.retry_after)
                usage.rate_limited += 1
                usage.requests_failed += 1
                if rate_limit_retries >= policy.retry_rate_limits:
                    raise
                delay = exc.retry_after if exc.retry_after is not None else self._backoff(rate_limit_retries)
                rate_limit_retries += 1
                await self._sleep(delay)
            except asyncio.CancelledError:
                lease.release(outcome.CANCELLED)
                usage.requests_cancelled += 1
                raise
            except BaseException as exc:
                lease.release(outcome.FAILED)
                usage.requests_failed += 1
                if not _is_transport_retryable(exc) or transport_retries >= len(policy.retry_backoff_s):
                    raise
                delay = policy.retry_backoff_s[transport_retries]
                transport_retries += 1
                await self._sleep(delay)
            else:
                lease.release(outcome.SUCCESS)
                usage.requests_ok += 1
                return result

    def _backoff(self, attempt: int) -> float:
        backoff = self.policy.retry_backoff_s
        return backoff[min(attempt, len(backoff) - 1)] if backoff else 0.0
