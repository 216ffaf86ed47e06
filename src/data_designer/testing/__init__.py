"""Test helpers shipped for users and plugin authors: the simulated OpenAI-compatible endpoint and a fake clock."""

from data_designer.testing.simulator import (
    SimulatedEndpoint,
    SimulatorProcess,
    SimulatorSettings,
    serve_forever,
    start_simulator_process,
)
from data_designer.throttle.clock import FakeClock

__all__ = [
    "FakeClock",
    "SimulatedEndpoint",
    "SimulatorProcess",
    "SimulatorSettings",
    "serve_forever",
    "start_simulator_process",
]
