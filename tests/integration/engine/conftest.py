"""Fixtures for the engine integration tests: the public API over real HTTP against the simulated endpoint.

Only ``import data_designer.config as dd``, ``DataDesigner`` and ``SimulatedEndpoint`` are used, so these tests pin
what a user sees (rows, values, traces, usage, errors), not how the engine is wired inside.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

import data_designer.config as dd
from data_designer.interface import DataDesigner
from data_designer.testing import SimulatedEndpoint


@pytest.fixture(autouse=True)
def _fast_transport_retries(monkeypatch: pytest.MonkeyPatch) -> None:
    """5xx retries back off for milliseconds, not the production 2/4/8 s."""
    monkeypatch.setenv("DATA_DESIGNER_RETRY_BACKOFF_S", "0.01,0.02,0.04")


@pytest.fixture
def sim_factory(simulated_endpoint_factory) -> Callable[..., SimulatedEndpoint]:
    """A started simulator; fast by default (``latency_ms=5``)."""

    def make(**settings: Any) -> SimulatedEndpoint:
        settings.setdefault("latency_ms", 5)
        return simulated_endpoint_factory(**settings)

    return make


@pytest.fixture
def make_designer(tmp_path: Path) -> Callable[..., DataDesigner]:
    """``make_designer(sim, **run_config)``: a designer pointed at ``sim``, tracing on, seeded, small row groups."""

    def make(sim: SimulatedEndpoint, **run_config: Any) -> DataDesigner:
        provider = dd.ModelProvider(name="sim", endpoint=sim.base_url, api_key=None)
        designer = DataDesigner(
            artifact_path=tmp_path / "artifacts", model_providers=[provider], auto_configure_logging=False
        )
        run_config.setdefault("buffer_size", 20)
        run_config.setdefault("async_trace", True)
        run_config.setdefault("seed", 7)
        designer.set_run_config(dd.RunConfig(**run_config))
        return designer

    return make
