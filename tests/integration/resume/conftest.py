"""Fixtures for the resume tests: a simulated endpoint, designers with small row groups and a config factory.

Everything goes through the public API (``data_designer.config``, ``data_designer.interface``, ``data_designer.testing``);
the only internals touched are the storage seams patched to inject disk faults.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from resume_support import BUFFER_SIZE, SEED

import data_designer.config as dd
from data_designer.interface import DataDesigner
from data_designer.testing import SimulatedEndpoint


@pytest.fixture
def sim():
    with SimulatedEndpoint(port=0) as endpoint:
        yield endpoint


@pytest.fixture
def artifacts(tmp_path: Path) -> Path:
    return tmp_path / "artifacts"


@pytest.fixture
def make_designer(sim: SimulatedEndpoint, artifacts: Path) -> Callable[..., DataDesigner]:
    """``make_designer(**run_config)``: a designer on the simulator, buffer_size 10 and a fixed seed by default."""

    def make(**run_config) -> DataDesigner:
        provider = dd.ModelProvider(name="sim", endpoint=sim.base_url)
        designer = DataDesigner(artifact_path=artifacts, model_providers=[provider], auto_configure_logging=False)
        settings = {"buffer_size": BUFFER_SIZE, "seed": SEED, "max_concurrent_row_groups": 2, **run_config}
        designer.set_run_config(dd.RunConfig(**settings))
        return designer

    return make
