"""How one cell of a sample record looks: code highlighted, structures as JSON, judge scores and traces as tables
and conversations. One renderer per column type, looked up in a registry; values of unknown shape degrade to text.

Values arrive in whatever form storage gave back: dicts or their JSON text, lists or numpy arrays (after a parquet
round trip), numpy scalars. Everything is normalised with :func:`to_jsonable` before it is shown.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from rich.console import Group, RenderableType
from rich.panel import Panel
from rich.syntax import Syntax
from rich.table import Table
from rich.text import Text

from data_designer.analysis.column_math import is_null, to_jsonable
from data_designer.analysis.console_export import NORD

__all__ = ["DisplayStyle", "render_trace", "render_value"]

MAX_INLINE_CHARS = 2_000
"""Longer opaque strings (base64 images) are summarised rather than printed in full."""


@dataclass(frozen=True)
class DisplayStyle:
    syntax_theme: str
    background_color: str | None
    accent: str
    muted: str
    roles: dict[str, str]


def _decode(value: Any) -> Any:
    from data_designer.generators.jinja_render import decode_value

    return to_jsonable(decode_value(to_jsonable(value)))


def _is_missing(value: Any) -> bool:
    return not isinstance(value, (list, dict)) and is_null(value)


def _syntax(text: str, lexer: str, style: DisplayStyle) -> Syntax:
    return Syntax(
        text, lexer, theme=style.syntax_theme, background_color=style.background_color, word_wrap=True, padding=0
    )


def _json(value: Any, style: DisplayStyle) -> Syntax:
    return _syntax(json.dumps(value, indent=2, ensure_ascii=False, default=str), "json", style)


def _render_plain(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    value = _decode(value)
    if _is_missing(value):
        return Text("None", style=style.muted)
    if isinstance(value, (dict, list)):
        return _json(value, style)
    return Text(str(value))


def _render_code(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    if _is_missing(value) or not isinstance(value, str):
        return _render_plain(value, config, style)
    from data_designer.config.column_configs import CodeLang

    code_lang = getattr(config, "code_lang", None)
    lexer = CodeLang.parse_lang(code_lang) if code_lang is not None else "text"
    return _syntax(value.rstrip(), lexer, style)


def _render_judge(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    value = _decode(value)
    if not isinstance(value, dict):
        return _render_plain(value, config, style)
    table = Table(show_header=True, header_style=f"bold {style.accent}", box=None, expand=True)
    table.add_column("score", no_wrap=True)
    table.add_column("value", justify="center", no_wrap=True)
    table.add_column("reasoning", ratio=1)
    for score_name, entry in value.items():
        if isinstance(entry, dict):
            table.add_row(str(score_name), str(entry.get("score")), str(entry.get("reasoning", "")))
        else:
            table.add_row(str(score_name), str(entry), "")
    return table


def _render_validation(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    value = _decode(value)
    if not isinstance(value, dict) or "is_valid" not in value:
        return _render_plain(value, config, style)
    verdict = (
        Text("✔ valid", style=f"bold {NORD['green']}")
        if value["is_valid"]
        else Text("✘ invalid", style=f"bold {NORD['red']}")
    )
    details = {k: v for k, v in value.items() if k != "is_valid" and v not in (None, [], {}, "")}
    return Group(verdict, _json(details, style)) if details else verdict


def _render_embedding(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    value = _decode(value)
    if not isinstance(value, list):
        return _render_plain(value, config, style)
    head = ", ".join(f"{v:.4f}" if isinstance(v, float) else str(v) for v in value[:4])
    return Text(f"[{head}{', …' if len(value) > 4 else ''}]  (dimension {len(value)})")


def _render_image(value: Any, config: Any, style: DisplayStyle) -> RenderableType:
    value = _decode(value)
    if isinstance(value, str) and len(value) > MAX_INLINE_CHARS:
        return Text(f"<image data: {len(value):,} characters of base64>", style=style.muted)
    if isinstance(value, list):
        return Group(*(_render_image(v, config, style) for v in value))
    return _render_plain(value, config, style)


_RENDERERS: dict[str, Callable[[Any, Any, DisplayStyle], RenderableType]] = {
    "llm-code": _render_code,
    "llm-judge": _render_judge,
    "validation": _render_validation,
    "embedding": _render_embedding,
    "image": _render_image,
}


def render_value(value: Any, column_type: str, config: Any, style: DisplayStyle) -> RenderableType:
    return _RENDERERS.get(column_type, _render_plain)(value, config, style)


# ---------------------------------------------------------------- traces
def _content_parts(content: Any, style: DisplayStyle) -> list[RenderableType]:
    if _is_missing(content) or content == "":
        return []
    if isinstance(content, str):
        return [Text(content)]
    if not isinstance(content, list):
        return [_json(content, style)]
    parts: list[RenderableType] = []
    for block in content:
        if isinstance(block, dict) and block.get("type") == "text":
            parts.append(Text(str(block.get("text", ""))))
        elif isinstance(block, dict) and block.get("type") in ("image_url", "image", "input_audio", "video_url"):
            parts.append(Text(f"<{block['type']} attachment>", style=style.muted))
        elif isinstance(block, str):
            parts.append(Text(block))
        else:
            parts.append(_json(block, style))
    return parts


def _tool_call_line(call: Any) -> Text:
    function = call.get("function", {}) if isinstance(call, dict) else {}
    name = function.get("name") or (call.get("name") if isinstance(call, dict) else None) or "tool"
    arguments = function.get("arguments", call.get("arguments", "") if isinstance(call, dict) else "")
    if not isinstance(arguments, str):
        arguments = json.dumps(arguments, ensure_ascii=False, default=str)
    return Text(f"🔧 {name}({arguments})", style=NORD["orange"])


def _message_panel(message: Any, style: DisplayStyle) -> RenderableType:
    if not isinstance(message, dict):
        return _render_plain(message, None, style)
    role = str(message.get("role", "message"))
    parts: list[RenderableType] = []
    reasoning = message.get("reasoning_content") or message.get("reasoning")
    if reasoning:
        parts.append(Text(f"💭 {reasoning}", style=f"italic {style.muted}"))
    parts.extend(_content_parts(message.get("content"), style))
    parts.extend(_tool_call_line(call) for call in message.get("tool_calls") or [])
    title = role if not message.get("tool_call_id") else f"{role} · {message['tool_call_id']}"
    color = style.roles.get(role, style.accent)
    return Panel(
        Group(*parts) if parts else Text("(empty)", style=style.muted),
        title=Text(title, style=f"bold {color}"),
        title_align="left",
        border_style=color,
    )


def render_trace(value: Any, style: DisplayStyle) -> RenderableType:
    """A stored conversation (list of ChatML-style messages) as one panel per turn, in order."""
    messages = _decode(value)
    if _is_missing(messages):
        return Text("None", style=style.muted)
    if not isinstance(messages, list):
        return _render_plain(messages, None, style)
    return (
        Group(*(_message_panel(m, style) for m in messages)) if messages else Text("(no messages)", style=style.muted)
    )
