"""ThrottleSettings validation and the fake clock's timer semantics."""

from __future__ import annotations

import pytest

from data_designer.errors import InvalidConfigError
from data_designer.throttle import FakeClock, MonotonicClock, SchedulingClock, ThrottleSettings, settings_from


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("reduce_factor", 1.0),
        ("reduce_factor", 0.0),
        ("additive_increase", 0),
        ("success_window", 0),
        ("cooldown_seconds", -1.0),
        ("ceiling_overshoot", -0.1),
        ("rampup_seconds", -2.0),
    ],
)
def test_invalid_settings_name_the_field(field, value):
    with pytest.raises(InvalidConfigError, match=f"ThrottleConfig.{field}"):
        ThrottleSettings(**{field: value})


def test_settings_from_none_and_passthrough():
    assert settings_from(None) == ThrottleSettings()
    s = ThrottleSettings(success_window=3)
    assert settings_from(s) is s


def test_settings_from_reads_a_pydantic_throttle_config():
    config = pytest.importorskip("data_designer.config.run_config")
    tc = config.ThrottleConfig(reduce_factor=0.5, ceiling_overshoot=0.2, rampup_seconds=4.0)
    assert settings_from(tc) == ThrottleSettings(reduce_factor=0.5, ceiling_overshoot=0.2, rampup_seconds=4.0)


def test_fake_clock_fires_timers_in_order_at_their_deadline():
    clock = FakeClock(start=10.0)
    fired: list[tuple[str, float]] = []
    clock.call_at(12.0, lambda: fired.append(("b", clock.now())))
    clock.call_at(11.0, lambda: fired.append(("a", clock.now())))
    cancelled = clock.call_at(11.5, lambda: fired.append(("x", clock.now())))
    cancelled.cancel()
    clock.advance(1.5)
    assert fired == [("a", 11.0)] and clock.now() == 11.5
    clock.advance(5.0)
    assert fired == [("a", 11.0), ("b", 12.0)] and clock.now() == 16.5 and clock.pending_timers == 0


def test_fake_clock_runs_timers_scheduled_by_timers_within_the_same_advance():
    clock = FakeClock()
    fired: list[float] = []
    clock.call_at(1.0, lambda: clock.call_at(2.0, lambda: fired.append(clock.now())))
    clock.advance(3.0)
    assert fired == [2.0]


def test_fake_clock_refuses_to_go_back():
    with pytest.raises(ValueError, match="forward"):
        FakeClock().advance(-1)


def test_both_clocks_can_schedule():
    assert isinstance(FakeClock(), SchedulingClock) and isinstance(MonotonicClock(), SchedulingClock)
    a = MonotonicClock().now()
    assert MonotonicClock().now() >= a
