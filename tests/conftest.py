"""Test-wide isolation: every test gets its own DATA_DESIGNER_HOME so no user config is read or written."""

from __future__ import annotations

import pytest

pytest_plugins = ["data_designer.testing.fixtures"]


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path_factory, monkeypatch):
    home = tmp_path_factory.mktemp("dd-home")
    monkeypatch.setenv("DATA_DESIGNER_HOME", str(home))
    monkeypatch.setenv("DISABLE_DATA_DESIGNER_PLUGINS", "true")
    for var in ("NVIDIA_API_KEY", "OPENAI_API_KEY", "OPENROUTER_API_KEY", "DATA_DESIGNER_ASYNC_ENGINE"):
        monkeypatch.delenv(var, raising=False)
    yield home
