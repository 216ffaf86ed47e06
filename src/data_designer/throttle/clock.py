"""Time for the throttle, injected.

Design note: the AIMD algorithm and the limiter never read the wall clock themselves; they ask a :class:`Clock`.
This is the only module in data-designer that reads ``time.monotonic`` for throttling, so tests can replace time
with :class:`FakeClock` and never sleep.

A clock may also schedule callbacks (:class:`SchedulingClock`). The limiter uses that to wake waiters when a
cooldown ends or a startup-ramp step is due. :class:`MonotonicClock` schedules on the running asyncio loop;
:class:`FakeClock` keeps its own timer heap and fires due callbacks synchronously inside :meth:`FakeClock.advance`,
so a test decides exactly when "two seconds later" happens. A clock that only has ``now()`` still works: the limiter
then falls back to ``loop.call_later`` with a delay computed from that clock.
"""

from __future__ import annotations

import asyncio
import heapq
import itertools
import time
from collections.abc import Callable
from typing import Protocol, runtime_checkable

__all__ = ["Clock", "FakeClock", "MonotonicClock", "SchedulingClock", "TimerHandle"]


@runtime_checkable
class Clock(Protocol):
    """A monotonic source of seconds; only differences between readings are meaningful."""

    def now(self) -> float: ...


class TimerHandle(Protocol):
    def cancel(self) -> None: ...


@runtime_checkable
class SchedulingClock(Clock, Protocol):
    """A clock that can run ``callback`` once its own time reaches ``when``."""

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle: ...


class MonotonicClock:
    """Real time: ``time.monotonic`` and timers on the running asyncio loop."""

    def now(self) -> float:
        return time.monotonic()

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        # Loop time and time.monotonic share a base on every supported platform, but converting to a delay keeps us
        # correct even for loops with a custom time().
        return asyncio.get_running_loop().call_later(max(0.0, when - self.now()), callback)


class _FakeTimer:
    __slots__ = ("when", "seq", "callback", "cancelled")

    def __init__(self, when: float, seq: int, callback: Callable[[], None]) -> None:
        self.when = when
        self.seq = seq
        self.callback = callback
        self.cancelled = False

    def cancel(self) -> None:
        self.cancelled = True

    def __lt__(self, other: _FakeTimer) -> bool:
        return (self.when, self.seq) < (other.when, other.seq)


class FakeClock:
    """Manually advanced time for tests and simulations.

    Timers fire in time order inside :meth:`advance`, each seeing ``now()`` equal to its own deadline, which is how
    a real clock would look to the callback. Callbacks run synchronously; in asyncio tests follow ``advance`` with
    ``await asyncio.sleep(0)`` to let woken tasks run.
    """

    def __init__(self, start: float = 0.0) -> None:
        self._now = float(start)
        self._timers: list[_FakeTimer] = []
        self._seq = itertools.count()

    def now(self) -> float:
        return self._now

    def call_at(self, when: float, callback: Callable[[], None]) -> TimerHandle:
        timer = _FakeTimer(float(when), next(self._seq), callback)
        heapq.heappush(self._timers, timer)
        return timer

    @property
    def pending_timers(self) -> int:
        """Timers scheduled and not cancelled; lets tests assert that nothing is left armed."""
        return sum(1 for timer in self._timers if not timer.cancelled)

    def next_deadline(self) -> float | None:
        self._drop_cancelled()
        return self._timers[0].when if self._timers else None

    def advance(self, seconds: float) -> None:
        """Move time forward by ``seconds`` (>= 0), firing every timer that falls due on the way."""
        if seconds < 0:
            raise ValueError(f"FakeClock.advance(seconds={seconds}): time only moves forward; pass seconds >= 0.")
        target = self._now + seconds
        while True:
            self._drop_cancelled()
            if not self._timers or self._timers[0].when > target:
                break
            timer = heapq.heappop(self._timers)
            self._now = max(self._now, timer.when)
            timer.callback()
        self._now = target

    def _drop_cancelled(self) -> None:
        while self._timers and self._timers[0].cancelled:
            heapq.heappop(self._timers)
