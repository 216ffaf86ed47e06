"""Column type -> generator class. One entry per column kind; no if-chains on ``column_type`` elsewhere."""

from __future__ import annotations

import importlib
from typing import Any

from data_designer.errors import InvalidColumnTypeError
from data_designer.generators.base import ColumnGenerator, GeneratorContext

__all__ = ["create_generator", "register_generator"]

_REGISTRY: dict[str, str] = {
    "expression": "data_designer.generators.expression:ExpressionColumnGenerator",
    "llm-text": "data_designer.generators.llm:LLMTextGenerator",
    "llm-code": "data_designer.generators.llm:LLMCodeGenerator",
    "llm-structured": "data_designer.generators.llm:LLMStructuredGenerator",
    "llm-judge": "data_designer.generators.llm:LLMJudgeGenerator",
    "embedding": "data_designer.generators.embedding:EmbeddingGenerator",
    "image": "data_designer.generators.image:ImageGenerator",
    "validation": "data_designer.generators.validation:ValidationGenerator",
    "custom": "data_designer.generators.custom:create_custom_generator",
}


def register_generator(column_type: str, target: str) -> None:
    """Register ``"package.module:Factory"`` for a (plugin) column type."""
    _REGISTRY[column_type] = target


def create_generator(config: Any, context: GeneratorContext) -> ColumnGenerator:
    target = _REGISTRY.get(config.column_type)
    if target is None:
        raise InvalidColumnTypeError(
            f"column {config.name!r}: no generator is registered for column_type {config.column_type!r}"
        )
    module_name, attr = target.split(":")
    factory = getattr(importlib.import_module(module_name), attr)
    return factory(config, context)
