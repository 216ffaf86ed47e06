"""Fixtures: a ``data-designer`` runner with its own home and working directory, and a ``simulate`` process."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from cli_harness import CLI, SimulateProcess, start_simulate


@pytest.fixture
def cli(tmp_path: Path) -> CLI:
    work = tmp_path / "work"
    work.mkdir()
    return CLI(home=tmp_path / "home", cwd=work)


@pytest.fixture
def simulate(cli: CLI) -> Iterator[SimulateProcess]:
    sim = start_simulate(cli)
    yield sim
    sim.terminate()
