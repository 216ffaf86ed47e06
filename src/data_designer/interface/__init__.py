"""``from data_designer.interface import DataDesigner, ResumeMode``; names resolved lazily."""

from __future__ import annotations

import importlib
from typing import Any

_EXPORTS = {
    "DataDesigner": "data_designer.interface.data_designer",
    "DatasetCreationResults": "data_designer.interface.results",
    "PreviewResults": "data_designer.interface.results",
    "ResumeMode": "data_designer.config.run_config",
    "CompositeWorkflow": "data_designer.interface.workflow",
    "CompositeWorkflowResults": "data_designer.interface.workflow",
    "SkippedStageResult": "data_designer.interface.workflow",
    "SkippedStageStatus": "data_designer.interface.workflow",
    "DataDesignerEarlyShutdownError": "data_designer.errors",
    "DataDesignerGenerationError": "data_designer.errors",
    "DataDesignerProfilingError": "data_designer.errors",
    "DataDesignerWorkflowError": "data_designer.errors",
}

__all__ = sorted(_EXPORTS)


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'data_designer.interface' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return __all__
