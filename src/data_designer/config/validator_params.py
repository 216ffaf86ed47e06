"""Parameters of validation columns (code linting, local callables, remote endpoints)."""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Field, field_serializer, field_validator

from data_designer.config.base import ConfigBase

__all__ = [
    "CodeValidatorParams",
    "LocalCallableValidatorParams",
    "RemoteValidatorParams",
    "ValidatorParamsT",
    "ValidatorType",
]

_CODE_VALIDATOR_LANGS = {"python", "sql:sqlite", "sql:tsql", "sql:bigquery", "sql:mysql", "sql:postgres", "sql:ansi"}


class ValidatorType(str, Enum):
    CODE = "code"
    LOCAL_CALLABLE = "local_callable"
    REMOTE = "remote"


class CodeValidatorParams(ConfigBase):
    validator_type: Literal["code"] = "code"
    code_lang: str

    @field_validator("code_lang", mode="before")
    @classmethod
    def _supported(cls, value: Any) -> str:
        lang = getattr(value, "value", value)
        if lang not in _CODE_VALIDATOR_LANGS:
            raise ValueError(f"code validator supports code_lang in {sorted(_CODE_VALIDATOR_LANGS)}; got {lang!r}")
        return lang


class LocalCallableValidatorParams(ConfigBase):
    validator_type: Literal["local_callable"] = "local_callable"
    validation_function: Any
    output_schema: dict[str, Any] | None = None

    @field_validator("validation_function")
    @classmethod
    def _callable(cls, fn: Any) -> Any:
        if not callable(fn) and not isinstance(fn, str):
            raise ValueError("validation_function must be a callable taking and returning a pandas DataFrame")
        return fn

    @field_serializer("validation_function")
    def _serialise_fn(self, fn: Callable | str) -> str:
        return fn if isinstance(fn, str) else getattr(fn, "__name__", repr(fn))


class RemoteValidatorParams(ConfigBase):
    validator_type: Literal["remote"] = "remote"
    endpoint_url: str
    output_schema: dict[str, Any] | None = None
    timeout: float = Field(default=30.0, gt=0)
    max_retries: int = Field(default=3, ge=0)
    retry_backoff: float = Field(default=2.0, gt=1.0)
    max_parallel_requests: int = Field(default=4, ge=1)


ValidatorParamsT = Annotated[
    CodeValidatorParams | LocalCallableValidatorParams | RemoteValidatorParams,
    Field(discriminator="validator_type"),
]
