"""Base classes of every declarative config object.

Configs are pure data: ``extra="forbid"``, enums serialised as their values, and an exact round trip through
YAML and JSON. Nothing here performs I/O beyond files the user explicitly asks for.
"""

from __future__ import annotations

import json
from abc import ABC
from functools import cached_property
from pathlib import Path
from typing import Any

from pydantic import BaseModel, ConfigDict, field_validator, model_validator

from data_designer.config.jinja_refs import extract_template_references, validate_template_syntax

__all__ = ["ConfigBase", "ExportableConfigBase", "SingleColumnConfig", "ProcessorConfig", "SkipConfig"]


class ConfigBase(BaseModel):
    model_config = ConfigDict(
        extra="forbid",
        use_enum_values=True,
        arbitrary_types_allowed=True,
        protected_namespaces=(),
        json_schema_mode_override="validation",
        validate_assignment=False,
    )


class ExportableConfigBase(ConfigBase):
    """A config that can be written to and read from JSON/YAML."""

    def to_dict(self) -> dict[str, Any]:
        return self.model_dump(mode="json", exclude_none=False)

    def to_json(self, path: str | Path | None = None, *, indent: int = 2) -> str | None:
        text = json.dumps(self.to_dict(), indent=indent)
        if path is None:
            return text
        Path(path).write_text(text + "\n", encoding="utf-8")
        return None

    def to_yaml(self, path: str | Path | None = None, *, indent: int = 2) -> str | None:
        import yaml

        text = yaml.safe_dump(self.to_dict(), indent=indent, sort_keys=False, allow_unicode=True)
        if path is None:
            return text
        Path(path).write_text(text, encoding="utf-8")
        return None


class SkipConfig(ConfigBase):
    """Skip a cell when ``when`` renders truthy; the cell gets ``value`` instead."""

    when: str
    value: bool | int | float | str | None = None

    @field_validator("when")
    @classmethod
    def _validate_when(cls, when: str) -> str:
        if "{{" not in when or "}}" not in when:
            raise ValueError(
                f"skip.when must be a Jinja expression wrapped in '{{{{ }}}}', e.g. \"{{{{ score < 3 }}}}\"; got {when!r}"
            )
        validate_template_syntax(when, where="skip.when")
        if not extract_template_references(when):
            raise ValueError(f"skip.when {when!r} must reference at least one column")
        return when

    @cached_property
    def columns(self) -> list[str]:
        return sorted(extract_template_references(self.when))


class SingleColumnConfig(ConfigBase, ABC):
    """Fields shared by every column config; ``column_type`` is the discriminator."""

    name: str
    drop: bool = False
    column_type: str
    skip: SkipConfig | None = None
    propagate_skip: bool = True
    allow_resize: bool = False

    @field_validator("name")
    @classmethod
    def _validate_name(cls, name: str) -> str:
        if not name or not name.strip():
            raise ValueError("column name must be a non-empty string")
        return name

    @model_validator(mode="after")
    def _validate_skip(self) -> SingleColumnConfig:
        if self.skip is None:
            return self
        if self.column_type in ("sampler", "seed-dataset"):
            raise ValueError(
                f"column {self.name!r}: skip is not supported on {self.column_type} columns; "
                "put the condition on the columns that depend on it instead"
            )
        own = {self.name, *self.side_effect_columns}
        bad = sorted(own & set(self.skip.columns))
        if bad:
            raise ValueError(f"column {self.name!r}: skip.when may not reference the column itself ({', '.join(bad)})")
        if self.allow_resize:
            raise ValueError(f"column {self.name!r}: skip cannot be combined with allow_resize=True")
        return self

    @property
    def required_columns(self) -> list[str]:
        return []

    @property
    def side_effect_columns(self) -> list[str]:
        return []

    def get_model_aliases(self) -> list[str]:
        alias = getattr(self, "model_alias", None)
        return [alias] if alias else []

    @staticmethod
    def get_column_emoji() -> str:
        return "🧩"


class ProcessorConfig(ConfigBase, ABC):
    name: str
    processor_type: str
