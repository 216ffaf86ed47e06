"""Embedding columns: one vector per target value, or one per element when the target is a JSON list."""

from __future__ import annotations

import json
from typing import Any

from data_designer.errors import PromptTemplateRenderError
from data_designer.generators.base import CellGenerator, GeneratorContext, SchedulingKey

__all__ = ["EmbeddingGenerator"]


def _texts(value: Any, column: str) -> list[str]:
    if isinstance(value, str):
        stripped = value.strip()
        if stripped.startswith("["):
            try:
                parsed = json.loads(stripped)
            except json.JSONDecodeError:
                parsed = None
            if isinstance(parsed, list):
                return [str(v) for v in parsed]
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value]
    if value is None:
        raise PromptTemplateRenderError(f"embedding target column {column!r} is empty for this row")
    return [str(value)]


class EmbeddingGenerator(CellGenerator):
    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        self.facade = context.models.get_model(config.model_alias)

    @property
    def scheduling_key(self) -> SchedulingKey:
        return SchedulingKey(self.facade.model_provider_name, self.facade.model_name, "embedding")

    @property
    def max_parallel_requests(self) -> int:
        return self.facade.max_parallel_requests

    async def agenerate(self, row: dict[str, Any]) -> dict[str, Any]:
        texts = _texts(row.get(self.config.target_column), self.config.target_column)
        vectors = await self.facade.agenerate_text_embeddings(texts)
        dimension = len(vectors[0]) if vectors else 0
        return {self.config.name: {"embeddings": vectors, "num_embeddings": len(vectors), "dimension": dimension}}
