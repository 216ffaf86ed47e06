"""``from data_designer.interface import DataDesigner, ResumeMode``; names resolved lazily."""

from __future__ import annotations

from data_designer.lazy_exports import lazy_exports

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


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
