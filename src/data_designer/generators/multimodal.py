"""Per-row multimodal context blocks (images, audio, video) for chat requests."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from data_designer.errors import PromptTemplateRenderError

__all__ = ["build_context_blocks"]


def build_context_blocks(contexts: list[Any], row: dict[str, Any], base_path: Path | None) -> list[dict[str, Any]]:
    blocks: list[dict[str, Any]] = []
    for context in contexts:
        try:
            blocks.extend(context.get_contexts(row, base_path))
        except (ValueError, OSError) as exc:
            raise PromptTemplateRenderError(f"multi_modal_context {context.column_name!r}: {exc}") from exc
    return blocks
