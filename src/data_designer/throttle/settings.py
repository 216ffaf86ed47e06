"""The six AIMD knobs, as a small frozen value the throttle owns.

The throttle sits below ``data_designer.config`` in the import order, so it cannot import the pydantic
``ThrottleConfig``; :func:`settings_from` reads any object with the same attribute names instead (and also the newer
``RequestAdmissionTuningConfig`` spelling), validating them here so a hand-built object fails as clearly as a
pydantic one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from data_designer.errors import InvalidConfigError

__all__ = ["ThrottleSettings", "settings_from"]

# ThrottleConfig name -> RequestAdmissionTuningConfig name (ceiling_overshoot has no newer spelling).
_ALIASES = {
    "reduce_factor": "multiplicative_decrease_factor",
    "additive_increase": "additive_increase_step",
    "success_window": "successes_until_increase",
    "cooldown_seconds": "cooldown_seconds",
    "rampup_seconds": "startup_ramp_seconds",
}


@dataclass(frozen=True, slots=True)
class ThrottleSettings:
    """AIMD parameters; defaults are those of ``dd.ThrottleConfig``."""

    reduce_factor: float = 0.75
    additive_increase: int = 1
    success_window: int = 25
    cooldown_seconds: float = 2.0
    ceiling_overshoot: float = 0.10
    rampup_seconds: float = 0.0

    def __post_init__(self) -> None:
        _check(0.0 < self.reduce_factor < 1.0, "reduce_factor", self.reduce_factor, "a float in (0, 1), e.g. 0.75")
        _check(
            isinstance(self.additive_increase, int) and self.additive_increase >= 1,
            "additive_increase",
            self.additive_increase,
            "an integer >= 1",
        )
        _check(
            isinstance(self.success_window, int) and self.success_window >= 1,
            "success_window",
            self.success_window,
            "an integer >= 1",
        )
        _check(self.cooldown_seconds >= 0.0, "cooldown_seconds", self.cooldown_seconds, "a number of seconds >= 0")
        _check(self.ceiling_overshoot >= 0.0, "ceiling_overshoot", self.ceiling_overshoot, "a fraction >= 0, e.g. 0.1")
        _check(self.rampup_seconds >= 0.0, "rampup_seconds", self.rampup_seconds, "a number of seconds >= 0 (0 = off)")


def _check(ok: bool, field: str, value: object, expected: str) -> None:
    if not ok:
        raise InvalidConfigError(f"ThrottleConfig.{field}={value!r} is invalid: set it to {expected}.")


def settings_from(config: Any | None) -> ThrottleSettings:
    """Normalise ``None``, a :class:`ThrottleSettings`, a ``ThrottleConfig`` or any look-alike into settings."""
    if config is None:
        return ThrottleSettings()
    if isinstance(config, ThrottleSettings):
        return config
    defaults = ThrottleSettings()
    values: dict[str, Any] = {}
    for field in ThrottleSettings.__dataclass_fields__:
        values[field] = _read(config, field, getattr(defaults, field))
    return ThrottleSettings(**values)


def _read(config: Any, field: str, default: Any) -> Any:
    if hasattr(config, field):
        return getattr(config, field)
    alias = _ALIASES.get(field)
    if alias is not None and hasattr(config, alias):
        return getattr(config, alias)
    return default
