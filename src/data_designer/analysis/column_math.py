"""Pure per-column computations the profiler composes: counts, dtypes, distributions, token estimates.

Generated columns hold anything a model or a plugin returned: numpy scalars, dicts, lists, numpy arrays, JSON text.
Every function here accepts such values; whatever cannot be computed is reported as ``MissingValue`` by the caller
(see :func:`compute_or_missing`), never raised, because one odd column must not hide the profile of the others.
"""

from __future__ import annotations

import json
import logging
import math
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

import numpy as np
import pandas as pd

from data_designer.analysis.statistics import (
    CategoricalDistribution,
    CategoricalHistogramData,
    MissingValue,
    NumericalDistribution,
)

__all__ = [
    "CHARS_PER_TOKEN",
    "build_categorical_distribution",
    "build_numerical_distribution",
    "compute_or_missing",
    "count_null",
    "count_unique",
    "estimate_tokens",
    "infer_pyarrow_dtype",
    "infer_simple_dtype",
    "is_null",
    "is_numeric_series",
    "non_null_values",
    "summarize_numbers",
    "to_jsonable",
]

logger = logging.getLogger(__name__)

CHARS_PER_TOKEN = 4
"""A common rule of thumb for English text with BPE tokenizers; exact counts would need a tokenizer download."""

NUM_COMMON_CATEGORIES = 10

T = TypeVar("T")


def compute_or_missing(compute: Callable[[], T], *, what: str) -> T | MissingValue:
    """Run one statistic; a failure is logged and becomes ``"--"`` so the rest of the profile survives."""
    try:
        result = compute()
    except Exception as exc:  # noqa: BLE001 - any failure of a statistic is reported as missing, by design
        logger.debug("could not compute %s: %s: %s", what, type(exc).__name__, exc)
        return MissingValue.CALCULATION_FAILED
    if isinstance(result, float) and not math.isfinite(result):
        return MissingValue.CALCULATION_FAILED
    return result


def to_jsonable(value: Any) -> Any:
    """numpy/pandas values -> plain Python, recursively, so values can be hashed via JSON and shown as JSON."""
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_jsonable(v) for v in value]
    if isinstance(value, np.ndarray):
        return [to_jsonable(v) for v in value.tolist()]
    if isinstance(value, np.generic):
        return value.item()
    if isinstance(value, (pd.Timestamp, pd.Timedelta)):
        return str(value)
    return value


def _json_key(value: Any) -> str:
    return json.dumps(to_jsonable(value), sort_keys=True, default=str)


def is_null(value: Any) -> bool:
    if value is None:
        return True
    if isinstance(value, (float, np.floating)) and math.isnan(value):
        return True
    return value is pd.NA or value is pd.NaT


def non_null_values(series: pd.Series) -> list[Any]:
    return [v for v in series.tolist() if not is_null(v)]


def count_null(series: pd.Series) -> int:
    return int(sum(1 for v in series.tolist() if is_null(v)))


def count_unique(series: pd.Series) -> int:
    """Distinct non-null values; dicts, lists and arrays are compared by their JSON text."""
    try:
        return int(series.nunique(dropna=True))
    except TypeError:
        return len({_json_key(v) for v in non_null_values(series)})


def infer_pyarrow_dtype(series: pd.Series) -> str:
    import pyarrow as pa

    return str(pa.Array.from_pandas(series).type)


_SIMPLE_BY_PYTHON_TYPE: tuple[tuple[type, str], ...] = (
    (bool, "bool"),
    (np.bool_, "bool"),
    (int, "int"),
    (np.integer, "int"),
    (float, "float"),
    (np.floating, "float"),
    (str, "string"),
    (dict, "dict"),
    (list, "list"),
    (tuple, "list"),
    (np.ndarray, "list"),
    (pd.Timestamp, "datetime"),
    (pd.Timedelta, "timedelta"),
)


def infer_simple_dtype(series: pd.Series) -> str:
    """A reader-friendly type name taken from the values (a column of ints stored as object is still "int")."""
    names = set()
    for value in non_null_values(series):
        name = next((n for t, n in _SIMPLE_BY_PYTHON_TYPE if isinstance(value, t)), type(value).__name__)
        names.add(name)
    if not names:
        return "null"
    if names == {"int", "float"}:
        return "float"
    return names.pop() if len(names) == 1 else "mixed"


def is_numeric_series(values: Sequence[Any]) -> bool:
    return bool(values) and all(
        isinstance(v, (int, float, np.integer, np.floating)) and not isinstance(v, (bool, np.bool_)) for v in values
    )


def summarize_numbers(numbers: Iterable[float]) -> tuple[float, float, float]:
    """(mean, median, population stddev); a single value has stddev 0 rather than undefined."""
    array = np.asarray(list(numbers), dtype=float)
    if array.size == 0:
        raise ValueError("no non-null values")
    return float(array.mean()), float(np.median(array)), float(array.std())


def build_numerical_distribution(values: Sequence[Any]) -> NumericalDistribution:
    array = np.asarray([float(v) for v in values], dtype=float)
    if array.size == 0:
        raise ValueError("no non-null values")
    return NumericalDistribution(
        min=float(array.min()),
        max=float(array.max()),
        mean=float(array.mean()),
        stddev=float(array.std()),
        median=float(np.median(array)),
    )


def _category(value: Any) -> bool | int | float | str:
    value = to_jsonable(value)
    if isinstance(value, (bool, int, float, str)):
        return value
    return _json_key(value)


def build_categorical_distribution(
    values: Sequence[Any], *, categories: Sequence[Any] | None = None
) -> CategoricalDistribution:
    """Counts per category. ``categories`` fixes the histogram order and includes categories never observed (a
    judge score option nobody got is information); observed values outside it are appended in first-seen order."""
    counts = Counter(_category(v) for v in values)
    position = {c: i for i, c in enumerate(dict.fromkeys([*(_category(c) for c in categories or []), *counts]))}
    order = list(position)
    ranked = [(c, counts[c]) for c in sorted(counts, key=lambda c: (-counts[c], position[c]))]
    return CategoricalDistribution(
        most_common=ranked[:NUM_COMMON_CATEGORIES],
        least_common=list(reversed(ranked[-NUM_COMMON_CATEGORIES:])),
        histogram=CategoricalHistogramData(categories=order, counts=[counts.get(c, 0) for c in order]),
    )


def estimate_tokens(value: Any) -> int:
    """``ceil(chars / 4)`` of the text (structured values are measured as their JSON text)."""
    text = value if isinstance(value, str) else json.dumps(to_jsonable(value), default=str)
    return math.ceil(len(text) / CHARS_PER_TOKEN)
