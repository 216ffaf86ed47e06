"""Every column config type, discriminated on ``column_type`` (kebab-case wire values)."""

from __future__ import annotations

import inspect
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import BaseModel, Field, field_serializer, field_validator, model_validator

from data_designer.config.base import SingleColumnConfig
from data_designer.config.jinja_refs import extract_template_references, validate_template_syntax
from data_designer.config.models import MultiModalContextT
from data_designer.config.sampler_params import SamplerParamsT, SamplerType
from data_designer.config.validator_params import ValidatorParamsT, ValidatorType

__all__ = [
    "CodeLang",
    "ColumnConfigT",
    "CustomColumnConfig",
    "DataDesignerColumnType",
    "EmbeddingColumnConfig",
    "ExpressionColumnConfig",
    "GenerationStrategy",
    "ImageColumnConfig",
    "LLMCodeColumnConfig",
    "LLMJudgeColumnConfig",
    "LLMStructuredColumnConfig",
    "LLMTextColumnConfig",
    "SamplerColumnConfig",
    "Score",
    "SeedDatasetColumnConfig",
    "TraceType",
    "ValidationColumnConfig",
]


class GenerationStrategy(str, Enum):
    CELL_BY_CELL = "cell_by_cell"
    FULL_COLUMN = "full_column"


class TraceType(str, Enum):
    NONE = "none"
    LAST_MESSAGE = "last_message"
    ALL_MESSAGES = "all_messages"


class CodeLang(str, Enum):
    BASH = "bash"
    C = "c"
    COBOL = "cobol"
    CPP = "cpp"
    CSHARP = "csharp"
    GO = "go"
    JAVA = "java"
    JAVASCRIPT = "javascript"
    KOTLIN = "kotlin"
    PYTHON = "python"
    RUBY = "ruby"
    RUST = "rust"
    SCALA = "scala"
    SWIFT = "swift"
    TYPESCRIPT = "typescript"
    SQL_SQLITE = "sql:sqlite"
    SQL_TSQL = "sql:tsql"
    SQL_BIGQUERY = "sql:bigquery"
    SQL_MYSQL = "sql:mysql"
    SQL_POSTGRES = "sql:postgres"
    SQL_ANSI = "sql:ansi"

    @staticmethod
    def parse_lang(value: str) -> str:
        return str(getattr(value, "value", value)).split(":", 1)[0]

    @staticmethod
    def parse_dialect(value: str) -> str | None:
        parts = str(getattr(value, "value", value)).split(":", 1)
        return parts[1] if len(parts) == 2 else None


def _template_refs(name: str, field: str, template: str | None) -> set[str]:
    if not template:
        return set()
    validate_template_syntax(template, where=f"column {name!r} {field}")
    return extract_template_references(template)


class SamplerColumnConfig(SingleColumnConfig):
    column_type: Literal["sampler"] = "sampler"
    sampler_type: SamplerType
    params: SamplerParamsT
    conditional_params: dict[str, SamplerParamsT] = Field(default_factory=dict)
    convert_to: str | None = None

    @model_validator(mode="before")
    @classmethod
    def _inject_sampler_type(cls, data: Any) -> Any:
        if not isinstance(data, dict) or "sampler_type" not in data:
            return data
        sampler_type = getattr(data["sampler_type"], "value", data["sampler_type"])
        data = dict(data)
        if isinstance(data.get("params"), dict):
            data["params"] = {"sampler_type": sampler_type, **data["params"]}
        if data.get("params") is None and sampler_type == "uuid":
            data["params"] = {"sampler_type": "uuid"}
        conditional = data.get("conditional_params")
        if isinstance(conditional, dict):
            data["conditional_params"] = {
                cond: ({"sampler_type": sampler_type, **p} if isinstance(p, dict) else p)
                for cond, p in conditional.items()
            }
        return data

    @model_validator(mode="after")
    def _params_match_type(self) -> SamplerColumnConfig:
        for label, params in [
            ("params", self.params),
            *((f"conditional_params[{k!r}]", v) for k, v in self.conditional_params.items()),
        ]:
            if params.sampler_type != self.sampler_type:
                raise ValueError(
                    f"column {self.name!r}: {label} are for sampler_type {params.sampler_type!r} but the column has "
                    f"sampler_type {self.sampler_type!r}; make them agree"
                )
        return self

    @property
    def required_columns(self) -> list[str]:
        return []

    @staticmethod
    def get_column_emoji() -> str:
        return "🎲"


class _LLMColumnBase(SingleColumnConfig):
    prompt: str
    model_alias: str
    system_prompt: str | None = None
    multi_modal_context: list[MultiModalContextT] | None = None
    tool_alias: str | None = None
    with_trace: TraceType = TraceType.NONE
    extract_reasoning_content: bool = False

    @model_validator(mode="after")
    def _validate_templates(self) -> _LLMColumnBase:
        if not self.prompt or not self.prompt.strip():
            raise ValueError(f"column {self.name!r}: prompt must be a non-empty Jinja template")
        _template_refs(self.name, "prompt", self.prompt)
        _template_refs(self.name, "system_prompt", self.system_prompt)
        return self

    @property
    def required_columns(self) -> list[str]:
        refs = _template_refs(self.name, "prompt", self.prompt) | _template_refs(
            self.name, "system_prompt", self.system_prompt
        )
        refs |= {ctx.column_name for ctx in self.multi_modal_context or []}
        return sorted(refs)

    @property
    def side_effect_columns(self) -> list[str]:
        extra = []
        if self.with_trace != TraceType.NONE:
            extra.append(f"{self.name}__trace")
        if self.extract_reasoning_content:
            extra.append(f"{self.name}__reasoning_content")
        return extra

    @staticmethod
    def get_column_emoji() -> str:
        return "📝"


class LLMTextColumnConfig(_LLMColumnBase):
    column_type: Literal["llm-text"] = "llm-text"


class LLMCodeColumnConfig(_LLMColumnBase):
    column_type: Literal["llm-code"] = "llm-code"
    code_lang: CodeLang

    @staticmethod
    def get_column_emoji() -> str:
        return "💻"


class LLMStructuredColumnConfig(_LLMColumnBase):
    column_type: Literal["llm-structured"] = "llm-structured"
    output_format: dict[str, Any]

    @field_validator("output_format", mode="before")
    @classmethod
    def _to_json_schema(cls, value: Any) -> Any:
        if inspect.isclass(value) and issubclass(value, BaseModel):
            return value.model_json_schema()
        if isinstance(value, BaseModel):
            return type(value).model_json_schema()
        return value

    @staticmethod
    def get_column_emoji() -> str:
        return "🗂️"


class Score(BaseModel):
    model_config = {"extra": "forbid"}

    name: str
    description: str
    options: dict[int | str, str] = Field(min_length=1)


class LLMJudgeColumnConfig(_LLMColumnBase):
    column_type: Literal["llm-judge"] = "llm-judge"
    scores: list[Score] = Field(min_length=1)

    @staticmethod
    def get_column_emoji() -> str:
        return "⚖️"


_DTYPE_CASTS = {"int": int, "float": float, "str": str, "bool": bool}


class ExpressionColumnConfig(SingleColumnConfig):
    column_type: Literal["expression"] = "expression"
    expr: str
    dtype: Literal["int", "float", "str", "bool"] = "str"

    @model_validator(mode="after")
    def _validate_expr(self) -> ExpressionColumnConfig:
        if not self.expr or not self.expr.strip():
            raise ValueError(f"column {self.name!r}: expr must be a non-empty Jinja template")
        _template_refs(self.name, "expr", self.expr)
        if self.skip is not None and self.skip.value is not None:
            try:
                coerced = _DTYPE_CASTS[self.dtype](self.skip.value)
            except (TypeError, ValueError) as exc:
                raise ValueError(
                    f"column {self.name!r}: skip.value {self.skip.value!r} cannot be cast to dtype {self.dtype}"
                ) from exc
            object.__setattr__(self.skip, "value", coerced)
        return self

    @property
    def required_columns(self) -> list[str]:
        return sorted(_template_refs(self.name, "expr", self.expr))

    @staticmethod
    def get_column_emoji() -> str:
        return "🧮"


class ValidationColumnConfig(SingleColumnConfig):
    column_type: Literal["validation"] = "validation"
    target_columns: list[str] = Field(min_length=1)
    validator_type: ValidatorType
    validator_params: ValidatorParamsT
    batch_size: int = Field(default=10, ge=1)

    @model_validator(mode="before")
    @classmethod
    def _inject_validator_type(cls, data: Any) -> Any:
        if isinstance(data, dict) and isinstance(data.get("validator_params"), dict) and "validator_type" in data:
            vt = getattr(data["validator_type"], "value", data["validator_type"])
            data = {**data, "validator_params": {"validator_type": vt, **data["validator_params"]}}
        return data

    @property
    def required_columns(self) -> list[str]:
        return list(self.target_columns)

    @staticmethod
    def get_column_emoji() -> str:
        return "🔍"


class SeedDatasetColumnConfig(SingleColumnConfig):
    column_type: Literal["seed-dataset"] = "seed-dataset"

    @staticmethod
    def get_column_emoji() -> str:
        return "🌱"


class EmbeddingColumnConfig(SingleColumnConfig):
    column_type: Literal["embedding"] = "embedding"
    target_column: str
    model_alias: str

    @property
    def required_columns(self) -> list[str]:
        return [self.target_column]

    @staticmethod
    def get_column_emoji() -> str:
        return "🧬"


class ImageColumnConfig(SingleColumnConfig):
    column_type: Literal["image"] = "image"
    prompt: str
    model_alias: str
    multi_modal_context: list[MultiModalContextT] | None = None

    @model_validator(mode="after")
    def _validate_prompt(self) -> ImageColumnConfig:
        _template_refs(self.name, "prompt", self.prompt)
        return self

    @property
    def required_columns(self) -> list[str]:
        refs = _template_refs(self.name, "prompt", self.prompt)
        refs |= {ctx.column_name for ctx in self.multi_modal_context or []}
        return sorted(refs)

    @staticmethod
    def get_column_emoji() -> str:
        return "🖼️"


class CustomColumnConfig(SingleColumnConfig):
    column_type: Literal["custom"] = "custom"
    generator_function: Any
    generation_strategy: GenerationStrategy = GenerationStrategy.CELL_BY_CELL
    generator_params: Any = None

    @field_validator("generator_function")
    @classmethod
    def _decorated(cls, fn: Any) -> Any:
        if isinstance(fn, str):
            return fn  # loaded from a serialised config: resolvable only where the function is importable
        if not callable(fn) or not hasattr(fn, "custom_column_metadata"):
            raise ValueError(
                "generator_function must be decorated with @dd.custom_column_generator(...) so its required and "
                "side-effect columns are known"
            )
        return fn

    @field_validator("generator_params")
    @classmethod
    def _params_model(cls, params: Any) -> Any:
        if params is not None and not isinstance(params, (BaseModel, dict)):
            raise ValueError("generator_params must be a pydantic BaseModel instance (or a dict)")
        return params

    @field_serializer("generator_function")
    def _serialise_fn(self, fn: Any) -> str:
        return fn if isinstance(fn, str) else getattr(fn, "__name__", repr(fn))

    @field_serializer("generator_params")
    def _serialise_params(self, params: Any) -> Any:
        return params.model_dump(mode="json") if isinstance(params, BaseModel) else params

    @property
    def _metadata(self) -> dict[str, Any]:
        return getattr(self.generator_function, "custom_column_metadata", {}) or {}

    @property
    def required_columns(self) -> list[str]:
        return list(self._metadata.get("required_columns") or [])

    @property
    def side_effect_columns(self) -> list[str]:
        return list(self._metadata.get("side_effect_columns") or [])

    def get_model_aliases(self) -> list[str]:
        return list(self._metadata.get("model_aliases") or [])

    @staticmethod
    def get_column_emoji() -> str:
        return "🛠️"


ColumnConfigT = Annotated[
    SamplerColumnConfig
    | LLMTextColumnConfig
    | LLMCodeColumnConfig
    | LLMStructuredColumnConfig
    | LLMJudgeColumnConfig
    | ExpressionColumnConfig
    | ValidationColumnConfig
    | SeedDatasetColumnConfig
    | EmbeddingColumnConfig
    | ImageColumnConfig
    | CustomColumnConfig,
    Field(discriminator="column_type"),
]

COLUMN_CONFIG_CLASSES: dict[str, type[SingleColumnConfig]] = {
    cls.model_fields["column_type"].default: cls
    for cls in ColumnConfigT.__origin__.__args__  # type: ignore[attr-defined]
}

DataDesignerColumnType = Enum(  # type: ignore[misc]
    "DataDesignerColumnType", {v.replace("-", "_").upper(): v for v in COLUMN_CONFIG_CLASSES}, type=str
)
