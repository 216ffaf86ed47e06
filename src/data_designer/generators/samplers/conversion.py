"""``convert_to`` of sampler columns: from working values to the values written to the dataset.

Numeric and category columns accept ``"int"`` (rounded to nearest), ``"float"`` and ``"str"``; datetime and timedelta
columns take a ``strftime`` format (ISO-8601 when unset). ``"int"``/``"float"`` apply *before* conditions and
constraints see the values; everything else only on output, so constraints always compare numbers or dates.
"""

from __future__ import annotations

from typing import Any

import numpy as np

from data_designer.config.sampler_params import NUMERIC_SAMPLER_TYPES
from data_designer.errors import ConfigCompilationError, DatasetGenerationError
from data_designer.generators.samplers.temporal import format_datetimes

__all__ = ["validate_convert_to", "apply_numeric_cast", "to_output"]

TEMPORAL_SAMPLER_TYPES = frozenset({"datetime", "timedelta"})
_CASTABLE = NUMERIC_SAMPLER_TYPES | {"category", "subcategory"}
_CASTS = ("int", "float", "str")


def validate_convert_to(column: str, sampler_type: str, convert_to: str | None) -> None:
    if convert_to is None:
        return
    if sampler_type in TEMPORAL_SAMPLER_TYPES:
        if "%" not in convert_to:
            raise ConfigCompilationError(
                f"sampler column {column!r}: convert_to={convert_to!r} is not a strftime format; use e.g. '%Y-%m-%d'"
            )
        return
    if sampler_type in _CASTABLE:
        if convert_to not in _CASTS:
            raise ConfigCompilationError(
                f"sampler column {column!r}: convert_to={convert_to!r} is not supported for {sampler_type} "
                f"samplers; use one of {list(_CASTS)} or leave it unset"
            )
        return
    if convert_to != "str":
        raise ConfigCompilationError(
            f"sampler column {column!r}: {sampler_type} samplers do not support convert_to={convert_to!r}; remove it"
        )


def apply_numeric_cast(sampler_type: str, convert_to: str | None, values: np.ndarray) -> np.ndarray:
    """The ``int``/``float`` part of ``convert_to`` for numeric samplers (applied right after each draw)."""
    if sampler_type not in NUMERIC_SAMPLER_TYPES:
        return values
    if convert_to == "int":
        return np.rint(values).astype(np.int64)
    if convert_to == "float":
        return values.astype(np.float64)
    return values


def to_output(sampler_type: str, convert_to: str | None, values: np.ndarray) -> list[Any] | np.ndarray:
    """Numeric columns stay numpy arrays (unless ``str``); every other column becomes a Python list."""
    if values.size == 0:
        numeric = sampler_type in NUMERIC_SAMPLER_TYPES and convert_to != "str"
        return np.empty(0, dtype=np.float64) if numeric else []
    if sampler_type in TEMPORAL_SAMPLER_TYPES:
        return format_datetimes(values, convert_to)
    if sampler_type in NUMERIC_SAMPLER_TYPES:
        return values.astype(str).tolist() if convert_to == "str" else values
    try:
        if convert_to == "int":
            return np.rint(values.astype(np.float64)).astype(np.int64).tolist()
        if convert_to == "float":
            return values.astype(np.float64).tolist()
    except ValueError as exc:
        raise DatasetGenerationError(
            f"convert_to={convert_to!r} failed for {sampler_type} values: {exc}; make every value numeric or drop it"
        ) from exc
    if convert_to == "str":
        return values.astype(str).tolist()
    return values.tolist()
