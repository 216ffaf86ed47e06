"""The ``llm-structured`` recipe: schema-embedding instructions, and JSON parsing + pruning + validation.

No provider-native ``response_format`` is used: the schema travels in the prompt between ``<response_schema>`` lines
(the simulated endpoint reads the last such block) and the answer is expected in a ```` ```json ```` fence.

Schemas are reused for every row of a column, so everything derived from one is built once: :func:`compile_schema`
returns a :class:`CompiledSchema` (validator, pruner) cached under ``json.dumps(schema, sort_keys=True)``. Callers on
the hot path can hold the ``CompiledSchema`` and pass it instead of the dict to skip even the cache key.
"""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping
from typing import Any

import jsonschema
from jsonschema import Draft7Validator, Draft202012Validator
from jsonschema.exceptions import SchemaError, ValidationError, best_match

from data_designer.errors import InvalidConfigError
from data_designer.generators.parsing.errors import ResponseParseError
from data_designer.generators.parsing.json_extraction import extract_json
from data_designer.generators.parsing.pruning import SchemaPruner

__all__ = [
    "CompiledSchema",
    "compile_schema",
    "parse_structured",
    "schema_from_output_format",
    "structured_instructions",
    "SCHEMA_OPEN_TAG",
    "SCHEMA_CLOSE_TAG",
]

SCHEMA_OPEN_TAG = "<response_schema>"
SCHEMA_CLOSE_TAG = "</response_schema>"
_MAX_REPORTED_ERRORS = 5
_MAX_MESSAGE_CHARS = 300
_CACHE_LIMIT = 512
_CACHE: dict[str, CompiledSchema] = {}


def _wants_array(schema: Mapping[str, Any]) -> bool:
    return schema.get("type") == "array"


def structured_instructions(schema: Mapping[str, Any]) -> str:
    """Text appended to the user prompt of an ``llm-structured`` (and ``llm-judge``) column."""
    kind = "array" if _wants_array(schema) else "object"
    pretty = json.dumps(schema, indent=2, ensure_ascii=False, default=str)
    return (
        f"Respond with a single JSON {kind} that conforms to the JSON schema below. Write the JSON inside one fenced "
        "code block that starts with a line ```json and ends with a line ```. Use only the keys the schema defines, "
        "include every required key, and do not add comments.\n\n"
        f"{SCHEMA_OPEN_TAG}\n{pretty}\n{SCHEMA_CLOSE_TAG}"
    )


def schema_from_output_format(output_format: Any) -> dict[str, Any]:
    """The JSON schema of an ``output_format``: a dict as is, a JSON string parsed, a pydantic model class converted."""
    if isinstance(output_format, Mapping):
        return dict(output_format)
    if isinstance(output_format, str):
        try:
            schema = json.loads(output_format)
        except json.JSONDecodeError as exc:
            raise InvalidConfigError(
                f"output_format is a string but not valid JSON ({exc.msg}); pass a JSON schema dict or a pydantic "
                "model class."
            ) from exc
        if isinstance(schema, dict):
            return schema
    elif isinstance(output_format, type) and callable(getattr(output_format, "model_json_schema", None)):
        return output_format.model_json_schema()
    raise InvalidConfigError(
        f"output_format must be a JSON schema dict or a pydantic BaseModel subclass, got {type(output_format).__name__}."
    )


def _format_path(error: ValidationError) -> str:
    path = "$"
    for part in error.absolute_path:
        path += f"[{part}]" if isinstance(part, int) else f".{part}"
    return path


def _build_validator(schema: dict[str, Any]) -> jsonschema.protocols.Validator:
    cls = jsonschema.validators.validator_for(schema, default=Draft202012Validator)
    try:
        cls.check_schema(schema)
    except SchemaError as exc:
        if "$schema" not in schema:
            try:  # an undeclared draft-7 schema (e.g. tuple-form "items") is not valid 2020-12
                Draft7Validator.check_schema(schema)
            except SchemaError:
                pass
            else:
                return Draft7Validator(schema)
        raise InvalidConfigError(
            f"The structured output schema is not a valid JSON schema: {exc.message} (at "
            f"{'/'.join(str(p) for p in exc.absolute_path) or 'the root'}). Fix output_format."
        ) from exc
    return cls(schema)


class CompiledSchema:
    """Everything needed to parse responses against one schema, built once."""

    __slots__ = ("schema", "_validator", "_pruner", "prefer_array")

    def __init__(self, schema: dict[str, Any]) -> None:
        self.schema = schema
        self._validator = _build_validator(schema)
        self._pruner = SchemaPruner(schema)
        self.prefer_array = _wants_array(schema)

    def extract(self, content: str | None, *, column_name: str | None = None) -> dict | list:
        """The raw JSON value of a response (not yet pruned or validated)."""
        value = extract_json(content, prefer_array=self.prefer_array) if isinstance(content, str) else None
        if value is None:
            kind = "array" if self.prefer_array else "object"
            raise ResponseParseError(
                f"The model response contains no readable JSON {kind}.",
                correction_prompt=(
                    f"Your previous response did not contain a valid JSON {kind}. Respond again with a single JSON "
                    f"{kind} that conforms to the schema given in {SCHEMA_OPEN_TAG}, inside one fenced code block "
                    "that starts with ```json and ends with ```."
                ),
                column_name=column_name,
            )
        return value

    def prune(self, value: Any) -> Any:
        return self._pruner.prune(value)

    def validation_errors(self, value: Any) -> list[str]:
        """Up to a few readable schema violations of ``value`` ("at $.a[0]: 'x' is not of type 'integer'")."""
        errors = list(itertools.islice(self._validator.iter_errors(value), _MAX_REPORTED_ERRORS))
        messages = []
        for error in errors:
            deepest = best_match([error]) or error
            message = deepest.message
            if len(message) > _MAX_MESSAGE_CHARS:  # jsonschema quotes the whole offending value
                message = message[:_MAX_MESSAGE_CHARS] + "..."
            messages.append(f"at {_format_path(deepest)}: {message}")
        return messages

    def check(self, value: Any, *, column_name: str | None = None) -> Any:
        """Prune then validate an already-extracted value; raises ``schema_validation`` errors."""
        pruned = self._pruner.prune(value)
        messages = self.validation_errors(pruned)
        if messages:
            listing = "\n".join(f"- {message}" for message in messages)
            raise ResponseParseError(
                f"The JSON in the model response does not match the schema: {'; '.join(messages)}.",
                correction_prompt=(
                    f"Your previous JSON did not match the required schema:\n{listing}\n"
                    f"Fix these problems and respond again with the complete corrected JSON in a single fenced "
                    f"```json code block that conforms to the schema given in {SCHEMA_OPEN_TAG}."
                ),
                failure_kind="schema_validation",
                column_name=column_name,
            )
        return pruned

    def parse(self, content: str | None, *, column_name: str | None = None) -> dict | list:
        return self.check(self.extract(content, column_name=column_name), column_name=column_name)


def compile_schema(schema: Mapping[str, Any] | CompiledSchema) -> CompiledSchema:
    """The cached :class:`CompiledSchema` of ``schema``; raises ``InvalidConfigError`` for an invalid schema."""
    if isinstance(schema, CompiledSchema):
        return schema
    key = json.dumps(schema, sort_keys=True, default=str)
    compiled = _CACHE.get(key)
    if compiled is None:
        compiled = CompiledSchema(json.loads(key))  # a private copy: later mutation of the caller's dict is harmless
        if len(_CACHE) >= _CACHE_LIMIT:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = compiled
    return compiled


def parse_structured(
    content: str | None, schema: Mapping[str, Any] | CompiledSchema, *, column_name: str | None = None
) -> dict | list:
    """Extract, repair, prune and validate the JSON answer of ``content`` against ``schema``."""
    return compile_schema(schema).parse(content, column_name=column_name)
