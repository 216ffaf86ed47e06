"""Profile a generated dataset: one statistics model per column, chosen by the column's config type.

Dispatch is a registry (``column_type -> builder``), not an if-chain, so a new column kind adds one entry. Columns
present in the DataFrame without a config are profiled as seed columns when named in ``seed_column_names`` and as
general columns otherwise; side-effect columns (traces, reasoning) are listed but not profiled, since they are
by-products of another column.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from typing import Any

import pandas as pd

from data_designer.analysis import column_math as cm
from data_designer.analysis.results import DatasetProfilerResults
from data_designer.analysis.statistics import (
    CategoricalDistribution,
    ColumnDistributionType,
    ExpressionColumnStatistics,
    GeneralColumnStatistics,
    LLMCodeColumnStatistics,
    LLMJudgeColumnStatistics,
    LLMStructuredColumnStatistics,
    LLMTextColumnStatistics,
    MissingValue,
    SamplerColumnStatistics,
    SeedDatasetColumnStatistics,
    ValidationColumnStatistics,
)
from data_designer.config.sampler_params import NUMERIC_SAMPLER_TYPES
from data_designer.errors import DataDesignerError, DataDesignerProfilingError

__all__ = ["profile_column", "profile_dataset"]

logger = logging.getLogger(__name__)

_CATEGORICAL_SAMPLER_TYPES = frozenset({"category", "subcategory", "bernoulli"})


def _enum_value(value: Any) -> Any:
    return getattr(value, "value", value)


def _general_fields(name: str, series: pd.Series) -> dict[str, Any]:
    where = f"column {name!r}"
    return {
        "column_name": name,
        "num_records": len(series),
        "num_null": cm.compute_or_missing(lambda: cm.count_null(series), what=f"{where} null count"),
        "num_unique": cm.compute_or_missing(lambda: cm.count_unique(series), what=f"{where} unique count"),
        "pyarrow_dtype": cm.compute_or_missing(lambda: cm.infer_pyarrow_dtype(series), what=f"{where} pyarrow dtype"),
        "simple_dtype": cm.compute_or_missing(lambda: cm.infer_simple_dtype(series), what=f"{where} dtype"),
    }


def _profile_general(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
    return GeneralColumnStatistics(column_type=column_type, **_general_fields(name, df[name]))


def _simple_builder(cls: type[GeneralColumnStatistics]) -> Callable[..., GeneralColumnStatistics]:
    def build(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
        return cls(**_general_fields(name, df[name]))

    return build


# ---------------------------------------------------------------- LLM columns
def _rendered_prompt_lengths(df: pd.DataFrame, config: Any) -> list[int]:
    """Token estimate of system + user prompt per row, rendered against the row. A template that cannot be
    rendered (e.g. it reads a dropped column) is counted as its raw text: an estimate beats a gap."""
    from data_designer.generators.jinja_render import compile_template

    counts = [0] * len(df)
    for field in ("system_prompt", "prompt"):
        text = getattr(config, field, None)
        if not text:
            continue
        try:
            template = compile_template(text, where=f"column {config.name!r} {field}", strict=False)
        except DataDesignerError:
            counts = [c + cm.estimate_tokens(text) for c in counts]
            continue
        referenced = [c for c in df.columns if c in template.references]
        for i, row in enumerate(df[referenced].to_dict("records")):
            try:
                counts[i] += cm.estimate_tokens(template.render(row))
            except DataDesignerError:
                counts[i] += cm.estimate_tokens(text)
    return counts


def _summary_fields(prefix: str, compute: Callable[[], tuple[float, float, float]], what: str) -> dict[str, Any]:
    summary = cm.compute_or_missing(compute, what=what)
    return {
        f"{prefix}_tokens_{stat}": summary if isinstance(summary, MissingValue) else summary[i]
        for i, stat in enumerate(("mean", "median", "stddev"))
    }


TOKEN_SAMPLE_ROWS = 1_000  # token counts are len/4 estimates: a uniform sample of rows estimates them as well


def _token_fields(name: str, df: pd.DataFrame, config: Any) -> dict[str, Any]:
    """Output/input token mean, median and stddev, over at most ``TOKEN_SAMPLE_ROWS`` rows (re-rendering every
    prompt of a large dataset would cost more than the rest of the profile)."""
    where = f"column {name!r}"
    if len(df) > TOKEN_SAMPLE_ROWS:
        df = df.sample(n=TOKEN_SAMPLE_ROWS, random_state=0)
    fields = _summary_fields(
        "output",
        lambda: cm.summarize_numbers(cm.estimate_tokens(v) for v in cm.non_null_values(df[name])),
        what=f"{where} output tokens",
    )
    if config is not None and getattr(config, "prompt", None):
        fields |= _summary_fields(
            "input", lambda: cm.summarize_numbers(_rendered_prompt_lengths(df, config)), what=f"{where} input tokens"
        )
    return fields


def _llm_builder(cls: type[LLMTextColumnStatistics]) -> Callable[..., GeneralColumnStatistics]:
    def build(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
        return cls(**_general_fields(name, df[name]), **_token_fields(name, df, config))

    return build


def _judge_scores(values: Iterable[Any]) -> dict[str, list[Any]]:
    """``{score_name: [score, ...]}`` from values shaped ``{score_name: {"reasoning": ..., "score": ...}}``."""
    from data_designer.generators.jinja_render import decode_value

    scores: dict[str, list[Any]] = {}
    for value in values:
        value = decode_value(value)
        if not isinstance(value, dict):
            continue
        for score_name, entry in value.items():
            entry = decode_value(entry)
            score = entry.get("score") if isinstance(entry, dict) else entry
            if score is not None:
                scores.setdefault(str(score_name), []).append(cm.to_jsonable(score))
    return scores


def _score_distributions(series: pd.Series, config: Any) -> dict[str, CategoricalDistribution | MissingValue]:
    observed = _judge_scores(cm.non_null_values(series))
    options: dict[str, list[Any]] = {s.name: list(s.options) for s in getattr(config, "scores", None) or []}
    distributions: dict[str, CategoricalDistribution | MissingValue] = {}
    for score_name in dict.fromkeys([*options, *observed]):
        keys = options.get(score_name, [])
        by_text = {str(k): k for k in keys}  # options may be keyed "1" while the model answered 1, or vice versa
        values = [by_text.get(str(v), v) for v in observed.get(score_name, [])]
        distributions[score_name] = cm.compute_or_missing(
            lambda keys=keys, values=values: cm.build_categorical_distribution(values, categories=keys),
            what=f"column {series.name!r} score {score_name!r} distribution",
        )
    return distributions


def _profile_judge(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
    return LLMJudgeColumnStatistics(
        **_general_fields(name, df[name]),
        **_token_fields(name, df, config),
        score_distributions=_score_distributions(df[name], config),
    )


# ---------------------------------------------------------------- samplers and validation
def _sampler_distribution(values: Sequence[Any], sampler_type: str, config: Any) -> tuple[ColumnDistributionType, Any]:
    if sampler_type in _CATEGORICAL_SAMPLER_TYPES:
        categories = getattr(getattr(config, "params", None), "values", None) if sampler_type == "category" else None
        return ColumnDistributionType.CATEGORICAL, cm.build_categorical_distribution(values, categories=categories)
    if cm.is_numeric_series(values):
        return ColumnDistributionType.NUMERICAL, cm.build_numerical_distribution(values)
    if sampler_type in NUMERIC_SAMPLER_TYPES:  # converted to text, or values that were not numbers after all
        return ColumnDistributionType.OTHER, MissingValue.CALCULATION_FAILED
    return ColumnDistributionType.OTHER, None


def _profile_sampler(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
    sampler_type = str(_enum_value(getattr(config, "sampler_type", "unknown")))
    values = cm.non_null_values(df[name])
    try:
        distribution_type, distribution = _sampler_distribution(values, sampler_type, config)
    except Exception as exc:  # noqa: BLE001 - a failed distribution is reported as missing, like any statistic
        logger.debug("could not compute column %r distribution: %s", name, exc)
        distribution_type, distribution = ColumnDistributionType.UNKNOWN, MissingValue.CALCULATION_FAILED
    return SamplerColumnStatistics(
        **_general_fields(name, df[name]),
        sampler_type=sampler_type,
        distribution_type=distribution_type,
        distribution=distribution,
    )


def _is_valid(value: Any) -> bool:
    from data_designer.generators.jinja_render import decode_value

    value = decode_value(value)
    if isinstance(value, dict):
        return bool(value.get("is_valid"))
    return isinstance(value, (bool, int)) and bool(value)


def _profile_validation(name: str, df: pd.DataFrame, config: Any, column_type: str) -> GeneralColumnStatistics:
    series = df[name]
    return ValidationColumnStatistics(
        **_general_fields(name, series),
        num_valid_records=cm.compute_or_missing(
            lambda: sum(_is_valid(v) for v in cm.non_null_values(series)), what=f"column {name!r} valid records"
        ),
    )


_BUILDERS: dict[str, Callable[[str, pd.DataFrame, Any, str], GeneralColumnStatistics]] = {
    "llm-text": _llm_builder(LLMTextColumnStatistics),
    "llm-code": _llm_builder(LLMCodeColumnStatistics),
    "llm-structured": _llm_builder(LLMStructuredColumnStatistics),
    "llm-judge": _profile_judge,
    "sampler": _profile_sampler,
    "seed-dataset": _simple_builder(SeedDatasetColumnStatistics),
    "expression": _simple_builder(ExpressionColumnStatistics),
    "validation": _profile_validation,
}


def profile_column(
    df: pd.DataFrame, name: str, config: Any = None, *, column_type: str | None = None
) -> GeneralColumnStatistics:
    """Statistics of one column; ``column_type`` defaults to the config's (or "general" without a config)."""
    column_type = str(_enum_value(column_type or getattr(config, "column_type", None) or "general"))
    return _BUILDERS.get(column_type, _profile_general)(name, df, config, column_type)


def profile_dataset(
    df: pd.DataFrame,
    *,
    columns: Sequence[Any],
    target_num_records: int,
    side_effect_column_names: Iterable[str] = (),
    seed_column_names: Iterable[str] = (),
) -> DatasetProfilerResults:
    """Profile every column of ``df`` (in DataFrame order). ``columns`` are the dataset's column configs; configs
    whose column is absent (dropped) are ignored."""
    if not isinstance(df, pd.DataFrame):
        raise DataDesignerProfilingError(
            f"profile_dataset needs a pandas DataFrame, got {type(df).__name__}; load the dataset first"
        )
    if isinstance(target_num_records, bool) or not isinstance(target_num_records, int) or target_num_records < 0:
        raise DataDesignerProfilingError(
            f"target_num_records must be a non-negative integer, got {target_num_records!r}"
        )
    df = df.rename(columns=str)
    configs = {str(c.name): c for c in columns}
    side_effects = list(
        dict.fromkeys(
            [*side_effect_column_names, *(s for c in columns for s in (getattr(c, "side_effect_columns", None) or []))]
        )
    )
    skipped = set(side_effects)
    seeds = set(seed_column_names)
    statistics = []
    for name in df.columns:
        if name in skipped:
            continue
        config = configs.get(name)
        column_type = None if config is not None else ("seed-dataset" if name in seeds else "general")
        statistics.append(profile_column(df, name, config, column_type=column_type))
    return DatasetProfilerResults(
        num_records=len(df),
        target_num_records=target_num_records,
        column_statistics=statistics,
        side_effect_column_names=side_effects,
    )
