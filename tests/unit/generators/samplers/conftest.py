"""Helpers for sampler generator tests: build a SamplerMultiColumnGenerator from plain column dicts."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from data_designer.config.column_configs import SamplerColumnConfig
from data_designer.generators.base import GeneratorContext
from data_designer.generators.samplers import SamplerMultiColumnConfig, SamplerMultiColumnGenerator


def sampler(name: str, sampler_type: str, params: dict[str, Any] | None = None, **kwargs: Any) -> SamplerColumnConfig:
    return SamplerColumnConfig(name=name, sampler_type=sampler_type, params=params or {}, **kwargs)


@pytest.fixture
def build() -> Callable[..., SamplerMultiColumnGenerator]:
    def _build(
        columns: list[SamplerColumnConfig],
        constraints: list[Any] | None = None,
        *,
        context: GeneratorContext | None = None,
        max_rejections_factor: int = 5,
    ) -> SamplerMultiColumnGenerator:
        config = SamplerMultiColumnConfig(
            columns=columns, constraints=constraints or [], max_rejections_factor=max_rejections_factor
        )
        return SamplerMultiColumnGenerator(config, context or GeneratorContext())

    return _build


@pytest.fixture(name="sampler")
def sampler_fixture() -> Callable[..., SamplerColumnConfig]:
    return sampler
