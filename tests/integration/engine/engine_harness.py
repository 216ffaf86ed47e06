"""Helpers shared by the engine integration tests (imported by name, like ``cli_harness`` in the CLI tests)."""

from __future__ import annotations

from typing import Any

import data_designer.config as dd

TOPICS = ["cats", "dogs", "rivers", "volcanoes"]


def chat_model(
    alias: str = "m",
    *,
    model: str = "simulated-model",
    max_parallel_requests: int = 16,
    timeout: float = 2,
    **config: Any,
) -> dd.ModelConfig:
    params = dd.ChatCompletionInferenceParams(max_parallel_requests=max_parallel_requests, timeout=timeout)
    return dd.ModelConfig(alias=alias, model=model, provider="sim", inference_parameters=params, **config)


def new_builder(*models: dd.ModelConfig, topics: list[str] | None = None) -> dd.DataDesignerConfigBuilder:
    """A builder with the given models and a ``topic`` category sampler every prompt can reference."""
    builder = dd.DataDesignerConfigBuilder(model_configs=list(models))
    params = dd.CategorySamplerParams(values=topics or TOPICS)
    builder.add_column(dd.SamplerColumnConfig(name="topic", sampler_type=dd.SamplerType.CATEGORY, params=params))
    return builder


def add_flag(builder: dd.DataDesignerConfigBuilder, name: str = "flag", weights: list[float] | None = None) -> None:
    """A ``yes``/``no`` category sampler, the switch for skip tests."""
    params = dd.CategorySamplerParams(values=["yes", "no"], weights=weights)
    builder.add_column(dd.SamplerColumnConfig(name=name, sampler_type=dd.SamplerType.CATEGORY, params=params))


def message_text(message: dict[str, Any]) -> str:
    """Text of a trace message whether ``content`` is a string or a list of ``{"type": "text", ...}`` blocks."""
    content = message.get("content")
    if isinstance(content, str):
        return content
    return "".join(block.get("text", "") for block in content or [] if isinstance(block, dict))


def is_missing(value: Any) -> bool:
    """None or NaN: how a null cell comes back from parquet through pandas."""
    return value is None or (isinstance(value, float) and value != value)


def overlaps(first: list[Any], second: list[Any]) -> bool:
    """Whether some task of ``first`` and some task of ``second`` were in flight at the same instant."""
    return any(a.dispatched_at < b.completed_at and b.dispatched_at < a.completed_at for a in first for b in second)


def traces_of(traces: list[Any], column: str, *, status: str | None = "ok") -> list[Any]:
    return [t for t in traces if t.column == column and (status is None or t.status == status)]
