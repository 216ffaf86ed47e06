"""Dataset analysis: profile a generated dataset, report it with Rich, display sample records.

``profile_dataset`` and the statistics models need only pandas/pyarrow; Rich is imported when a report or a
record is rendered. Rich is used nowhere else in the library's core (``data_designer.config`` never imports it).
"""

from __future__ import annotations

from data_designer.lazy_exports import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
