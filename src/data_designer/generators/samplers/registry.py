"""Which function draws each sampler type: a table, not an if-chain on ``sampler_type``.

A draw function takes ``(params, num_rows, rng, upstream)`` and returns a length-``num_rows`` numpy array of
*working* values: numbers, ``datetime64[s]`` for dates, objects otherwise. ``upstream`` holds, for the same rows,
the values of the columns the sampler reads (a subcategory's parent, a timedelta's reference).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import numpy as np

from data_designer.generators.samplers import categorical, identifiers, numeric, temporal
from data_designer.generators.samplers.person import FakerPersonSampler, ManagedPersonSampler

__all__ = ["SamplerDraw", "build_sampler_registry"]

SamplerDraw = Callable[[Any, int, np.random.Generator, Mapping[str, np.ndarray]], np.ndarray]


def build_sampler_registry(
    *, managed_assets_path: Path | None, reference_date: dt.date
) -> tuple[dict[str, SamplerDraw], ManagedPersonSampler]:
    """A fresh table per generator, because the person samplers cache Faker instances and parquet tables."""
    managed = ManagedPersonSampler(managed_assets_path)
    registry: dict[str, SamplerDraw] = {
        "bernoulli": numeric.draw_bernoulli,
        "bernoulli_mixture": numeric.draw_bernoulli_mixture,
        "binomial": numeric.draw_binomial,
        "category": categorical.draw_category,
        "datetime": temporal.draw_datetime,
        "gaussian": numeric.draw_gaussian,
        "person": managed,
        "person_from_faker": FakerPersonSampler(reference_date),
        "poisson": numeric.draw_poisson,
        "scipy": numeric.draw_scipy,
        "subcategory": categorical.draw_subcategory,
        "timedelta": temporal.draw_timedelta,
        "uniform": numeric.draw_uniform,
        "uuid": identifiers.draw_uuid,
    }
    return registry, managed
