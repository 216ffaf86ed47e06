"""Separating a model's reasoning from its answer.

Providers disagree on where reasoning goes: vLLM >= 0.16 uses ``message.reasoning``, DeepSeek-style servers
``message.reasoning_content``, Anthropic returns ``thinking`` content blocks, and plain chat templates leave
``<think>...</think>`` in the text. The answer must be parsed without the reasoning, and the reasoning may be kept in
``{column}__reasoning_content``.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

__all__ = ["extract_reasoning", "split_think_tags"]

_THINK_BLOCK = re.compile(r"\A\s*<(think|thinking)>(.*?)</\1>\s*", re.DOTALL | re.IGNORECASE)
_THINK_OPEN = re.compile(r"\A\s*<(?:think|thinking)>", re.IGNORECASE)
_THINK_CLOSE = re.compile(r"</(?:think|thinking)>", re.IGNORECASE)


def _clean(text: Any) -> str | None:
    if isinstance(text, str):
        text = text.strip()
        return text or None
    return None


def extract_reasoning(message: Mapping[str, Any]) -> str | None:
    """The stripped reasoning of an assistant message dict, or ``None`` when it has none.

    Order: ``reasoning``, then ``reasoning_content``, then Anthropic-style ``thinking`` blocks in ``content``.
    """
    for key in ("reasoning", "reasoning_content"):
        found = _clean(message.get(key))
        if found is not None:
            return found
    content = message.get("content")
    if isinstance(content, list):
        parts = [
            block.get("thinking")
            for block in content
            if isinstance(block, Mapping) and block.get("type") == "thinking" and isinstance(block.get("thinking"), str)
        ]
        return _clean("\n\n".join(parts))
    return None


def split_think_tags(content: str | None) -> tuple[str | None, str]:
    """``(reasoning, answer)`` of a response that starts with a ``<think>`` block.

    Also handled: a bare ``...</think>`` prefix (templates that put the opening tag in the prompt) and an unclosed
    ``<think>`` (output cut off while thinking: everything is reasoning, the answer is empty). Text without think tags
    comes back unchanged with ``None`` reasoning.
    """
    if not content:
        return None, content or ""
    match = _THINK_BLOCK.match(content)
    if match:
        return _clean(match.group(2)), content[match.end() :]
    opening = _THINK_OPEN.match(content)
    if opening:
        return _clean(content[opening.end() :]), ""
    closing = _THINK_CLOSE.search(content)
    if closing:
        return _clean(content[: closing.start()]), content[closing.end() :].lstrip()
    return None, content
