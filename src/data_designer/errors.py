"""The whole exception tree of data-designer.

Every error a user can see derives from :class:`DataDesignerError` and says what to fix::

    DataDesignerError
    ├── config errors
    │   ├── BuilderConfigurationError, BuilderSerializationError
    │   ├── InvalidConfigError ── InvalidColumnTypeError, InvalidEnumValueError, InvalidTypeUnionError,
    │   │                         InvalidDiscriminatorFieldError, InvalidBufferValueError
    │   ├── InvalidFilePathError, InvalidFileFormatError, UserJinjaTemplateSyntaxError
    │   ├── DatasetSampleDisplayError, PluginLoadError
    ├── interface errors: DataDesignerGenerationError ── DataDesignerEarlyShutdownError,
    │                     DataDesignerProfilingError, DataDesignerWorkflowError
    ├── engine errors: DataDesignerRuntimeError and its children (ConfigCompilationError,
    │                  DAGCircularDependencyError, RejectionSamplingError, SeedDatasetError, ArtifactStorageError, ...)
    └── model errors: ModelError and its children; RETRYABLE_MODEL_ERRORS is the retryable subset

Retryable vs fatal is an ``isinstance`` check against :data:`RETRYABLE_MODEL_ERRORS`.
"""

from __future__ import annotations


class DataDesignerError(Exception):
    """Root of every error raised by data-designer."""


# ---------------------------------------------------------------- config
class BuilderConfigurationError(DataDesignerError):
    pass


class BuilderSerializationError(DataDesignerError):
    pass


class InvalidConfigError(DataDesignerError):
    pass


class InvalidColumnTypeError(InvalidConfigError):
    pass


class InvalidEnumValueError(InvalidConfigError):
    pass


class InvalidTypeUnionError(InvalidConfigError):
    pass


class InvalidDiscriminatorFieldError(InvalidConfigError):
    pass


class InvalidBufferValueError(InvalidConfigError):
    pass


class InvalidFilePathError(DataDesignerError):
    pass


class InvalidFileFormatError(DataDesignerError):
    pass


class UserJinjaTemplateSyntaxError(DataDesignerError):
    pass


class DatasetSampleDisplayError(DataDesignerError):
    pass


class PluginLoadError(DataDesignerError):
    pass


# ---------------------------------------------------------------- interface
class DataDesignerGenerationError(DataDesignerError):
    pass


class DataDesignerEarlyShutdownError(DataDesignerGenerationError):
    pass


class DataDesignerProfilingError(DataDesignerError):
    pass


class DataDesignerWorkflowError(DataDesignerError):
    pass


# ---------------------------------------------------------------- engine
class DataDesignerRuntimeError(DataDesignerError):
    pass


class UnknownProviderError(DataDesignerRuntimeError):
    pass


class NoModelProvidersError(DataDesignerRuntimeError):
    pass


class SecretResolutionError(DataDesignerRuntimeError):
    pass


class RemoteValidationSchemaError(DataDesignerRuntimeError):
    pass


class LocalCallableValidationError(DataDesignerRuntimeError):
    pass


class ArtifactStorageError(DataDesignerRuntimeError):
    pass


class DatasetGenerationError(DataDesignerRuntimeError):
    pass


class DatasetProcessingError(DataDesignerRuntimeError):
    pass


class PromptTemplateRenderError(DataDesignerRuntimeError):
    pass


class ExpressionTemplateRenderError(DataDesignerRuntimeError):
    pass


class SeedDatasetError(DataDesignerRuntimeError):
    pass


class SeedReaderError(SeedDatasetError):
    pass


class SeedReaderConfigError(SeedReaderError):
    pass


class CustomColumnGenerationError(DataDesignerRuntimeError):
    pass


class ConfigCompilationError(DataDesignerRuntimeError):
    pass


class DAGCircularDependencyError(ConfigCompilationError):
    pass


class RejectionSamplingError(DataDesignerRuntimeError):
    pass


class MCPConfigurationError(DataDesignerRuntimeError):
    pass


class ImageGenerationError(DataDesignerRuntimeError):
    pass


# ---------------------------------------------------------------- models
class ModelError(DataDesignerError):
    """Base of every error coming from a model endpoint or its client."""

    def __init__(self, message: str = "", *, model_alias: str | None = None, status_code: int | None = None) -> None:
        super().__init__(message)
        self.model_alias = model_alias
        self.status_code = status_code


class ModelRateLimitError(ModelError):
    def __init__(self, message: str = "", *, retry_after: float | None = None, **kwargs) -> None:
        super().__init__(message, **kwargs)
        self.retry_after = retry_after


class ModelQuotaExceededError(ModelError):
    pass


class ModelTimeoutError(ModelError):
    pass


class ModelRequestAdmissionTimeoutError(ModelTimeoutError):
    pass


class ModelContextWindowExceededError(ModelError):
    pass


class ModelAuthenticationError(ModelError):
    pass


class ModelPermissionDeniedError(ModelError):
    pass


class ModelNotFoundError(ModelError):
    pass


class ModelUnsupportedParamsError(ModelError):
    pass


class ModelBadRequestError(ModelError):
    pass


class ModelInternalServerError(ModelError):
    pass


class ModelUnsupportedCapabilityError(ModelError):
    pass


class ModelAPIError(ModelError):
    pass


class ModelUnprocessableEntityError(ModelError):
    pass


class ModelAPIConnectionError(ModelError):
    pass


class ModelStructuredOutputError(ModelError):
    pass


class ModelGenerationValidationFailureError(ModelError):
    def __init__(self, detail: str = "", failure_kind: str = "parse_error", **kwargs) -> None:
        super().__init__(detail, **kwargs)
        self.detail = detail
        self.failure_kind = failure_kind


RETRYABLE_MODEL_ERRORS: tuple[type[ModelError], ...] = (
    ModelRateLimitError,
    ModelTimeoutError,
    ModelInternalServerError,
    ModelAPIConnectionError,
)
