"""The config container (``DataDesignerConfig``) and its versioned envelope (``BuilderConfig``)."""

from __future__ import annotations

from typing import Any

from pydantic import Field, model_validator

from data_designer.config.analysis import JudgeScoreProfilerConfig
from data_designer.config.base import ExportableConfigBase
from data_designer.config.column_configs import ColumnConfigT, CustomColumnConfig
from data_designer.config.fingerprint import fingerprint_config_dict
from data_designer.config.mcp import ToolConfig
from data_designer.config.models import ModelConfig
from data_designer.config.processors import ProcessorConfigT
from data_designer.config.sampler_constraints import ColumnConstraintT
from data_designer.config.seed import SeedConfig
from data_designer.config.version import get_library_version

__all__ = ["BuilderConfig", "DataDesignerConfig"]


class DataDesignerConfig(ExportableConfigBase):
    columns: list[ColumnConfigT]
    model_configs: list[ModelConfig] | None = None
    tool_configs: list[ToolConfig] | None = None
    seed_config: SeedConfig | None = None
    constraints: list[ColumnConstraintT] | None = None
    profilers: list[JudgeScoreProfilerConfig] | None = None
    processors: list[ProcessorConfigT] | None = None

    @model_validator(mode="after")
    def _unique_names(self) -> DataDesignerConfig:
        seen: dict[str, int] = {}
        for index, column in enumerate(self.columns):
            if column.name in seen:
                raise ValueError(
                    f"duplicate column name {column.name!r} (columns {seen[column.name]} and {index}); "
                    "every column needs a unique name: rename one of them"
                )
            seen[column.name] = index
        return self

    @model_validator(mode="after")
    def _subcategory_parents(self) -> DataDesignerConfig:
        by_name = {c.name: c for c in self.columns}
        for column in self.columns:
            if column.column_type == "sampler" and column.sampler_type == "subcategory":
                parent = by_name.get(column.params.category)
                if parent is None or parent.column_type != "sampler" or parent.sampler_type != "category":
                    found = (
                        "does not exist"
                        if parent is None
                        else f"is a {getattr(parent, 'sampler_type', None) or parent.column_type} column"
                    )
                    raise ValueError(
                        f"column {column.name!r}: subcategory parent {column.params.category!r} {found}; "
                        "params.category must name a sampler column with sampler_type='category'"
                    )
        return self

    def fingerprint(self) -> dict[str, Any]:
        data = self.to_dict()
        for index, column in enumerate(self.columns):
            if isinstance(column, CustomColumnConfig) and callable(column.generator_function):
                fn = column.generator_function
                data["columns"][index]["generator_function"] = {
                    "name": getattr(fn, "__name__", ""),
                    "qualname": getattr(fn, "__qualname__", ""),
                    "module": getattr(fn, "__module__", ""),
                    "metadata": {k: v for k, v in getattr(fn, "custom_column_metadata", {}).items() if k != "is_async"},
                }
        source = self.seed_config.source if self.seed_config else None
        if source is not None and getattr(source, "seed_type", None) == "df":
            import pandas as pd

            digest = int(pd.util.hash_pandas_object(source.df, index=True).sum()) & (2**63 - 1)
            data["seed_config"]["source"] = {"seed_type": "df", "content_hash": digest}
        return fingerprint_config_dict(data)


class BuilderConfig(ExportableConfigBase):
    data_designer: DataDesignerConfig
    library_version: str = Field(default_factory=get_library_version)

    def fingerprint(self) -> dict[str, Any]:
        return self.data_designer.fingerprint()
