"""Early-shutdown window: only a full window whose failure share reaches the rate trips it."""

from __future__ import annotations

from data_designer.engine.shutdown import ShutdownWindow


def test_trips_only_once_the_window_is_full_and_over_the_rate():
    window = ShutdownWindow(4, 0.5)
    assert [window.record(ok) for ok in (True, False, False)] == [False, False, False]  # not full yet
    assert window.record(False) is True  # 3 of 4 failed >= 50 %


def test_a_zero_rate_stops_at_the_first_failure_not_after_a_window_of_successes():
    window = ShutdownWindow(3, 0.0)
    assert not any(window.record(True) for _ in range(10))
    assert window.record(False) is True


def test_sliding_window_forgets_old_failures():
    window = ShutdownWindow(3, 0.67)
    for ok in (False, False, True):
        window.record(ok)
    assert window.failures == 2
    assert window.record(True) is False and window.failures == 1  # the first failure slid out


def test_disabled_window_never_trips():
    window = ShutdownWindow(2, 0.1, disabled=True)
    assert not any(window.record(False) for _ in range(10))
