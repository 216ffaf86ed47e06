"""The AIMD concurrency algorithm, as a pure state machine over outcomes and times.

Design note
-----------
Nothing here awaits, sleeps, logs or reads a clock: every method takes ``now`` (seconds from an injected clock) and
returns a :class:`LimitChange` (or ``None``) that the limiter logs and acts on. The limiter is the only owner of an
:class:`AimdController`; it calls it on one thread, so there is no locking.

Rules (the ``ThrottleConfig`` knobs in brackets):

* The limit lives in ``[1, max_limit]``; ``max_limit`` is ``max_parallel_requests`` (lowered, never raised, when
  another alias registers the same endpoint with a smaller value).
* Startup ramp [``rampup_seconds`` > 0 and ``max_limit`` > 1]: the limit starts at 1 when the first request is
  admitted and is ``1 + floor((max_limit - 1) * elapsed / rampup_seconds)`` until the ramp ends; the first 429 aborts
  the ramp and normal AIMD takes over from the level reached.
* Bursts: every cut starts a new *epoch*; each admission is stamped with the epoch it was admitted in. A 429 cuts
  only if its request was admitted in the current epoch, so the 429s of requests that were already in flight when
  the limit was cut (the rest of the same burst) free their permits without cutting again. Since nothing is admitted
  during a cooldown, each burst cuts exactly once. (This is the "admitted at a limit <= the current limit" rule made
  exact: it also holds when the limit grew between admission and the 429.)
* A cutting 429: ``limit = max(1, floor(limit * reduce_factor))``; admissions pause until ``now + Retry-After`` (if
  the server sent one > 0) or ``now + cooldown_seconds``; the pre-cut limit is remembered as the rate-limit
  ceiling (``min`` with any earlier one). A non-cutting 429 still honours an explicit Retry-After (the pause only
  ever extends). Every 429 resets the success streak.
* Additive increase: successes completed after the cooldown count towards a streak; every ``success_window`` of them
  add ``additive_increase``, capped at the soft ceiling ``ceiling + max(1, floor(ceiling * ceiling_overshoot))``
  (at most ``max_limit``) once a ceiling is known, else at ``max_limit``.
* Stabilisation: once a ceiling is known, the level just below it (``ceiling - 1``) is the stable level. Climbing
  back to it after a cut takes the normal ``success_window`` per step; each step *above* it (the probe band up to the
  soft ceiling) needs ``PROBE_WINDOWS`` times as many consecutive successes. The controller so settles just below
  the level where the server pushed back and only rarely probes the band above it, instead of cycling through a
  429 (and its cooldown) every few seconds.
* Failures and cancellations only free the permit: they say nothing about the server's capacity.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass

from data_designer.throttle.settings import ThrottleSettings

__all__ = [
    "Admission",
    "AimdController",
    "BlockReason",
    "ChangeKind",
    "LimitChange",
    "PROBE_WINDOWS",
    "soft_ceiling_for",
]

PROBE_WINDOWS = 40  # success windows per increase step above the stable level (see the module note)


class ChangeKind(enum.Enum):
    REDUCED = "reduced"  # a cutting 429 (may leave the limit at 1 unchanged: the cooldown still applies)
    INCREASED = "increased"  # additive increase after a full success window
    RAMPED = "ramped"  # a startup-ramp step
    CAPPED = "capped"  # max_limit was lowered below the current limit


class BlockReason(enum.Enum):
    COOLDOWN = "cooldown"
    NO_CAPACITY = "no_capacity"


@dataclass(frozen=True, slots=True)
class LimitChange:
    kind: ChangeKind
    old_limit: int
    new_limit: int
    cooldown_s: float | None = None  # set for REDUCED: how long admissions pause


@dataclass(frozen=True, slots=True)
class Admission:
    """What the algorithm needs to remember about one admitted request."""

    epoch: int
    limit: int
    admitted_at: float


def soft_ceiling_for(ceiling: int, overshoot: float, max_limit: int) -> int:
    return min(max_limit, ceiling + max(1, math.floor(ceiling * overshoot)))


class AimdController:
    """AIMD state for one (provider, model, domain); see the module note for the rules."""

    def __init__(self, *, max_limit: int, settings: ThrottleSettings | None = None) -> None:
        if max_limit < 1:
            raise ValueError(f"max_limit={max_limit}: max_parallel_requests must be >= 1")
        self._settings = settings or ThrottleSettings()
        self._max_limit = max_limit
        self._ramping = self._settings.rampup_seconds > 0 and max_limit > 1
        self._ramp_started_at: float | None = None
        self._limit = 1 if self._ramping else max_limit
        self._epoch = 0
        self._blocked_until = -math.inf
        self._success_streak = 0
        self._ceiling: int | None = None

    # ------------------------------------------------------------------ state
    @property
    def settings(self) -> ThrottleSettings:
        return self._settings

    @property
    def limit(self) -> int:
        return self._limit

    @property
    def max_limit(self) -> int:
        return self._max_limit

    @property
    def epoch(self) -> int:
        """Number of cuts so far; admissions stamped with an older epoch belong to an earlier burst."""
        return self._epoch

    @property
    def ceiling(self) -> int | None:
        """Lowest limit at which the server rate-limited us (``None`` until the first cut)."""
        return self._ceiling

    @property
    def soft_ceiling(self) -> int:
        """Highest limit additive increase may reach."""
        if self._ceiling is None:
            return self._max_limit
        return soft_ceiling_for(self._ceiling, self._settings.ceiling_overshoot, self._max_limit)

    @property
    def blocked_until(self) -> float:
        return self._blocked_until

    @property
    def ramping(self) -> bool:
        return self._ramping

    @property
    def success_streak(self) -> int:
        return self._success_streak

    def in_cooldown(self, now: float) -> bool:
        return now < self._blocked_until

    # -------------------------------------------------------------- admission
    def blocked_reason(self, now: float, in_flight: int) -> BlockReason | None:
        """Why a new request may not start now (call :meth:`tick` first so ramp steps are applied)."""
        if now < self._blocked_until:
            return BlockReason.COOLDOWN
        if in_flight >= self._limit:
            return BlockReason.NO_CAPACITY
        return None

    def on_admit(self, now: float) -> Admission:
        if self._ramping and self._ramp_started_at is None:
            self._ramp_started_at = now
        return Admission(epoch=self._epoch, limit=self._limit, admitted_at=now)

    def next_wakeup(self, now: float) -> float | None:
        """Earliest time at which admission could open up without any release: cooldown end or next ramp step."""
        if now < self._blocked_until:
            return self._blocked_until
        if self._ramping and self._ramp_started_at is not None:
            return self._ramp_step_time(self._limit)
        return None

    # --------------------------------------------------------------- outcomes
    def tick(self, now: float) -> LimitChange | None:
        """Apply time-driven changes (startup-ramp steps)."""
        if not self._ramping or self._ramp_started_at is None:
            return None
        old = self._limit
        steps = self._ramp_steps_done(now)
        if steps >= self._max_limit - 1:
            self._ramping = False
            new = self._max_limit
        else:
            new = 1 + steps
        self._limit = max(old, new)
        return LimitChange(ChangeKind.RAMPED, old, self._limit) if self._limit != old else None

    def on_success(self, now: float) -> LimitChange | None:
        change = self.tick(now)
        if self._ramping:
            self._success_streak = 0
            return change
        if now < self._blocked_until:
            return change
        self._success_streak += 1
        window = self._settings.success_window
        if self._ceiling is not None and self._limit >= self._ceiling - 1:
            window *= PROBE_WINDOWS
        if self._success_streak < window:
            return change
        self._success_streak = 0
        cap = self.soft_ceiling
        if self._limit >= cap:
            return change
        old = self._limit
        self._limit = min(cap, old + self._settings.additive_increase)
        return LimitChange(ChangeKind.INCREASED, old, self._limit)

    def on_rate_limit(self, now: float, admission: Admission, retry_after_s: float | None = None) -> LimitChange | None:
        """A 429: cut once per burst (see module note); returns the cut, or ``None`` for a dampened 429."""
        self.tick(now)
        self._ramping = False
        self._success_streak = 0
        explicit = retry_after_s is not None and retry_after_s > 0
        pause_s = float(retry_after_s) if explicit else self._settings.cooldown_seconds
        if admission.epoch != self._epoch:
            if explicit:
                self._blocked_until = max(self._blocked_until, now + pause_s)
            return None
        old = self._limit
        self._epoch += 1
        self._ceiling = old if self._ceiling is None else min(self._ceiling, old)
        self._limit = max(1, math.floor(old * self._settings.reduce_factor))
        self._blocked_until = max(self._blocked_until, now + pause_s)
        return LimitChange(ChangeKind.REDUCED, old, self._limit, cooldown_s=pause_s)

    def on_failure(self, now: float) -> LimitChange | None:
        """Failures, timeouts and cancellations free a permit but carry no capacity signal."""
        return self.tick(now)

    def set_max_limit(self, max_limit: int) -> LimitChange | None:
        """Lower the ceiling (another alias registered the same endpoint with fewer parallel requests)."""
        if max_limit < 1:
            raise ValueError(f"max_limit={max_limit}: max_parallel_requests must be >= 1")
        if max_limit >= self._max_limit:
            return None
        self._max_limit = max_limit
        if self._max_limit == 1:
            self._ramping = False
        old = self._limit
        self._limit = min(old, max_limit)
        return LimitChange(ChangeKind.CAPPED, old, self._limit) if self._limit != old else None

    # ---------------------------------------------------------------- ramp math
    def _ramp_step_time(self, steps: int) -> float:
        """When the ramp has taken ``steps`` steps (limit ``1 + steps``); tick() and next_wakeup() both use it."""
        assert self._ramp_started_at is not None
        return self._ramp_started_at + self._settings.rampup_seconds * steps / (self._max_limit - 1)

    def _ramp_steps_done(self, now: float) -> int:
        span = self._max_limit - 1
        assert self._ramp_started_at is not None
        elapsed = now - self._ramp_started_at
        steps = min(span, max(0, math.floor(span * elapsed / self._settings.rampup_seconds)))
        # Undo float rounding so that steps is exactly the largest k with _ramp_step_time(k) <= now; otherwise a
        # timer armed for _ramp_step_time(k) could fire and find nothing to do.
        while steps < span and self._ramp_step_time(steps + 1) <= now:
            steps += 1
        while steps > 0 and self._ramp_step_time(steps) > now:
            steps -= 1
        return steps
