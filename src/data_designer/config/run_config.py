"""Runtime knobs: buffer size, concurrency, error handling, throttling, resume mode."""

from __future__ import annotations

import warnings
from enum import Enum

from pydantic import Field, field_validator, model_validator

from data_designer.config.base import ConfigBase
from data_designer.errors import InvalidBufferValueError

__all__ = [
    "JinjaRenderingEngine",
    "RequestAdmissionTuningConfig",
    "ResumeMode",
    "RunConfig",
    "ThrottleConfig",
]


class ResumeMode(str, Enum):
    NEVER = "never"
    ALWAYS = "always"
    IF_POSSIBLE = "if_possible"


class JinjaRenderingEngine(str, Enum):
    NATIVE = "native"
    SECURE = "secure"


class ThrottleConfig(ConfigBase):
    """AIMD settings of the adaptive concurrency controller, one controller per (provider, model, domain)."""

    reduce_factor: float = Field(default=0.75, gt=0.0, lt=1.0)
    additive_increase: int = Field(default=1, ge=1)
    success_window: int = Field(default=25, ge=1)
    cooldown_seconds: float = Field(default=2.0, ge=0.0)
    ceiling_overshoot: float = Field(default=0.10, ge=0.0)
    rampup_seconds: float = Field(default=0.0, ge=0.0)

    def to_request_admission_tuning(self) -> RequestAdmissionTuningConfig:
        return RequestAdmissionTuningConfig(
            multiplicative_decrease_factor=self.reduce_factor,
            additive_increase_step=self.additive_increase,
            successes_until_increase=self.success_window,
            cooldown_seconds=self.cooldown_seconds,
            startup_ramp_seconds=self.rampup_seconds,
        )


class RequestAdmissionTuningConfig(ConfigBase):
    """The newer upstream spelling of the same AIMD settings (no ceiling overshoot)."""

    multiplicative_decrease_factor: float = Field(default=0.75, gt=0.0, lt=1.0)
    additive_increase_step: int = Field(default=1, ge=1)
    successes_until_increase: int = Field(default=25, ge=1)
    cooldown_seconds: float = Field(default=2.0, ge=0.0)
    startup_ramp_seconds: float = Field(default=0.0, ge=0.0)

    def to_throttle_config(self) -> ThrottleConfig:
        return ThrottleConfig(
            reduce_factor=self.multiplicative_decrease_factor,
            additive_increase=self.additive_increase_step,
            success_window=self.successes_until_increase,
            cooldown_seconds=self.cooldown_seconds,
            rampup_seconds=self.startup_ramp_seconds,
        )


class RunConfig(ConfigBase):
    disable_early_shutdown: bool = False
    shutdown_error_rate: float = Field(default=0.5, ge=0.0, le=1.0)
    shutdown_error_window: int = Field(default=10, ge=1)
    buffer_size: int = 1000
    max_concurrent_row_groups: int = Field(default=3, ge=1)
    max_in_flight_tasks: int = Field(default=1024, ge=1)
    non_inference_max_parallel_workers: int = Field(default=4, ge=1)
    max_conversation_restarts: int = Field(default=5, ge=0)
    max_conversation_correction_steps: int = Field(default=0, ge=0)
    async_trace: bool = False
    write_scheduler_events: bool = False
    display_tui: bool = False
    progress_bar: bool | None = None
    progress_interval: float = Field(default=5.0, gt=0.0)
    otel_metrics_port: int | None = None
    preserve_dropped_columns: bool = True
    jinja_rendering_engine: JinjaRenderingEngine = JinjaRenderingEngine.SECURE
    request_admission: RequestAdmissionTuningConfig | None = None
    throttle: ThrottleConfig | None = None
    # Beyond upstream: keep a row whose LLM output failed to parse, with a null in that column, instead of dropping it.
    keep_rows_with_parse_failures: bool = False
    # Beyond upstream: the base seed of every sampler/seed RNG; None draws one per run (stored in metadata.json).
    seed: int | None = None
    # Beyond upstream: the cell journal that makes in-flight LLM cells survive a crash (see storage.journal).
    cell_journal: bool = True

    @field_validator("buffer_size")
    @classmethod
    def _positive_buffer(cls, value: int) -> int:
        if value <= 0:
            raise InvalidBufferValueError(
                f"RunConfig.buffer_size must be > 0 (records per row group), got {value}; e.g. buffer_size=1000"
            )
        return value

    @model_validator(mode="after")
    def _normalise(self) -> RunConfig:
        if self.disable_early_shutdown:
            object.__setattr__(self, "shutdown_error_rate", 1.0)
        if self.progress_bar is not None:
            warnings.warn("RunConfig.progress_bar is deprecated; use display_tui", DeprecationWarning, stacklevel=2)
            object.__setattr__(self, "display_tui", bool(self.progress_bar))
        if self.throttle is not None and self.request_admission is not None:
            raise ValueError("RunConfig: set either throttle or request_admission, not both")
        return self

    @property
    def effective_throttle(self) -> ThrottleConfig:
        """The AIMD settings in force: ``throttle`` if given, else ``request_admission``, else defaults."""
        if self.throttle is not None:
            return self.throttle
        if self.request_admission is not None:
            return self.request_admission.to_throttle_config()
        return ThrottleConfig()
