"""Category and subcategory samplers, vectorised: one ``choice`` per draw, one per parent value for subcategories."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

from data_designer.errors import DatasetGenerationError

__all__ = ["draw_category", "draw_subcategory", "subcategory_options"]


def _object_array(values: list[Any]) -> np.ndarray:
    # Built element-wise so mixed str/int/float values keep their Python types (np.array would coerce to str).
    array = np.empty(len(values), dtype=object)
    array[:] = values
    return array


def draw_category(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    choices = rng.choice(len(params.values), size=num_rows, p=params.weights)
    return _object_array(list(params.values))[choices]


def subcategory_options(params: Any, parent_value: Any) -> list[Any] | None:
    """The subcategories of ``parent_value``; keys are strings in JSON/YAML, so ``3`` also matches ``"3"``."""
    options = params.values.get(parent_value)
    if options is None and not isinstance(parent_value, str):
        options = params.values.get(str(parent_value))
    return options


def draw_subcategory(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    parent = upstream[params.category]
    out = np.empty(num_rows, dtype=object)
    # pd.unique keeps first-appearance order and handles mixed object values, so the draw order is deterministic.
    import pandas as pd

    for parent_value in pd.unique(parent):
        parent_value = parent_value.item() if isinstance(parent_value, np.generic) else parent_value
        options = subcategory_options(params, parent_value)
        if options is None:
            raise DatasetGenerationError(
                f"subcategory sampler: parent column {params.category!r} produced {parent_value!r}, which has no "
                f"entry in params.values (keys: {sorted(map(str, params.values))}); add it to the values mapping"
            )
        rows = np.flatnonzero(parent == parent_value)
        out[rows] = _object_array(list(options))[rng.integers(0, len(options), size=rows.size)]
    return out
