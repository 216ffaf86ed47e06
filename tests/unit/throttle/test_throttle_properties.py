"""Property tests: random outcome/time sequences keep the AIMD invariants, and the limiter never leaks permits."""

from __future__ import annotations

import asyncio

from hypothesis import given, settings
from hypothesis import strategies as st

from data_designer.throttle import (
    AdaptiveLimiter,
    AimdController,
    ChangeKind,
    FakeClock,
    Outcome,
    ThrottleSettings,
)

throttle_settings = st.builds(
    ThrottleSettings,
    reduce_factor=st.floats(0.05, 0.95),
    additive_increase=st.integers(1, 8),
    success_window=st.integers(1, 6),
    cooldown_seconds=st.floats(0.0, 3.0),
    ceiling_overshoot=st.floats(0.0, 0.5),
    rampup_seconds=st.sampled_from([0.0, 0.0, 1.0, 7.3]),
)

# (op, pick, dt): op chooses the action, pick chooses which in-flight request, dt advances time.
ops = st.lists(
    st.tuples(
        st.sampled_from(["admit", "admit", "success", "success", "rate_limit", "retry_after", "fail", "cap"]),
        st.integers(0, 1_000),
        st.floats(0.0, 2.5),
    ),
    max_size=300,
)


@settings(max_examples=200, deadline=None)
@given(max_limit=st.integers(1, 128), config=throttle_settings, steps=ops)
def test_limit_stays_in_bounds_and_each_burst_cuts_at_most_once(max_limit, config, steps):
    ctrl = AimdController(max_limit=max_limit, settings=config)
    now = 0.0
    cuts = 0  # counted by the test, independently of the controller's epoch
    in_flight: list[tuple[object, int]] = []  # (admission, cuts seen when it was admitted)
    for op, pick, dt in steps:
        now += dt
        ctrl.tick(now)
        if op == "admit":
            if ctrl.blocked_reason(now, len(in_flight)) is None:
                assert not ctrl.in_cooldown(now) and len(in_flight) < ctrl.limit
                in_flight.append((ctrl.on_admit(now), cuts))
        elif op == "cap":
            ctrl.set_max_limit(max(1, ctrl.max_limit - pick % 4))
        elif in_flight:
            admission, cuts_at_admission = in_flight.pop(pick % len(in_flight))
            if op == "success":
                change = ctrl.on_success(now)
                if change is not None and change.kind is ChangeKind.INCREASED:
                    assert change.new_limit <= ctrl.soft_ceiling
            elif op == "fail":
                before = ctrl.limit
                assert ctrl.on_failure(now) is None and ctrl.limit == before
            else:
                retry_after = (pick % 5) / 2 if op == "retry_after" else None
                change = ctrl.on_rate_limit(now, admission, retry_after)
                if change is not None:
                    assert change.kind is ChangeKind.REDUCED
                    # Only a request admitted after the latest cut may cut: one cut per burst.
                    assert cuts_at_admission == cuts, "a request from an earlier burst cut again"
                    assert change.new_limit == max(1, int(change.old_limit * config.reduce_factor))
                    cuts += 1
                else:
                    assert cuts_at_admission < cuts, "the first 429 of a burst must cut"
        assert 1 <= ctrl.limit <= ctrl.max_limit <= max_limit
        if ctrl.ceiling is not None:
            assert ctrl.limit <= max(ctrl.soft_ceiling, ctrl.ceiling)


limiter_ops = st.lists(
    st.tuples(
        st.sampled_from(["spawn", "spawn", "spawn", "cancel", "ok", "ok", "429", "fail", "tick"]),
        st.integers(0, 1_000),
        st.floats(0.0, 1.5),
    ),
    max_size=120,
)


@settings(max_examples=60, deadline=None)
@given(max_limit=st.integers(1, 12), rampup=st.sampled_from([0.0, 2.0]), steps=limiter_ops)
def test_limiter_never_leaks_or_overadmits_under_cancellation(max_limit, rampup, steps):
    async def scenario() -> None:
        clock = FakeClock()
        lim = AdaptiveLimiter(
            name="p",
            max_limit=max_limit,
            config=ThrottleSettings(rampup_seconds=rampup, cooldown_seconds=1.0),
            clock=clock,
        )
        tasks: list[asyncio.Task] = []
        held = []

        async def settle() -> None:
            for _ in range(3):
                await asyncio.sleep(0)
            for task in [t for t in tasks if t.done()]:
                tasks.remove(task)
                if not task.cancelled():
                    held.append(task.result())

        for op, pick, dt in steps:
            if op == "spawn":
                tasks.append(asyncio.create_task(lim.acquire()))
            elif op == "cancel" and tasks:
                tasks[pick % len(tasks)].cancel()
            elif op == "tick":
                clock.advance(dt)
            elif op in ("ok", "429", "fail") and held:
                lease = held.pop(pick % len(held))
                outcome = {"ok": Outcome.SUCCESS, "429": Outcome.RATE_LIMITED, "fail": Outcome.FAILED}[op]
                lease.release(outcome)
            await settle()
            assert lim.in_flight == len(held), "permits out of sync with held leases"
            assert lim.in_flight <= lim.max_limit
            assert 1 <= lim.limit <= max_limit
            assert lim.waiting <= len(tasks)
        # Drain: cancel everyone still waiting and release what is held; nothing may stay armed or counted.
        for task in tasks:
            task.cancel()
        await settle()
        for lease in held:
            lease.release(Outcome.SUCCESS)
        assert lim.in_flight == 0 and lim.waiting == 0 and clock.pending_timers == 0

    asyncio.run(scenario())
