"""Fixtures for the foundation tests: everything goes through the public API only.

``import data_designer.config as dd`` and ``from data_designer.interface import DataDesigner`` are the only entry
points used by this folder, so these tests describe what a user can rely on rather than how the engine is built.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

import data_designer.config as dd
from data_designer.interface import DataDesigner


@pytest.fixture
def designer(tmp_path: Path) -> DataDesigner:
    """A designer writing under ``tmp_path/artifacts`` with small row groups and a fixed seed."""
    data_designer = DataDesigner(artifact_path=tmp_path / "artifacts", auto_configure_logging=False)
    data_designer.set_run_config(dd.RunConfig(buffer_size=20, seed=1234))
    return data_designer


@pytest.fixture
def new_builder() -> Callable[[], dd.DataDesignerConfigBuilder]:
    """A builder with an explicit empty model list, so no default model config is loaded."""
    return lambda: dd.DataDesignerConfigBuilder(model_configs=[])


@pytest.fixture
def load_config(tmp_path: Path) -> Callable[[str, str], dd.DataDesignerConfigBuilder]:
    """Write config text to ``tmp_path/<name>`` and load it with ``DataDesignerConfigBuilder.from_config(path)``."""

    def load(text: str, name: str) -> dd.DataDesignerConfigBuilder:
        path = tmp_path / name
        path.write_text(text, encoding="utf-8")
        return dd.DataDesignerConfigBuilder.from_config(path)

    return load
