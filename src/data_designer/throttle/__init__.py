"""Adaptive concurrency (AIMD) per (provider, model, domain).

``aimd`` is the pure algorithm (outcomes and times in, limit changes out); ``limiter`` enforces it with leases that
are released with an :class:`Outcome`; ``registry`` keeps one limiter per endpoint and domain; ``clock`` is the only
place that reads real time.
"""

from data_designer.throttle.aimd import Admission, AimdController, BlockReason, ChangeKind, LimitChange
from data_designer.throttle.clock import Clock, FakeClock, MonotonicClock, SchedulingClock
from data_designer.throttle.limiter import AdaptiveLimiter, Lease, Outcome
from data_designer.throttle.registry import DOMAINS, ThrottleRegistry
from data_designer.throttle.settings import ThrottleSettings, settings_from

__all__ = [
    "DOMAINS",
    "AdaptiveLimiter",
    "Admission",
    "AimdController",
    "BlockReason",
    "ChangeKind",
    "Clock",
    "FakeClock",
    "LimitChange",
    "Lease",
    "MonotonicClock",
    "Outcome",
    "SchedulingClock",
    "ThrottleRegistry",
    "ThrottleSettings",
    "settings_from",
]
