"""Processors: dataset transformations that run before/after each batch or after generation."""

from __future__ import annotations

import json
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator

from data_designer.config.base import ProcessorConfig

__all__ = ["DropColumnsProcessorConfig", "ProcessorConfigT", "ProcessorType", "SchemaTransformProcessorConfig"]


class ProcessorType(str, Enum):
    DROP_COLUMNS = "drop_columns"
    SCHEMA_TRANSFORM = "schema_transform"


class DropColumnsProcessorConfig(ProcessorConfig):
    """Drop columns (glob patterns allowed) from the main dataset after each batch."""

    processor_type: Literal["drop_columns"] = "drop_columns"
    column_names: list[str] = Field(min_length=1)


class SchemaTransformProcessorConfig(ProcessorConfig):
    """Render ``template`` (string leaves are Jinja) per row into a separate dataset; the main data is unchanged."""

    processor_type: Literal["schema_transform"] = "schema_transform"
    template: dict[str, Any]

    @field_validator("template")
    @classmethod
    def _must_be_json(cls, template: dict[str, Any]) -> dict[str, Any]:
        try:
            json.dumps(template)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"schema_transform template must be JSON-serialisable: {exc}") from exc
        return template


ProcessorConfigT = Annotated[
    DropColumnsProcessorConfig | SchemaTransformProcessorConfig, Field(discriminator="processor_type")
]
