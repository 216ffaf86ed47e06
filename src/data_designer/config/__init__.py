"""The declarative layer: ``import data_designer.config as dd``.

Names are resolved lazily (PEP 562) so that importing this package stays light: no pyarrow, aiohttp or rich.
"""

from __future__ import annotations

from data_designer.lazy_exports import lazy_exports

_EXPORTS: dict[str, str] = {
    # columns
    "SkipConfig": "base",
    "CustomColumnConfig": "column_configs",
    "EmbeddingColumnConfig": "column_configs",
    "ExpressionColumnConfig": "column_configs",
    "GenerationStrategy": "column_configs",
    "ImageColumnConfig": "column_configs",
    "LLMCodeColumnConfig": "column_configs",
    "LLMJudgeColumnConfig": "column_configs",
    "LLMStructuredColumnConfig": "column_configs",
    "LLMTextColumnConfig": "column_configs",
    "SamplerColumnConfig": "column_configs",
    "Score": "column_configs",
    "SeedDatasetColumnConfig": "column_configs",
    "ValidationColumnConfig": "column_configs",
    "DataDesignerColumnType": "column_configs",
    "CodeLang": "column_configs",
    "TraceType": "column_configs",
    "custom_column_generator": "custom_column",
    # builder and containers
    "DataDesignerConfigBuilder": "config_builder",
    "DataDesignerConfig": "data_designer_config",
    "BuilderConfig": "data_designer_config",
    # tools
    "LocalStdioMCPProvider": "mcp",
    "MCPProvider": "mcp",
    "ToolConfig": "mcp",
    # models
    "AudioContext": "models",
    "AudioFormat": "models",
    "ChatCompletionInferenceParams": "models",
    "EmbeddingInferenceParams": "models",
    "GenerationType": "models",
    "ImageContext": "models",
    "ImageFormat": "models",
    "ImageInferenceParams": "models",
    "ManualDistribution": "models",
    "ManualDistributionParams": "models",
    "Modality": "models",
    "ModalityContext": "models",
    "ModalityDataType": "models",
    "ModelConfig": "models",
    "ModelProvider": "models",
    "UniformDistribution": "models",
    "UniformDistributionParams": "models",
    "VideoContext": "models",
    "VideoFormat": "models",
    # processors
    "DropColumnsProcessorConfig": "processors",
    "ProcessorType": "processors",
    "SchemaTransformProcessorConfig": "processors",
    # run config
    "JinjaRenderingEngine": "run_config",
    "RequestAdmissionTuningConfig": "run_config",
    "ResumeMode": "run_config",
    "RunConfig": "run_config",
    "ThrottleConfig": "run_config",
    # scheduling / scripts
    "DataDesignerScriptParams": "scheduling",
    "SchedulingMetadata": "scheduling",
    "SchedulingMetadataError": "scheduling",
    # constraints
    "ColumnInequalityConstraint": "sampler_constraints",
    "ConstraintType": "sampler_constraints",
    "InequalityOperator": "sampler_constraints",
    "ScalarInequalityConstraint": "sampler_constraints",
    # samplers
    "BernoulliMixtureSamplerParams": "sampler_params",
    "BernoulliSamplerParams": "sampler_params",
    "BinomialSamplerParams": "sampler_params",
    "CategorySamplerParams": "sampler_params",
    "DatetimeSamplerParams": "sampler_params",
    "GaussianSamplerParams": "sampler_params",
    "PersonFromFakerSamplerParams": "sampler_params",
    "PersonSamplerParams": "sampler_params",
    "PoissonSamplerParams": "sampler_params",
    "SamplerType": "sampler_params",
    "ScipySamplerParams": "sampler_params",
    "SubcategorySamplerParams": "sampler_params",
    "TimeDeltaSamplerParams": "sampler_params",
    "UniformSamplerParams": "sampler_params",
    "UUIDSamplerParams": "sampler_params",
    # seeds
    "IndexRange": "seed",
    "PartitionBlock": "seed",
    "SamplingStrategy": "seed",
    "SeedConfig": "seed",
    "DataFrameSeedSource": "seed_source",
    "AgentRolloutFormat": "seed_source",
    "AgentRolloutSeedSource": "seed_source",
    "DirectorySeedSource": "seed_source",
    "FileContentsSeedSource": "seed_source",
    "HuggingFaceSeedSource": "seed_source",
    "LocalFileSeedSource": "seed_source",
    # validators
    "CodeValidatorParams": "validator_params",
    "LocalCallableValidatorParams": "validator_params",
    "RemoteValidatorParams": "validator_params",
    "ValidatorType": "validator_params",
    # analysis
    "JudgeScoreProfilerConfig": "analysis",
    "InfoType": "analysis",
    "get_library_version": "version",
}

__all__ = sorted(_EXPORTS)


__getattr__, __dir__ = lazy_exports(__name__, globals(), _EXPORTS)
