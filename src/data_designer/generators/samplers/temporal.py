"""Datetime and timedelta samplers on numpy ``datetime64``; formatting to strings happens only on output.

Working values stay ``datetime64[s]`` so timedelta columns can add to their reference column and constraints can
compare dates, whatever ``convert_to`` format the user picks for the output.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from data_designer.config.sampler_params import parse_timestamp
from data_designer.errors import ConfigCompilationError

__all__ = ["draw_datetime", "draw_timedelta", "format_datetimes", "datetime_unit_range"]

WORKING_UNIT = "datetime64[s]"


def datetime_unit_range(params: Any) -> tuple[np.datetime64, int]:
    """First allowed instant and number of ``unit`` steps in ``[start, end)``: every value lies on a unit boundary."""
    unit = params.unit
    start = np.datetime64(parse_timestamp(params.start, "start"), "s")
    end = np.datetime64(parse_timestamp(params.end, "end"), "s")

    def _ceil(instant: np.datetime64) -> np.datetime64:
        floored = instant.astype(f"datetime64[{unit}]")
        return floored if floored.astype(WORKING_UNIT) == instant else floored + np.timedelta64(1, unit)

    first, stop = _ceil(start), _ceil(end)
    steps = int((stop - first) / np.timedelta64(1, unit))
    if steps <= 0:
        raise ConfigCompilationError(
            f"datetime sampler: no {unit!r} boundary lies in [{params.start!r}, {params.end!r}); "
            "widen the range or use a finer unit"
        )
    return first, steps


def draw_datetime(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    first, steps = datetime_unit_range(params)
    offsets = rng.integers(0, steps, size=num_rows).astype(f"timedelta64[{params.unit}]")
    return (first + offsets).astype(WORKING_UNIT)


def draw_timedelta(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    reference = upstream[params.reference_column_name].astype(WORKING_UNIT)
    deltas = rng.integers(params.dt_min, params.dt_max, size=num_rows).astype(f"timedelta64[{params.unit}]")
    return (reference + deltas).astype(WORKING_UNIT)


def format_datetimes(values: np.ndarray, convert_to: str | None) -> list[str]:
    """ISO-8601 (``2024-01-31T00:00:00``) by default, else ``strftime(convert_to)``."""
    if convert_to is None:
        return np.datetime_as_string(values.astype(WORKING_UNIT), unit="s").tolist()
    import pandas as pd

    return pd.DatetimeIndex(values).strftime(convert_to).tolist()
