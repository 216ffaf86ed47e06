"""Public interface errors (re-exported from the one exception tree in ``data_designer.errors``)."""

from data_designer.errors import (
    DataDesignerEarlyShutdownError,
    DataDesignerGenerationError,
    DataDesignerProfilingError,
    DataDesignerWorkflowError,
    InvalidBufferValueError,
)

__all__ = [
    "DataDesignerEarlyShutdownError",
    "DataDesignerGenerationError",
    "DataDesignerProfilingError",
    "DataDesignerWorkflowError",
    "InvalidBufferValueError",
]
