"""Helpers shared by the resume tests (a plain module: conftest files are not importable by name)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import data_designer.config as dd

BUFFER_SIZE = 10
SEED = 4242


def build_config(*, question_prompt: str = "Q::{{ row_id }}:: ask about {{ topic }}", with_llm: bool = True):
    """uuid + category samplers, then two chained llm-text columns (2 LLM cells per record) when ``with_llm``."""
    model = dd.ModelConfig(
        alias="m",
        model="simulated-model",
        provider="sim",
        inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=8, timeout=30),
    )
    builder = dd.DataDesignerConfigBuilder(model_configs=[model] if with_llm else [])
    builder.add_column(dd.SamplerColumnConfig(name="row_id", sampler_type="uuid", params=dd.UUIDSamplerParams()))
    builder.add_column(
        dd.SamplerColumnConfig(
            name="topic", sampler_type="category", params=dd.CategorySamplerParams(values=["x", "y"])
        )
    )
    if with_llm:
        builder.add_column(dd.LLMTextColumnConfig(name="q", model_alias="m", prompt=question_prompt))
        builder.add_column(dd.LLMTextColumnConfig(name="a", model_alias="m", prompt="A::{{ row_id }}:: answer {{ q }}"))
    return builder


def file_hashes(dataset_dir: Path) -> dict[str, str]:
    """sha256 of every batch file, by name."""
    directory = dataset_dir / "parquet-files"
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(directory.glob("batch_*.parquet"))}


def dataset_dirs(artifacts: Path, name: str) -> list[Path]:
    """The dataset directory and every timestamped sibling of it."""
    return sorted(p for p in artifacts.iterdir() if p.name == name or p.name.startswith(f"{name}_"))
