"""Numeric samplers: one vectorised numpy/scipy call per draw, never a Python loop over rows.

Every function here has the :data:`~data_designer.generators.samplers.registry.SamplerDraw` shape and returns a
float64 or int64 array. ``scipy.stats`` distributions draw from the caller's ``numpy.random.Generator`` so a run is
reproducible from its seed.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any

import numpy as np

__all__ = [
    "draw_bernoulli",
    "draw_bernoulli_mixture",
    "draw_binomial",
    "draw_gaussian",
    "draw_poisson",
    "draw_scipy",
    "draw_uniform",
    "round_to",
]


def round_to(values: np.ndarray, decimal_places: int | None) -> np.ndarray:
    return values if decimal_places is None else np.round(values, decimal_places)


@lru_cache(maxsize=64)
def _distribution(dist_name: str) -> Any:
    import scipy.stats

    return getattr(scipy.stats, dist_name)


def _rvs(dist_name: str, dist_params: dict[str, Any], num_rows: int, rng: np.random.Generator) -> np.ndarray:
    values = np.asarray(_distribution(dist_name)(**dist_params).rvs(size=num_rows, random_state=rng)).reshape(num_rows)
    return values.astype(np.int64 if np.issubdtype(values.dtype, np.integer) else np.float64, copy=False)


def draw_bernoulli(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    return rng.binomial(1, params.p, size=num_rows).astype(np.int64)


def draw_bernoulli_mixture(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    keep = rng.random(num_rows) < params.p
    return np.where(keep, _rvs(params.dist_name, params.dist_params, num_rows, rng), 0.0)


def draw_binomial(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    return rng.binomial(params.n, params.p, size=num_rows).astype(np.int64)


def draw_gaussian(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    return round_to(rng.normal(params.mean, params.stddev, size=num_rows), params.decimal_places)


def draw_poisson(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    return rng.poisson(params.mean, size=num_rows).astype(np.int64)


def draw_scipy(params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]) -> np.ndarray:
    return round_to(_rvs(params.dist_name, params.dist_params, num_rows, rng), params.decimal_places)


def draw_uniform(
    params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
) -> np.ndarray:
    return round_to(rng.uniform(params.low, params.high, size=num_rows), params.decimal_places)
