"""Dataset analysis: profile a generated dataset, report it with Rich, display sample records.

``profile_dataset`` and the statistics models need only pandas/pyarrow; Rich is imported when a report or a
record is rendered. Rich is used nowhere else in the library's core (``data_designer.config`` never imports it).
"""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS: dict[str, str] = {
    "CategoricalDistribution": "statistics",
    "CategoricalHistogramData": "statistics",
    "ColumnDistributionType": "statistics",
    "ColumnStatisticsT": "statistics",
    "ExpressionColumnStatistics": "statistics",
    "GeneralColumnStatistics": "statistics",
    "LLMCodeColumnStatistics": "statistics",
    "LLMJudgeColumnStatistics": "statistics",
    "LLMStructuredColumnStatistics": "statistics",
    "LLMTextColumnStatistics": "statistics",
    "MissingValue": "statistics",
    "NumericalDistribution": "statistics",
    "SamplerColumnStatistics": "statistics",
    "SeedDatasetColumnStatistics": "statistics",
    "ValidationColumnStatistics": "statistics",
    "DatasetProfilerResults": "results",
    "profile_column": "profiler",
    "profile_dataset": "profiler",
    "ReportSection": "report",
    "display_sample_record": "display",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'data_designer.analysis' has no attribute {name!r}")
    value = getattr(importlib.import_module(f"data_designer.analysis.{module}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted([*globals(), *__all__])
