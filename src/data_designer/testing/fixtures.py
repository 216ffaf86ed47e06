"""Pytest fixtures around the simulated endpoint, for this project's tests and for plugin authors.

Enable with ``pytest_plugins = ["data_designer.testing.fixtures"]`` (root conftest or a test module). Every endpoint
a fixture starts is stopped at teardown, so no server thread outlives its test.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest

from data_designer.testing.simulator import SimulatedEndpoint


@pytest.fixture
def simulated_endpoint() -> Iterator[SimulatedEndpoint]:
    """A started endpoint with default settings on a free port (``.base_url`` ends in ``/v1``)."""
    with SimulatedEndpoint(port=0) as endpoint:
        yield endpoint


@pytest.fixture
def simulated_endpoint_factory() -> Iterator[Callable[..., SimulatedEndpoint]]:
    """Call with ``SimulatedEndpoint`` keyword arguments to get a *started* endpoint; all are stopped at teardown."""
    started: list[SimulatedEndpoint] = []

    def factory(**settings: Any) -> SimulatedEndpoint:
        endpoint = SimulatedEndpoint(**settings)
        endpoint.start()
        started.append(endpoint)
        return endpoint

    yield factory
    for endpoint in reversed(started):
        endpoint.stop()
