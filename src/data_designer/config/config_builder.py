"""``DataDesignerConfigBuilder``: the fluent way to declare a dataset."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from pydantic import TypeAdapter, ValidationError

from data_designer.config.analysis import JudgeScoreProfilerConfig
from data_designer.config.base import SingleColumnConfig
from data_designer.config.column_configs import COLUMN_CONFIG_CLASSES, ColumnConfigT
from data_designer.config.data_designer_config import BuilderConfig, DataDesignerConfig
from data_designer.config.loading import format_validation_error, load_config_mapping
from data_designer.config.mcp import ToolConfig
from data_designer.config.models import ModelConfig
from data_designer.config.processors import DropColumnsProcessorConfig, ProcessorConfigT
from data_designer.config.sampler_constraints import ColumnConstraintT
from data_designer.config.seed import SamplingStrategy, SeedConfig
from data_designer.errors import BuilderConfigurationError, BuilderSerializationError, InvalidConfigError

__all__ = ["DataDesignerConfigBuilder"]

_COLUMN_ADAPTER: TypeAdapter = TypeAdapter(ColumnConfigT)
_CONSTRAINT_ADAPTER: TypeAdapter = TypeAdapter(ColumnConstraintT)
_PROCESSOR_ADAPTER: TypeAdapter = TypeAdapter(ProcessorConfigT)


def _value(item: Any) -> Any:
    return getattr(item, "value", item)


def _load_default_model_configs() -> list[ModelConfig]:
    try:
        from data_designer.models.defaults import load_model_configs
    except ImportError as exc:  # pragma: no cover - engine always ships with this package
        raise BuilderConfigurationError("default model configs need the data-designer engine installed") from exc
    return list(load_model_configs())


class DataDesignerConfigBuilder:
    def __init__(
        self,
        model_configs: list[ModelConfig] | str | Path | None = None,
        tool_configs: list[ToolConfig] | None = None,
    ) -> None:
        if model_configs is None:
            model_configs = _load_default_model_configs()
        elif isinstance(model_configs, (str, Path)):
            mapping = load_config_mapping(model_configs)
            model_configs = [ModelConfig.model_validate(m) for m in mapping.get("model_configs", [])]
        self._model_configs: dict[str, ModelConfig] = {m.alias: m for m in model_configs}
        self._tool_configs: dict[str, ToolConfig] = {t.tool_alias: t for t in tool_configs or []}
        self._columns: dict[str, SingleColumnConfig] = {}
        self._constraints: list[Any] = []
        self._processors: dict[str, Any] = {}
        self._profilers: list[JudgeScoreProfilerConfig] = []
        self._seed_config: SeedConfig | None = None

    # ------------------------------------------------------------------ columns
    def add_column(
        self, column_config: SingleColumnConfig | None = None, /, **kwargs: Any
    ) -> DataDesignerConfigBuilder:
        if column_config is None:
            if "column_type" not in kwargs:
                raise BuilderConfigurationError(
                    f"add_column(name={kwargs.get('name')!r}, ...) needs column_type, one of {sorted(COLUMN_CONFIG_CLASSES)}"
                )
            kwargs["column_type"] = _value(kwargs["column_type"])
            if kwargs["column_type"] not in COLUMN_CONFIG_CLASSES:
                raise InvalidConfigError(
                    f"column {kwargs.get('name')!r}: unknown column_type {kwargs['column_type']!r}; "
                    f"use one of {sorted(COLUMN_CONFIG_CLASSES)}"
                )
            try:
                column_config = _COLUMN_ADAPTER.validate_python(kwargs)
            except ValidationError as exc:
                raise format_validation_error(exc, kwargs, what=f"column {kwargs.get('name')!r}") from exc
        elif not isinstance(column_config, SingleColumnConfig):
            raise BuilderConfigurationError(f"add_column expects a column config, got {type(column_config).__name__}")
        self._columns[column_config.name] = column_config
        return self

    def delete_column(self, name: str) -> DataDesignerConfigBuilder:
        column = self._columns.get(name)
        if column is None:
            raise BuilderConfigurationError(f"cannot delete column {name!r}: no such declared column")
        if column.column_type == "seed-dataset":
            raise BuilderConfigurationError(f"cannot delete seed column {name!r}; change the seed dataset instead")
        del self._columns[name]
        return self

    def get_column_config(self, name: str) -> SingleColumnConfig:
        if name not in self._columns:
            raise KeyError(f"no column named {name!r}; columns: {list(self._columns)}")
        return self._columns[name]

    def get_column_configs(self) -> list[SingleColumnConfig]:
        return list(self._columns.values())

    def get_columns_of_type(self, column_type: Any) -> list[SingleColumnConfig]:
        return [c for c in self._columns.values() if c.column_type == _value(column_type)]

    def get_columns_excluding_type(self, column_type: Any) -> list[SingleColumnConfig]:
        return [c for c in self._columns.values() if c.column_type != _value(column_type)]

    def num_columns_of_type(self, column_type: Any) -> int:
        return len(self.get_columns_of_type(column_type))

    # ------------------------------------------------------------------ constraints, processors, profilers
    def add_constraint(self, constraint: Any = None, /, **kwargs: Any) -> DataDesignerConfigBuilder:
        if constraint is None:
            if "constraint_type" in kwargs:
                kwargs["constraint_type"] = _value(kwargs["constraint_type"])
            try:
                constraint = _CONSTRAINT_ADAPTER.validate_python(kwargs)
            except ValidationError as exc:
                raise format_validation_error(exc, kwargs, what="constraint") from exc
        self._constraints.append(constraint)
        return self

    def delete_constraints(self, target_column: str) -> DataDesignerConfigBuilder:
        self._constraints = [c for c in self._constraints if c.target_column != target_column]
        return self

    def get_constraints(self, target_column: str | None = None) -> list[Any]:
        return [c for c in self._constraints if target_column is None or c.target_column == target_column]

    def add_processor(self, processor_config: Any = None, /, **kwargs: Any) -> DataDesignerConfigBuilder:
        if processor_config is None:
            if "processor_type" in kwargs:
                kwargs["processor_type"] = _value(kwargs["processor_type"])
            try:
                processor_config = _PROCESSOR_ADAPTER.validate_python(kwargs)
            except ValidationError as exc:
                raise format_validation_error(exc, kwargs, what="processor") from exc
        if isinstance(processor_config, DropColumnsProcessorConfig):
            for name, column in self._columns.items():
                if any(fnmatch.fnmatchcase(name, pattern) for pattern in processor_config.column_names):
                    self._columns[name] = column.model_copy(update={"drop": True})
        self._processors[processor_config.name] = processor_config
        return self

    def get_processor_configs(self) -> list[Any]:
        return list(self._processors.values())

    def add_profiler(self, profiler_config: JudgeScoreProfilerConfig) -> DataDesignerConfigBuilder:
        self._profilers.append(profiler_config)
        return self

    def get_profilers(self) -> list[JudgeScoreProfilerConfig]:
        return list(self._profilers)

    # ------------------------------------------------------------------ models and tools
    def add_model_config(self, model_config: ModelConfig) -> DataDesignerConfigBuilder:
        self._model_configs[model_config.alias] = model_config
        return self

    def delete_model_config(self, alias: str) -> DataDesignerConfigBuilder:
        self._model_configs.pop(alias, None)
        return self

    @property
    def model_configs(self) -> list[ModelConfig]:
        return list(self._model_configs.values())

    def add_tool_config(self, tool_config: ToolConfig) -> DataDesignerConfigBuilder:
        self._tool_configs[tool_config.tool_alias] = tool_config
        return self

    def delete_tool_config(self, alias: str) -> DataDesignerConfigBuilder:
        self._tool_configs.pop(alias, None)
        return self

    def get_tool_config(self, alias: str) -> ToolConfig | None:
        return self._tool_configs.get(alias)

    @property
    def tool_configs(self) -> list[ToolConfig]:
        return list(self._tool_configs.values())

    # ------------------------------------------------------------------ seed data
    def with_seed_dataset(
        self,
        source: Any,
        *,
        sampling_strategy: SamplingStrategy | str = SamplingStrategy.ORDERED,
        selection_strategy: Any = None,
    ) -> DataDesignerConfigBuilder:
        self._seed_config = SeedConfig(
            source=source, sampling_strategy=sampling_strategy, selection_strategy=selection_strategy
        )
        return self

    def get_seed_config(self) -> SeedConfig | None:
        return self._seed_config

    # ------------------------------------------------------------------ build and serialise
    @property
    def allowed_references(self) -> list[str]:
        names: list[str] = []
        for column in self._columns.values():
            names.append(column.name)
            names.extend(column.side_effect_columns)
        return names

    def build(self) -> DataDesignerConfig:
        for tool in self._tool_configs.values():
            if tool.allow_tools and len(set(tool.allow_tools)) != len(tool.allow_tools):
                raise BuilderConfigurationError(f"tool config {tool.tool_alias!r}: allow_tools has duplicates")
        fields = dict(
            columns=list(self._columns.values()),
            model_configs=list(self._model_configs.values()) or None,
            tool_configs=list(self._tool_configs.values()) or None,
            seed_config=self._seed_config,
            constraints=list(self._constraints) or None,
            profilers=list(self._profilers) or None,
            processors=list(self._processors.values()) or None,
        )
        try:
            return DataDesignerConfig(**fields)
        except ValidationError as exc:
            raise format_validation_error(exc, {"columns": [c.model_dump() for c in self._columns.values()]}) from exc

    def get_builder_config(self) -> BuilderConfig:
        return BuilderConfig(data_designer=self.build())

    def write_config(self, path: str | Path, indent: int = 2) -> None:
        path = Path(path)
        if self._seed_config is not None and getattr(self._seed_config.source, "seed_type", None) == "df":
            raise BuilderSerializationError(
                "a DataFrame seed cannot be written to a config file; save it with "
                "LocalFileSeedSource.from_dataframe(df, 'seed.parquet') and use that source instead"
            )
        builder_config = self.get_builder_config()
        suffix = path.suffix.lower()
        if suffix in (".yaml", ".yml"):
            builder_config.to_yaml(path, indent=indent)
        elif suffix == ".json":
            builder_config.to_json(path, indent=indent)
        else:
            raise BuilderSerializationError(f"{path}: write_config supports .yaml, .yml and .json")

    @classmethod
    def from_config(cls, config: dict | str | Path | BuilderConfig | DataDesignerConfig) -> DataDesignerConfigBuilder:
        if isinstance(config, BuilderConfig):
            dd_config = config.data_designer
        elif isinstance(config, DataDesignerConfig):
            dd_config = config
        else:
            mapping = config if isinstance(config, dict) else load_config_mapping(config)
            inner = mapping.get("data_designer", mapping)
            if not isinstance(inner, dict) or "columns" not in inner:
                raise BuilderSerializationError(
                    "a config needs a top-level 'columns' list (or a 'data_designer' mapping containing one)"
                )
            try:
                dd_config = DataDesignerConfig.model_validate(inner)
            except ValidationError as exc:
                raise format_validation_error(exc, inner) from exc
        builder = cls(
            model_configs=list(dd_config.model_configs or []), tool_configs=list(dd_config.tool_configs or [])
        )
        for column in dd_config.columns:
            builder._columns[column.name] = column
        builder._constraints = list(dd_config.constraints or [])
        builder._processors = {p.name: p for p in dd_config.processors or []}
        builder._profilers = list(dd_config.profilers or [])
        builder._seed_config = dd_config.seed_config
        return builder

    # ------------------------------------------------------------------ display
    def __repr__(self) -> str:
        groups: dict[str, list[str]] = {}
        for column in self._columns.values():
            groups.setdefault(column.column_type, []).append(column.name)
        body = "".join(f"\n  {kind}: {', '.join(names)}" for kind, names in groups.items())
        return f"DataDesignerConfigBuilder({body}\n)" if body else "DataDesignerConfigBuilder()"
