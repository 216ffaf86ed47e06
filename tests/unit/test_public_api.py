"""Pins the public surface: ``data_designer.config`` (as ``dd``), ``data_designer.interface`` and the error tree.

The names come from the API inventory (§1.1, §1.20): users' code must run unchanged, so a rename or a missing export
is a breaking change that must show up here. Import weight is pinned too: ``import data_designer.config`` must not
drag in pyarrow, aiohttp, rich or the engine.
"""

from __future__ import annotations

import inspect
import json
import subprocess
import sys

import pytest

import data_designer.config as dd
import data_designer.interface as interface
from data_designer import errors

INVENTORY_CONFIG_NAMES = """
JudgeScoreProfilerConfig, SkipConfig, CustomColumnConfig, EmbeddingColumnConfig, ExpressionColumnConfig,
GenerationStrategy, ImageColumnConfig, LLMCodeColumnConfig, LLMJudgeColumnConfig, LLMStructuredColumnConfig,
LLMTextColumnConfig, SamplerColumnConfig, Score, SeedDatasetColumnConfig, ValidationColumnConfig,
DataDesignerColumnType, DataDesignerConfigBuilder, custom_column_generator, DataDesignerConfig,
LocalStdioMCPProvider, MCPProvider, ToolConfig, AudioContext, AudioFormat, ChatCompletionInferenceParams,
EmbeddingInferenceParams, GenerationType, ImageContext, ImageFormat, ImageInferenceParams, ManualDistribution,
ManualDistributionParams, Modality, ModalityContext, ModalityDataType, ModelConfig, ModelProvider,
UniformDistribution, UniformDistributionParams, VideoContext, VideoFormat, DropColumnsProcessorConfig,
ProcessorType, SchemaTransformProcessorConfig, JinjaRenderingEngine, RequestAdmissionTuningConfig, ResumeMode,
RunConfig, ThrottleConfig, DataDesignerScriptParams, SchedulingMetadata, SchedulingMetadataError,
ColumnInequalityConstraint, ConstraintType, InequalityOperator, ScalarInequalityConstraint,
BernoulliMixtureSamplerParams, BernoulliSamplerParams, BinomialSamplerParams, CategorySamplerParams,
DatetimeSamplerParams, GaussianSamplerParams, PersonFromFakerSamplerParams, PersonSamplerParams,
PoissonSamplerParams, SamplerType, ScipySamplerParams, SubcategorySamplerParams, TimeDeltaSamplerParams,
UniformSamplerParams, UUIDSamplerParams, IndexRange, PartitionBlock, SamplingStrategy, SeedConfig,
DataFrameSeedSource, AgentRolloutFormat, AgentRolloutSeedSource, DirectorySeedSource, FileContentsSeedSource,
HuggingFaceSeedSource, LocalFileSeedSource, CodeLang, InfoType, TraceType, CodeValidatorParams,
LocalCallableValidatorParams, RemoteValidatorParams, ValidatorType, get_library_version
"""
CONFIG_NAMES = {name.strip() for name in INVENTORY_CONFIG_NAMES.split(",")}
# The foundation issue also asks for BuilderConfig in ``dd`` (it is the envelope written to builder_config.json).
EXTRA_CONFIG_NAMES = {"BuilderConfig"}

INTERFACE_CORE_NAMES = {
    "DataDesigner",
    "DatasetCreationResults",
    "ResumeMode",
    "DataDesignerEarlyShutdownError",
    "DataDesignerGenerationError",
    "DataDesignerProfilingError",
    "DataDesignerWorkflowError",
}
INTERFACE_WORKFLOW_NAMES = {"CompositeWorkflow", "CompositeWorkflowResults", "SkippedStageResult", "SkippedStageStatus"}

ERROR_NAMES = """
BuilderConfigurationError, BuilderSerializationError, InvalidColumnTypeError, InvalidConfigError,
InvalidFilePathError, InvalidFileFormatError, UserJinjaTemplateSyntaxError, InvalidEnumValueError,
InvalidTypeUnionError, InvalidDiscriminatorFieldError, DatasetSampleDisplayError, PluginLoadError,
DataDesignerGenerationError, DataDesignerEarlyShutdownError, DataDesignerProfilingError, DataDesignerWorkflowError,
InvalidBufferValueError, DataDesignerRuntimeError, UnknownProviderError, NoModelProvidersError,
SecretResolutionError, RemoteValidationSchemaError, LocalCallableValidationError, ArtifactStorageError,
DatasetGenerationError, DatasetProcessingError, PromptTemplateRenderError, ExpressionTemplateRenderError,
SeedDatasetError, CustomColumnGenerationError, ConfigCompilationError, DAGCircularDependencyError,
RejectionSamplingError, SeedReaderError, SeedReaderConfigError, MCPConfigurationError, ImageGenerationError,
ModelError, ModelRateLimitError, ModelQuotaExceededError, ModelTimeoutError, ModelRequestAdmissionTimeoutError,
ModelContextWindowExceededError, ModelAuthenticationError, ModelPermissionDeniedError, ModelNotFoundError,
ModelUnsupportedParamsError, ModelBadRequestError, ModelInternalServerError, ModelUnsupportedCapabilityError,
ModelAPIError, ModelUnprocessableEntityError, ModelAPIConnectionError, ModelStructuredOutputError,
ModelGenerationValidationFailureError
"""


def test_config_all_is_exactly_the_inventory_list() -> None:
    assert len(CONFIG_NAMES) == 90
    assert set(dd.__all__) == CONFIG_NAMES | EXTRA_CONFIG_NAMES
    assert len(dd.__all__) == len(set(dd.__all__))


@pytest.mark.parametrize("name", sorted(CONFIG_NAMES | EXTRA_CONFIG_NAMES))
def test_every_config_name_is_importable(name: str) -> None:
    assert getattr(dd, name) is not None
    exec(f"from data_designer.config import {name}", {})


def test_unknown_config_name_raises_attribute_error() -> None:
    with pytest.raises(AttributeError, match="NoSuchThing"):
        dd.NoSuchThing  # noqa: B018


def test_interface_exports_the_core_names() -> None:
    assert INTERFACE_CORE_NAMES <= set(interface.__all__)
    for name in INTERFACE_CORE_NAMES:
        assert getattr(interface, name) is not None
    assert interface.ResumeMode is dd.ResumeMode
    assert interface.DataDesignerGenerationError is errors.DataDesignerGenerationError
    assert interface.DataDesignerEarlyShutdownError is errors.DataDesignerEarlyShutdownError


def test_interface_exports_the_workflow_names() -> None:
    assert INTERFACE_WORKFLOW_NAMES <= set(interface.__all__)


def test_resume_mode_and_column_type_wire_values() -> None:
    assert [m.value for m in dd.ResumeMode] == ["never", "always", "if_possible"]
    assert dd.DataDesignerColumnType.LLM_TEXT.value == "llm-text"
    assert dd.DataDesignerColumnType.SEED_DATASET.value == "seed-dataset"
    assert {t.value for t in dd.SamplerType} == {
        "bernoulli",
        "bernoulli_mixture",
        "binomial",
        "category",
        "datetime",
        "gaussian",
        "person",
        "person_from_faker",
        "poisson",
        "scipy",
        "subcategory",
        "timedelta",
        "uniform",
        "uuid",
    }


_LIGHTNESS_PROBE = """
import json, sys
import data_designer.config as dd
bare = sorted(m for m in ("pyarrow", "aiohttp", "rich", "data_designer.engine") if m in sys.modules)
for name in dd.__all__:
    getattr(dd, name)
builder = dd.DataDesignerConfigBuilder(model_configs=[])
builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 1})
builder.add_column(name="y", column_type="expression", expr="{{ x }}")
builder.build().to_yaml()
builder.build().fingerprint()
used = sorted(m for m in sys.modules if m in ("pyarrow", "aiohttp", "rich") or m.startswith("data_designer.engine"))
print(json.dumps({"bare": bare, "used": used}))
"""


def test_importing_config_stays_light_and_never_imports_the_engine() -> None:
    result = subprocess.run(
        [sys.executable, "-c", _LIGHTNESS_PROBE], capture_output=True, text=True, check=True, timeout=60
    )
    report = json.loads(result.stdout.strip().splitlines()[-1])
    assert report == {"bare": [], "used": []}


# ---------------------------------------------------------------- error tree
@pytest.mark.parametrize("name", sorted(n.strip() for n in ERROR_NAMES.split(",")))
def test_every_error_class_exists_under_the_root(name: str) -> None:
    cls = getattr(errors, name)
    assert inspect.isclass(cls)
    assert issubclass(cls, errors.DataDesignerError)


def test_error_hierarchy_details() -> None:
    assert issubclass(errors.DataDesignerError, Exception)
    assert issubclass(errors.DataDesignerEarlyShutdownError, errors.DataDesignerGenerationError)
    assert issubclass(errors.ModelRequestAdmissionTimeoutError, errors.ModelTimeoutError)
    assert issubclass(errors.SeedReaderConfigError, errors.SeedReaderError)
    assert issubclass(errors.DAGCircularDependencyError, errors.DataDesignerRuntimeError)
    assert set(errors.RETRYABLE_MODEL_ERRORS) == {
        errors.ModelRateLimitError,
        errors.ModelTimeoutError,
        errors.ModelInternalServerError,
        errors.ModelAPIConnectionError,
    }
    failure = errors.ModelGenerationValidationFailureError("bad json", failure_kind="schema_validation")
    assert failure.detail == "bad json"
    assert failure.failure_kind == "schema_validation"
