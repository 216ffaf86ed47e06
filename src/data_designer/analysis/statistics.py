"""Column statistics as data: one pydantic model per column kind, discriminated on ``column_type``.

These models hold results only; computing them lives in :mod:`data_designer.analysis.profiler` and rendering in
:mod:`data_designer.analysis.report`. A statistic that could not be computed is stored as
:attr:`MissingValue.CALCULATION_FAILED` (``"--"``) rather than failing the whole profile, so every field that is
computed from data is typed ``<number> | MissingValue``. Column types without a dedicated model (embedding, image,
custom, plugin types) are profiled with :class:`GeneralColumnStatistics`, which keeps their own ``column_type``.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal, Union

from pydantic import BaseModel, ConfigDict, Discriminator, Field, Tag

__all__ = [
    "CategoricalDistribution",
    "CategoricalHistogramData",
    "ColumnDistributionType",
    "ColumnStatisticsT",
    "ExpressionColumnStatistics",
    "GeneralColumnStatistics",
    "LLMCodeColumnStatistics",
    "LLMJudgeColumnStatistics",
    "LLMStructuredColumnStatistics",
    "LLMTextColumnStatistics",
    "MissingValue",
    "NumericalDistribution",
    "SamplerColumnStatistics",
    "SeedDatasetColumnStatistics",
    "ValidationColumnStatistics",
    "percent_of",
]


class MissingValue(str, Enum):
    """Placeholder for a statistic that has no value; serialised as its string."""

    CALCULATION_FAILED = "--"
    OUTPUT_FORMAT_ERROR = "output_format_error"

    def __str__(self) -> str:
        return self.value


class ColumnDistributionType(str, Enum):
    CATEGORICAL = "categorical"
    NUMERICAL = "numerical"
    TEXT = "text"
    OTHER = "other"
    UNKNOWN = "unknown"


IntStat = int | MissingValue
FloatStat = float | MissingValue
Category = bool | int | float | str


def percent_of(part: IntStat | FloatStat, whole: IntStat | FloatStat) -> FloatStat:
    """``100 * part / whole``; missing inputs propagate, an empty whole is 0 % (nothing to be a share of)."""
    if isinstance(part, MissingValue) or isinstance(whole, MissingValue):
        return MissingValue.CALCULATION_FAILED
    if whole == 0:
        return 0.0
    return 100.0 * part / whole


class _StatsModel(BaseModel):
    model_config = ConfigDict(extra="forbid", use_enum_values=False)


class CategoricalHistogramData(_StatsModel):
    """Parallel lists so the histogram keeps the category order chosen by the profiler (e.g. a judge's options)."""

    categories: list[Category]
    counts: list[int]


class CategoricalDistribution(_StatsModel):
    distribution_type: Literal["categorical"] = "categorical"
    most_common: list[tuple[Category, int]]
    least_common: list[tuple[Category, int]]
    histogram: CategoricalHistogramData


class NumericalDistribution(_StatsModel):
    distribution_type: Literal["numerical"] = "numerical"
    min: FloatStat
    max: FloatStat
    mean: FloatStat
    stddev: FloatStat
    median: FloatStat


DistributionT = Annotated[CategoricalDistribution | NumericalDistribution, Field(discriminator="distribution_type")]


class GeneralColumnStatistics(_StatsModel):
    """What every column gets; also the whole profile of column types without a dedicated model."""

    column_name: str
    column_type: str = "general"
    num_records: IntStat
    num_null: IntStat
    num_unique: IntStat
    pyarrow_dtype: str | MissingValue
    simple_dtype: str | MissingValue

    @property
    def percent_null(self) -> FloatStat:
        return percent_of(self.num_null, self.num_records)

    @property
    def percent_unique(self) -> FloatStat:
        return percent_of(self.num_unique, self.num_records)


class LLMTextColumnStatistics(GeneralColumnStatistics):
    """Token counts are estimates (``ceil(chars / 4)``): good enough to size a run, and no tokenizer download.

    Input tokens cover the rendered system prompt and user prompt; the output-format instructions the engine appends
    for code/structured/judge columns are not included.
    """

    column_type: str = "llm-text"
    output_tokens_mean: FloatStat = MissingValue.CALCULATION_FAILED
    output_tokens_median: FloatStat = MissingValue.CALCULATION_FAILED
    output_tokens_stddev: FloatStat = MissingValue.CALCULATION_FAILED
    input_tokens_mean: FloatStat = MissingValue.CALCULATION_FAILED
    input_tokens_median: FloatStat = MissingValue.CALCULATION_FAILED
    input_tokens_stddev: FloatStat = MissingValue.CALCULATION_FAILED


class LLMCodeColumnStatistics(LLMTextColumnStatistics):
    column_type: str = "llm-code"


class LLMStructuredColumnStatistics(LLMTextColumnStatistics):
    column_type: str = "llm-structured"


class LLMJudgeColumnStatistics(LLMTextColumnStatistics):
    """``score_distributions`` maps each score name to the distribution of its ``score`` values across records."""

    column_type: str = "llm-judge"
    score_distributions: dict[str, CategoricalDistribution | MissingValue] = Field(default_factory=dict)


class SamplerColumnStatistics(GeneralColumnStatistics):
    column_type: str = "sampler"
    sampler_type: str
    distribution_type: ColumnDistributionType = ColumnDistributionType.UNKNOWN
    distribution: DistributionT | MissingValue | None = None


class SeedDatasetColumnStatistics(GeneralColumnStatistics):
    column_type: str = "seed-dataset"


class ExpressionColumnStatistics(GeneralColumnStatistics):
    column_type: str = "expression"


class ValidationColumnStatistics(GeneralColumnStatistics):
    column_type: str = "validation"
    num_valid_records: IntStat = MissingValue.CALCULATION_FAILED

    @property
    def percent_valid(self) -> FloatStat:
        return percent_of(self.num_valid_records, self.num_records)


STATISTICS_CLASSES: dict[str, type[GeneralColumnStatistics]] = {
    "llm-text": LLMTextColumnStatistics,
    "llm-code": LLMCodeColumnStatistics,
    "llm-structured": LLMStructuredColumnStatistics,
    "llm-judge": LLMJudgeColumnStatistics,
    "sampler": SamplerColumnStatistics,
    "seed-dataset": SeedDatasetColumnStatistics,
    "expression": ExpressionColumnStatistics,
    "validation": ValidationColumnStatistics,
}
"""column_type -> statistics class; any other column type is profiled as :class:`GeneralColumnStatistics`."""


def _statistics_tag(value: Any) -> str:
    column_type = value.get("column_type") if isinstance(value, dict) else getattr(value, "column_type", None)
    return column_type if column_type in STATISTICS_CLASSES else "general"


ColumnStatisticsT = Annotated[
    Union[  # noqa: UP007 - one tagged member per line reads better than a chain of |
        Annotated[LLMTextColumnStatistics, Tag("llm-text")],
        Annotated[LLMCodeColumnStatistics, Tag("llm-code")],
        Annotated[LLMStructuredColumnStatistics, Tag("llm-structured")],
        Annotated[LLMJudgeColumnStatistics, Tag("llm-judge")],
        Annotated[SamplerColumnStatistics, Tag("sampler")],
        Annotated[SeedDatasetColumnStatistics, Tag("seed-dataset")],
        Annotated[ExpressionColumnStatistics, Tag("expression")],
        Annotated[ValidationColumnStatistics, Tag("validation")],
        Annotated[GeneralColumnStatistics, Tag("general")],
    ],
    Discriminator(_statistics_tag),
]
"""Union of every statistics model; unknown column types (plugins) fall back to the general model."""
