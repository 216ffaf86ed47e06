"""Every AIMD rule, on the pure controller, with explicit times (no event loop, no sleeping)."""

from __future__ import annotations

import pytest

from data_designer.throttle import AimdController, BlockReason, ChangeKind, ThrottleSettings
from data_designer.throttle.aimd import PROBE_WINDOWS


def make(max_limit: int = 64, **overrides: object) -> AimdController:
    return AimdController(max_limit=max_limit, settings=ThrottleSettings(**overrides))  # type: ignore[arg-type]


def succeed(ctrl: AimdController, n: int, now: float) -> list:
    changes = []
    for _ in range(n):
        change = ctrl.on_success(now)
        if change is not None:
            changes.append(change)
    return changes


def test_defaults_match_the_spec():
    s = ThrottleSettings()
    assert (s.reduce_factor, s.additive_increase, s.success_window) == (0.75, 1, 25)
    assert (s.cooldown_seconds, s.ceiling_overshoot, s.rampup_seconds) == (2.0, 0.10, 0.0)


def test_initial_limit_is_max_parallel_requests_without_ramp():
    ctrl = make(32)
    assert ctrl.limit == 32 and ctrl.max_limit == 32 and ctrl.ceiling is None and not ctrl.ramping


def test_admission_blocks_at_the_limit():
    ctrl = make(2)
    assert ctrl.blocked_reason(0.0, in_flight=1) is None
    assert ctrl.blocked_reason(0.0, in_flight=2) is BlockReason.NO_CAPACITY


def test_first_429_cuts_by_reduce_factor_with_floor_and_cooldown():
    ctrl = make(64)
    adm = ctrl.on_admit(0.0)
    change = ctrl.on_rate_limit(10.0, adm)
    assert change is not None and change.kind is ChangeKind.REDUCED
    assert (change.old_limit, change.new_limit, change.cooldown_s) == (64, 48, 2.0)
    assert ctrl.blocked_reason(11.9, in_flight=0) is BlockReason.COOLDOWN
    assert ctrl.blocked_reason(12.0, in_flight=0) is None


def test_cut_floors_and_never_goes_below_one():
    ctrl = make(3, reduce_factor=0.5)
    assert ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0)).new_limit == 1  # floor(1.5)
    change = ctrl.on_rate_limit(5.0, ctrl.on_admit(5.0))
    assert change.kind is ChangeKind.REDUCED and change.new_limit == 1 and ctrl.blocked_until == 7.0


def test_retry_after_overrides_cooldown_seconds():
    ctrl = make(10, cooldown_seconds=2.0)
    change = ctrl.on_rate_limit(1.0, ctrl.on_admit(0.0), retry_after_s=7.5)
    assert change.cooldown_s == 7.5 and ctrl.blocked_until == 8.5


@pytest.mark.parametrize("retry_after", [None, 0.0, -1.0])
def test_missing_or_non_positive_retry_after_uses_cooldown_seconds(retry_after):
    ctrl = make(10, cooldown_seconds=3.0)
    assert ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0), retry_after_s=retry_after).cooldown_s == 3.0


def test_aimd_cuts_limit_once_per_burst_of_429s():
    ctrl = make(64)
    burst = [ctrl.on_admit(0.0) for _ in range(64)]
    changes = [ctrl.on_rate_limit(1.0 + i * 0.01, adm) for i, adm in enumerate(burst)]
    assert [c for c in changes if c is not None] == [changes[0]]
    assert ctrl.limit == 48 and ctrl.epoch == 1


def test_dampened_429s_do_not_extend_default_cooldown_but_honour_retry_after():
    ctrl = make(8, cooldown_seconds=2.0)
    a, b, c = (ctrl.on_admit(0.0) for _ in range(3))
    ctrl.on_rate_limit(1.0, a)
    ctrl.on_rate_limit(1.5, b)  # same burst, no Retry-After: pause unchanged
    assert ctrl.blocked_until == 3.0
    ctrl.on_rate_limit(1.6, c, retry_after_s=5.0)  # server asked explicitly: honoured
    assert ctrl.blocked_until == pytest.approx(6.6) and ctrl.limit == 6


def test_new_burst_after_cooldown_cuts_again():
    ctrl = make(64)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))
    later = ctrl.on_admit(3.0)  # admitted after the cut
    change = ctrl.on_rate_limit(3.5, later)
    assert change is not None and (change.old_limit, change.new_limit) == (48, 36)


def test_429_of_request_admitted_before_cut_does_not_cut_even_after_limit_grew():
    ctrl = make(40, success_window=1)
    old = ctrl.on_admit(0.0)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 40 -> 30
    succeed(ctrl, 5, now=10.0)  # 30 -> 35 while `old` is still in flight
    assert ctrl.on_rate_limit(11.0, old) is None and ctrl.limit == 35


def test_success_window_successes_add_additive_increase():
    ctrl = make(64, success_window=25, additive_increase=2)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 64 -> 48, ceiling 64
    assert succeed(ctrl, 24, now=5.0) == []
    [change] = succeed(ctrl, 1, now=5.0)
    assert (change.kind, change.old_limit, change.new_limit) == (ChangeKind.INCREASED, 48, 50)
    assert ctrl.success_streak == 0


def test_successes_during_cooldown_do_not_count():
    ctrl = make(64, success_window=3)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))
    assert succeed(ctrl, 10, now=1.0) == []  # still cooling down until 2.0
    assert len(succeed(ctrl, 3, now=2.0)) == 1


def test_429_resets_the_success_streak_even_when_dampened():
    ctrl = make(64, success_window=3)
    before = ctrl.on_admit(0.0)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))
    succeed(ctrl, 2, now=5.0)
    ctrl.on_rate_limit(5.0, before)  # dampened, but still evidence of pressure
    assert succeed(ctrl, 2, now=5.0) == [] and len(succeed(ctrl, 1, now=5.0)) == 1


def test_failures_neither_cut_nor_count_as_successes():
    ctrl = make(10, success_window=2)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 10 -> 7
    ctrl.on_success(5.0)
    assert ctrl.on_failure(5.0) is None and ctrl.limit == 7 and ctrl.success_streak == 1


def test_increase_without_ceiling_stops_at_max_limit():
    ctrl = make(4, success_window=1, additive_increase=3)
    assert succeed(ctrl, 5, now=0.0) == [] and ctrl.limit == 4


def test_ceiling_is_pre_cut_limit_and_only_ever_lowers():
    ctrl = make(100, success_window=1)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 100 -> 75, ceiling 100
    assert ctrl.ceiling == 100
    ctrl.on_rate_limit(3.0, ctrl.on_admit(3.0))  # 75 -> 56, ceiling 75
    assert ctrl.ceiling == 75
    succeed(ctrl, 30, now=10.0)
    assert ctrl.ceiling == 75


def test_additive_increase_stops_at_soft_ceiling_just_above_the_ceiling():
    ctrl = make(128, success_window=1)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 128 -> 96, ceiling 128 (soft = max)
    ctrl.on_rate_limit(3.0, ctrl.on_admit(3.0))  # 96 -> 72, ceiling 96
    ctrl.on_rate_limit(6.0, ctrl.on_admit(6.0))  # 72 -> 54, ceiling 72 -> soft 72 + 7 = 79
    assert ctrl.soft_ceiling == 79
    succeed(ctrl, (71 - 54) + 8 * PROBE_WINDOWS + 50, now=10.0)  # 54 -> 71 (stable), then 8 slow probe steps
    assert ctrl.limit == 79


def test_soft_ceiling_probes_at_least_one_above_small_ceilings_and_respects_max():
    ctrl = make(5, success_window=1)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 5 -> 3, ceiling 5, soft capped at max 5
    assert ctrl.soft_ceiling == 5
    ctrl.on_rate_limit(3.0, ctrl.on_admit(3.0))  # 3 -> 2, ceiling 3 -> soft 3 + max(1, 0) = 4
    assert ctrl.soft_ceiling == 4
    succeed(ctrl, 2 * PROBE_WINDOWS + 5, now=10.0)  # steps above the stable level (ceiling - 1) are slower
    assert ctrl.limit == 4


def test_stabilises_just_below_the_ceiling_and_probes_above_it_rarely():
    ctrl = make(64, success_window=2)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # 64 -> 48, ceiling 64
    ctrl.on_rate_limit(3.0, ctrl.on_admit(3.0))  # 48 -> 36, ceiling 48: stable level 47, soft ceiling 52
    succeed(ctrl, 2 * (47 - 36), now=10.0)  # normal speed up to the stable level
    assert ctrl.limit == 47
    succeed(ctrl, 2 * PROBE_WINDOWS - 1, now=10.0)
    assert ctrl.limit == 47  # one probe step needs PROBE_WINDOWS success windows
    succeed(ctrl, 1, now=10.0)
    assert ctrl.limit == 48


def test_ceiling_overshoot_fraction_is_honoured():
    ctrl = make(200, success_window=1, ceiling_overshoot=0.5)
    ctrl.on_rate_limit(0.0, ctrl.on_admit(0.0))  # ceiling 200 -> soft min(200, 300)
    ctrl.on_rate_limit(3.0, ctrl.on_admit(3.0))  # 150 -> 112, ceiling 150 -> soft 200 (capped)
    ctrl.on_rate_limit(6.0, ctrl.on_admit(6.0))  # 112 -> 84, ceiling 112 -> soft 168
    assert ctrl.soft_ceiling == 168


def test_rampup_starts_at_one_and_climbs_linearly_from_first_admission():
    ctrl = make(11, rampup_seconds=10.0)
    assert ctrl.limit == 1 and ctrl.ramping
    assert ctrl.tick(100.0) is None  # the ramp clock starts with the first request, not at creation
    ctrl.on_admit(100.0)
    assert ctrl.tick(104.5).new_limit == 5  # 1 + floor(10 * 4.5 / 10)
    assert ctrl.next_wakeup(104.5) == pytest.approx(105.0)
    change = ctrl.tick(110.0)
    assert change.kind is ChangeKind.RAMPED and change.new_limit == 11 and not ctrl.ramping


def test_ramp_steps_agree_exactly_with_next_wakeup():
    ctrl = make(7, rampup_seconds=0.3)  # 0.3 * k / 6 is not exact in binary floats
    ctrl.on_admit(0.0)
    seen = []
    while ctrl.ramping:
        when = ctrl.next_wakeup(0.0 if not seen else seen[-1])
        change = ctrl.tick(when)
        assert change is not None, f"timer at {when} would find nothing to do"
        seen.append(when)
    assert ctrl.limit == 7 and len(seen) == 6


def test_successes_while_ramping_do_not_build_a_streak():
    ctrl = make(10, rampup_seconds=10.0, success_window=1)
    ctrl.on_admit(0.0)
    change = ctrl.on_success(2.0)
    assert change.kind is ChangeKind.RAMPED and ctrl.limit == 2 and ctrl.success_streak == 0


def test_first_429_aborts_the_ramp_and_cuts_from_the_ramp_level():
    ctrl = make(101, rampup_seconds=10.0)
    ctrl.on_admit(0.0)
    change = ctrl.on_rate_limit(4.0, ctrl.on_admit(4.0))  # ramp at 41
    assert (change.old_limit, change.new_limit) == (41, 30) and not ctrl.ramping
    assert ctrl.tick(20.0) is None and ctrl.limit == 30


def test_no_ramp_when_max_is_one():
    ctrl = make(1, rampup_seconds=10.0)
    assert not ctrl.ramping and ctrl.limit == 1


def test_lowering_max_limit_clamps_the_limit():
    ctrl = make(32)
    change = ctrl.set_max_limit(8)
    assert (change.kind, change.new_limit, ctrl.max_limit) == (ChangeKind.CAPPED, 8, 8)
    assert ctrl.set_max_limit(16) is None and ctrl.max_limit == 8


def test_next_wakeup_is_cooldown_end_and_none_when_only_capacity_blocks():
    ctrl = make(4)
    assert ctrl.next_wakeup(0.0) is None
    ctrl.on_rate_limit(1.0, ctrl.on_admit(0.0))
    assert ctrl.next_wakeup(1.5) == 3.0 and ctrl.next_wakeup(3.0) is None
