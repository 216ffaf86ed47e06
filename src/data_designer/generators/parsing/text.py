"""The ``llm-text`` recipe: the value is the model's answer, stripped. There are no instructions to append."""

from __future__ import annotations

from data_designer.generators.parsing.errors import ResponseParseError

__all__ = ["parse_text"]

_EMPTY_CORRECTION = "Your previous response was empty. Answer the request again, this time with a non-empty response."


def parse_text(content: str | None, *, column_name: str | None = None) -> str:
    """Return the stripped response; an empty (or missing) response is a parse error so the engine can retry."""
    text = content.strip() if isinstance(content, str) else ""
    if not text:
        raise ResponseParseError(
            "The model returned an empty response.",
            correction_prompt=_EMPTY_CORRECTION,
            column_name=column_name,
        )
    return text
