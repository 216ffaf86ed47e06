"""The adaptive limiter: enforces an :class:`~data_designer.throttle.aimd.AimdController` with leases.

Design note
-----------
* Ownership: one ``AdaptiveLimiter`` per (provider, model, domain), used from one asyncio loop thread (a lease
  released from another thread is handed to that loop with ``call_soon_threadsafe``). It owns the
  permits (``in_flight``), the FIFO of waiters, and at most one armed timer; the controller owns the limit.
* Invariant: a request is admitted only when the controller says so (``in_flight < limit`` and not cooling down)
  and nobody is queued ahead of it. ``in_flight`` is incremented at the moment a lease is granted, never later.
* Wake-ups, no polling: a release (and the timer) runs ``_pump``, which hands leases to exactly as many queued
  waiters, in FIFO order, as the controller admits right now, by resolving their futures. When waiters are blocked
  by a cooldown or a pending startup-ramp step, one timer is armed for the controller's ``next_wakeup``; it is
  cancelled as soon as the queue empties.
* Cancellation: a waiter cancelled while queued removes itself and never held a permit. A waiter cancelled after
  its future was resolved (the lease granted but the task not yet resumed) releases that lease as ``CANCELLED``,
  which hands the permit straight to the next waiter. No permit leaks either way.
* Every lease must be released exactly once with an :class:`Outcome`; a second release is logged and ignored.
  Retries belong above the lease, so every 429 reaches the algorithm.
"""

from __future__ import annotations

import asyncio
import enum
import logging
from collections import deque
from typing import Any

from data_designer.throttle.aimd import Admission, AimdController, ChangeKind, LimitChange
from data_designer.throttle.clock import Clock, MonotonicClock, SchedulingClock, TimerHandle
from data_designer.throttle.settings import settings_from

__all__ = ["AdaptiveLimiter", "Lease", "Outcome"]

logger = logging.getLogger("data_designer.throttle")


def _running_loop() -> asyncio.AbstractEventLoop | None:
    try:
        return asyncio.get_running_loop()
    except RuntimeError:
        return None


class Outcome(enum.Enum):
    SUCCESS = "success"
    RATE_LIMITED = "rate_limited"  # HTTP 429; pass the Retry-After seconds if the server sent one
    FAILED = "failed"  # any other error or timeout: frees the permit, no capacity signal
    CANCELLED = "cancelled"  # the caller gave up (task cancelled) before an answer arrived


class Lease:
    """One admitted request. Release it exactly once, with what happened."""

    __slots__ = ("_limiter", "_admission", "_released")

    def __init__(self, limiter: AdaptiveLimiter, admission: Admission) -> None:
        self._limiter = limiter
        self._admission = admission
        self._released = False

    @property
    def released(self) -> bool:
        return self._released

    @property
    def admitted_limit(self) -> int:
        return self._admission.limit

    @property
    def admitted_at(self) -> float:
        return self._admission.admitted_at

    def release(self, outcome: Outcome, *, retry_after_s: float | None = None) -> None:
        if self._released:
            logger.warning(
                "lease of %s released twice (second outcome %s ignored); release each lease exactly once",
                self._limiter.name,
                Outcome(outcome).value,
            )
            return
        self._released = True
        self._limiter._on_release(self._admission, Outcome(outcome), retry_after_s)

    def __repr__(self) -> str:
        state = "released" if self._released else "held"
        return f"<Lease {self._limiter.name} admitted at limit {self._admission.limit}, {state}>"


class _Span:
    """Accumulates the total length of possibly-open time intervals (queue non-empty, cooling down)."""

    __slots__ = ("closed_s", "start", "end")

    def __init__(self) -> None:
        self.closed_s = 0.0
        self.start: float | None = None
        self.end: float | None = None  # known end of the open interval (cooldowns), None = open until closed

    def open(self, now: float, end: float | None = None) -> None:
        if self.start is not None and (self.end is None or now <= self.end):
            if end is not None and self.end is not None:
                self.end = max(self.end, end)
            return
        if self.start is not None and self.end is not None:
            self.closed_s += self.end - self.start
        self.start, self.end = now, end

    def close(self, now: float) -> None:
        if self.start is not None:
            self.closed_s += max(0.0, (now if self.end is None else min(now, self.end)) - self.start)
            self.start = self.end = None

    def total(self, now: float) -> float:
        if self.start is None:
            return self.closed_s
        end = now if self.end is None else min(now, self.end)
        return self.closed_s + max(0.0, end - self.start)


class AdaptiveLimiter:
    """Admission for one (provider, model, domain): FIFO, cancellable, AIMD-limited."""

    def __init__(self, *, name: str, max_limit: int, config: Any = None, clock: Clock | None = None) -> None:
        self.name = name
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._algo = AimdController(max_limit=max_limit, settings=settings_from(config))
        self._in_flight = 0
        self._waiters: deque[asyncio.Future[Lease]] = deque()
        self._timer: TimerHandle | None = None
        self._timer_at: float | None = None
        self._loop: asyncio.AbstractEventLoop | None = None  # loop of the waiters, for off-thread releases
        # usage stats
        self._acquired = 0
        self._peak_in_flight = 0
        self._outcomes = dict.fromkeys(Outcome, 0)
        self._reductions = 0
        self._increases = 0
        self._queued = _Span()
        self._cooling = _Span()

    # ------------------------------------------------------------------ state
    @property
    def limit(self) -> int:
        self._apply(self._algo.tick(self._clock.now()))
        return self._algo.limit

    @property
    def in_flight(self) -> int:
        return self._in_flight

    @property
    def max_limit(self) -> int:
        return self._algo.max_limit

    @property
    def waiting(self) -> int:
        return len(self._waiters)

    @property
    def ceiling(self) -> int | None:
        return self._algo.ceiling

    @property
    def controller(self) -> AimdController:
        """The algorithm's state, read-only by convention (tests and diagnostics)."""
        return self._algo

    def snapshot(self) -> dict[str, Any]:
        now = self._clock.now()
        return {
            "name": self.name,
            "limit": self.limit,
            "max_limit": self._algo.max_limit,
            "in_flight": self._in_flight,
            "peak_in_flight": self._peak_in_flight,
            "waiting": len(self._waiters),
            "ceiling": self._algo.ceiling,
            "soft_ceiling": self._algo.soft_ceiling,
            "cooling_down": self._algo.in_cooldown(now),
            "acquired": self._acquired,
            "succeeded": self._outcomes[Outcome.SUCCESS],
            "rate_limited": self._outcomes[Outcome.RATE_LIMITED],
            "failed": self._outcomes[Outcome.FAILED],
            "cancelled": self._outcomes[Outcome.CANCELLED],
            "reductions": self._reductions,
            "increases": self._increases,
            "throttled_s": self._queued.total(now),
            "cooldown_s": self._cooling.total(now),
        }

    # -------------------------------------------------------------- admission
    def try_acquire(self) -> Lease | None:
        """A lease if one is available right now without queue-jumping, else ``None``."""
        if self._waiters:
            self._pump()  # let the queue catch up with any ramp step that is due; never jump it
            return None
        now = self._clock.now()
        self._apply(self._algo.tick(now))
        if self._algo.blocked_reason(now, self._in_flight) is not None:
            return None
        return self._grant(now)

    async def acquire(self) -> Lease:
        """Wait (FIFO) until the limit and any cooldown allow one more request; cancellable without leaks."""
        lease = self.try_acquire()
        if lease is not None:
            return lease
        self._loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Lease] = self._loop.create_future()
        self._waiters.append(waiter)
        self._queued.open(self._clock.now())
        self._pump()
        try:
            return await waiter
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                waiter.result().release(Outcome.CANCELLED)  # granted but never used: pass the permit on
            else:
                self._forget(waiter)
            raise

    # ---------------------------------------------------------------- internals
    def _grant(self, now: float) -> Lease:
        self._in_flight += 1
        self._acquired += 1
        self._peak_in_flight = max(self._peak_in_flight, self._in_flight)
        return Lease(self, self._algo.on_admit(now))

    def _forget(self, waiter: asyncio.Future[Lease]) -> None:
        try:
            self._waiters.remove(waiter)
        except ValueError:
            pass
        if not self._waiters:
            self._queued.close(self._clock.now())
            self._disarm()

    def _on_release(self, admission: Admission, outcome: Outcome, retry_after_s: float | None) -> None:
        loop = self._loop
        if loop is not None and loop.is_running() and _running_loop() is not loop:
            # Released from a worker thread (e.g. a sync bridge): waiters' futures belong to the loop, so apply
            # the release there.
            loop.call_soon_threadsafe(self._on_release, admission, outcome, retry_after_s)
            return
        now = self._clock.now()
        self._in_flight -= 1
        self._outcomes[outcome] += 1
        if outcome is Outcome.SUCCESS:
            self._apply(self._algo.on_success(now))
        elif outcome is Outcome.RATE_LIMITED:
            self._apply(self._algo.on_rate_limit(now, admission, retry_after_s))
            if self._algo.in_cooldown(now):
                self._cooling.open(now, self._algo.blocked_until)
        else:
            self._apply(self._algo.on_failure(now))
        self._pump()

    def _pump(self) -> None:
        """Grant leases to as many queued waiters as may start now; arm a timer if the rest wait on time."""
        now = self._clock.now()
        self._apply(self._algo.tick(now))
        while self._waiters and self._algo.blocked_reason(now, self._in_flight) is None:
            waiter = self._waiters.popleft()
            if waiter.done():  # cancelled while queued; its task will find it gone
                continue
            waiter.set_result(self._grant(now))
        if not self._waiters:
            self._queued.close(now)
            self._disarm()
            return
        self._arm(self._algo.next_wakeup(now))

    def _arm(self, when: float | None) -> None:
        if when is None:
            self._disarm()
            return
        if self._timer is not None and self._timer_at == when:
            return
        self._disarm()
        self._timer_at = when
        if isinstance(self._clock, SchedulingClock):
            self._timer = self._clock.call_at(when, self._on_timer)
        else:
            delay = max(0.0, when - self._clock.now())
            self._timer = asyncio.get_running_loop().call_later(delay, self._on_timer)

    def _disarm(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
        self._timer = None
        self._timer_at = None

    def _on_timer(self) -> None:
        self._timer = None
        self._timer_at = None
        self._pump()

    def _apply(self, change: LimitChange | None) -> None:
        if change is None:
            return
        if change.kind is ChangeKind.REDUCED:
            self._reductions += 1
            cooldown = f"cooling down {change.cooldown_s:.1f}s"
            if change.new_limit < change.old_limit:
                logger.info(
                    "concurrency reduced from %d → %d (%s, %s)", change.old_limit, change.new_limit, self.name, cooldown
                )
            else:
                logger.info("concurrency rate-limited at %d (%s, %s)", change.old_limit, self.name, cooldown)
        elif change.kind is ChangeKind.INCREASED:
            self._increases += 1
            logger.info("concurrency increased from %d → %d (%s)", change.old_limit, change.new_limit, self.name)
        elif change.kind is ChangeKind.RAMPED:
            logger.debug("concurrency ramped from %d → %d (%s)", change.old_limit, change.new_limit, self.name)
        else:
            logger.info("concurrency capped from %d → %d (%s)", change.old_limit, change.new_limit, self.name)

    def set_max_limit(self, max_limit: int) -> None:
        """Lower the ceiling (the registry calls this when a later alias registers a smaller max)."""
        self._apply(self._algo.set_max_limit(max_limit))

    def __repr__(self) -> str:
        return (
            f"<AdaptiveLimiter {self.name} limit={self._algo.limit}/{self._algo.max_limit} in_flight={self._in_flight}>"
        )
