"""Profiler configs added with ``DataDesignerConfigBuilder.add_profiler``."""

from __future__ import annotations

from enum import Enum

from data_designer.config.base import ConfigBase

__all__ = ["InfoType", "JudgeScoreProfilerConfig"]


class JudgeScoreProfilerConfig(ConfigBase):
    model_alias: str
    summary_score_sample_size: int | None = 20


class InfoType(str, Enum):
    SAMPLERS = "samplers"
    MODEL_CONFIGS = "model_configs"
    MODEL_PROVIDERS = "model_providers"
