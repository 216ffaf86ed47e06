"""The limiter: leases, FIFO waiters, cooldown/ramp wake-ups, cancellation, stats and log lines (fake clock)."""

from __future__ import annotations

import asyncio
import logging

import pytest

from data_designer.throttle import AdaptiveLimiter, FakeClock, Outcome, ThrottleSettings


def make(max_limit: int = 4, clock: FakeClock | None = None, **overrides: object) -> AdaptiveLimiter:
    return AdaptiveLimiter(
        name="prov/model/chat",
        max_limit=max_limit,
        config=ThrottleSettings(**overrides),  # type: ignore[arg-type]
        clock=clock or FakeClock(),
    )


async def settle() -> None:
    for _ in range(5):
        await asyncio.sleep(0)


def test_try_acquire_admits_up_to_the_limit_and_release_frees():
    lim = make(2)
    a, b = lim.try_acquire(), lim.try_acquire()
    assert a is not None and b is not None and lim.try_acquire() is None
    assert lim.in_flight == 2
    a.release(Outcome.SUCCESS)
    assert lim.in_flight == 1 and lim.try_acquire() is not None


def test_release_twice_is_ignored_and_logged(caplog):
    lim = make(1)
    lease = lim.try_acquire()
    lease.release(Outcome.SUCCESS)
    with caplog.at_level(logging.WARNING, logger="data_designer.throttle"):
        lease.release(Outcome.FAILED)
    assert lim.in_flight == 0 and lease.released
    assert "released twice" in caplog.text
    assert lim.snapshot()["failed"] == 0


def test_release_accepts_outcome_values():
    lim = make(1)
    lim.try_acquire().release("rate_limited")  # type: ignore[arg-type]
    assert lim.snapshot()["rate_limited"] == 1


def test_waiters_are_served_fifo_and_one_release_wakes_exactly_one():
    async def scenario():
        lim = make(1)
        first = lim.try_acquire()
        order: list[int] = []

        async def worker(i: int):
            lease = await lim.acquire()
            order.append(i)
            return lease

        tasks = [asyncio.create_task(worker(i)) for i in range(3)]
        await settle()
        assert lim.waiting == 3 and order == []
        first.release(Outcome.SUCCESS)
        await settle()
        assert order == [0] and lim.waiting == 2 and lim.in_flight == 1
        (await tasks[0]).release(Outcome.SUCCESS)
        await settle()
        assert order == [0, 1]
        (await tasks[1]).release(Outcome.SUCCESS)
        (await tasks[2]).release(Outcome.SUCCESS)
        assert lim.in_flight == 0 and lim.waiting == 0

    asyncio.run(scenario())


def test_try_acquire_never_jumps_the_queue():
    async def scenario():
        lim = make(1)
        held = lim.try_acquire()
        task = asyncio.create_task(lim.acquire())
        await settle()
        held.release(Outcome.SUCCESS)  # permit goes to the queued task
        assert lim.try_acquire() is None
        (await task).release(Outcome.SUCCESS)

    asyncio.run(scenario())


def test_cancelled_waiter_leaves_no_leaked_permit():
    async def scenario():
        lim = make(1)
        held = lim.try_acquire()
        task = asyncio.create_task(lim.acquire())
        await settle()
        task.cancel()
        await settle()
        assert task.cancelled() and lim.waiting == 0
        held.release(Outcome.SUCCESS)
        assert lim.in_flight == 0 and lim.try_acquire() is not None

    asyncio.run(scenario())


def test_waiter_cancelled_after_grant_passes_the_permit_on():
    async def scenario():
        lim = make(1)
        held = lim.try_acquire()
        doomed = asyncio.create_task(lim.acquire())
        nxt = asyncio.create_task(lim.acquire())
        await settle()
        held.release(Outcome.SUCCESS)  # grants to `doomed` synchronously...
        doomed.cancel()  # ...which is cancelled before it ever resumes
        await settle()
        assert doomed.cancelled()
        lease = await nxt
        assert lim.in_flight == 1 and lim.snapshot()["cancelled"] == 1
        lease.release(Outcome.SUCCESS)
        assert lim.in_flight == 0

    asyncio.run(scenario())


def test_429_pauses_admission_until_cooldown_timer_fires():
    async def scenario():
        clock = FakeClock()
        lim = make(4, clock, cooldown_seconds=2.0)
        lim.try_acquire().release(Outcome.RATE_LIMITED)  # 4 -> 3, cooling until t=2
        assert lim.limit == 3 and lim.try_acquire() is None
        tasks = [asyncio.create_task(lim.acquire()) for _ in range(5)]
        await settle()
        assert lim.waiting == 5 and clock.pending_timers == 1
        clock.advance(1.9)
        await settle()
        assert lim.waiting == 5
        clock.advance(0.1)
        await settle()
        assert lim.in_flight == 3 and lim.waiting == 2  # exactly the waiters the new limit allows
        snap = lim.snapshot()
        assert snap["cooldown_s"] == pytest.approx(2.0) and snap["throttled_s"] == pytest.approx(2.0)
        for t in tasks[:3]:
            (await t).release(Outcome.SUCCESS)
        for t in tasks[3:]:
            (await t).release(Outcome.SUCCESS)
        assert clock.pending_timers == 0

    asyncio.run(scenario())


def test_retry_after_sets_the_pause():
    async def scenario():
        clock = FakeClock()
        lim = make(4, clock, cooldown_seconds=2.0)
        lim.try_acquire().release(Outcome.RATE_LIMITED, retry_after_s=5.0)
        task = asyncio.create_task(lim.acquire())
        clock.advance(4.0)
        await settle()
        assert not task.done()
        clock.advance(1.0)
        await settle()
        (await task).release(Outcome.SUCCESS)

    asyncio.run(scenario())


def test_burst_of_429s_cuts_once_and_releases_permits():
    lim = make(8)
    leases = [lim.try_acquire() for _ in range(8)]
    for lease in leases:
        lease.release(Outcome.RATE_LIMITED)
    snap = lim.snapshot()
    assert (snap["limit"], snap["in_flight"], snap["reductions"], snap["rate_limited"]) == (6, 0, 1, 8)
    assert snap["ceiling"] == 8


def test_ramp_step_wakes_waiters_without_any_release():
    async def scenario():
        clock = FakeClock()
        lim = make(5, clock, rampup_seconds=4.0)  # a step every second
        held = lim.try_acquire()
        tasks = [asyncio.create_task(lim.acquire()) for _ in range(4)]
        await settle()
        assert lim.limit == 1 and lim.waiting == 4
        clock.advance(1.0)
        await settle()
        assert lim.in_flight == 2 and lim.waiting == 3
        clock.advance(3.0)
        await settle()
        assert lim.in_flight == 5 and lim.waiting == 0 and clock.pending_timers == 0
        held.release(Outcome.SUCCESS)
        for t in tasks:
            (await t).release(Outcome.SUCCESS)

    asyncio.run(scenario())


def test_limiter_without_scheduling_clock_uses_loop_timers():
    class NowOnly:
        def __init__(self) -> None:
            self.t = 0.0

        def now(self) -> float:
            return self.t

    async def scenario():
        clock = NowOnly()
        lim = AdaptiveLimiter(name="x", max_limit=2, config=ThrottleSettings(cooldown_seconds=0.01), clock=clock)
        lim.try_acquire().release(Outcome.RATE_LIMITED)
        task = asyncio.create_task(lim.acquire())
        await settle()
        clock.t = 0.01  # time "passes"; the loop timer (armed for 10 ms real time) re-checks it
        lease = await asyncio.wait_for(task, timeout=5)
        lease.release(Outcome.SUCCESS)

    asyncio.run(scenario())


def test_log_lines_match_the_documented_format(caplog):
    clock = FakeClock()
    lim = make(64, clock, success_window=1)
    with caplog.at_level(logging.INFO, logger="data_designer.throttle"):
        lim.try_acquire().release(Outcome.RATE_LIMITED)
        clock.advance(2.0)
        lim.try_acquire().release(Outcome.SUCCESS)
    messages = [r.getMessage() for r in caplog.records]
    assert messages == [
        "concurrency reduced from 64 → 48 (prov/model/chat, cooling down 2.0s)",
        "concurrency increased from 48 → 49 (prov/model/chat)",
    ]


def test_snapshot_tracks_peak_in_flight_and_counts():
    lim = make(3)
    leases = [lim.try_acquire() for _ in range(3)]
    leases[0].release(Outcome.SUCCESS)
    leases[1].release(Outcome.FAILED)
    leases[2].release(Outcome.CANCELLED)
    snap = lim.snapshot()
    assert snap["peak_in_flight"] == 3 and snap["acquired"] == 3
    assert (snap["succeeded"], snap["failed"], snap["cancelled"], snap["rate_limited"]) == (1, 1, 1, 0)
    assert snap["limit"] == 3 and snap["throttled_s"] == 0.0 and snap["cooldown_s"] == 0.0


def test_cooling_time_accumulates_over_separate_cooldowns():
    clock = FakeClock()
    lim = make(8, clock, cooldown_seconds=2.0)
    lim.try_acquire().release(Outcome.RATE_LIMITED)
    clock.advance(10.0)
    lim.try_acquire().release(Outcome.RATE_LIMITED, retry_after_s=3.0)
    clock.advance(1.0)
    assert lim.snapshot()["cooldown_s"] == pytest.approx(3.0)  # 2 s + 1 s of the running 3 s pause
    clock.advance(10.0)
    assert lim.snapshot()["cooldown_s"] == pytest.approx(5.0)


def test_release_from_a_worker_thread_is_applied_on_the_loop():
    async def scenario():
        lim = make(1)
        held = await lim.acquire()
        waiter = asyncio.create_task(lim.acquire())
        await settle()
        await asyncio.to_thread(held.release, Outcome.SUCCESS)
        lease = await asyncio.wait_for(waiter, timeout=5)
        assert lim.in_flight == 1 and lim.snapshot()["succeeded"] == 1
        lease.release(Outcome.SUCCESS)

    asyncio.run(scenario())
