"""Pulling one JSON value out of a model response, strictly first and leniently second.

Where the JSON is looked for, in order:

1. the last fenced block tagged ``json`` (or ``jsonc``/``json5``) or untagged;
2. otherwise the largest top-level ``{...}`` (or ``[...]`` when the schema wants an array) span of the whole text.
   "Top-level" is found by a bracket-depth scan that skips over double-quoted strings, so objects nested in a broken
   outer object are never mistaken for the answer, and the largest span wins over stray braces in prose
   ("fill in {name}").

How it is read: ``orjson`` on the whole candidate (the common case, fastest), then ``json.raw_decode`` at each
top-level span (tolerates prose after the JSON), then ``json_repair`` on the largest span, which mends truncated
output, trailing commas, single quotes, comments and unquoted keys.
"""

from __future__ import annotations

import json
import re
from typing import Any

import json_repair
import orjson

from data_designer.generators.parsing.fences import find_fenced_blocks

__all__ = ["extract_json", "load_json_text"]

_JSON_TAGS = frozenset({"", "json", "jsonc", "json5"})
_STRUCTURAL = re.compile(r'\\.|["{}\[\]]', re.DOTALL)
_DECODER = json.JSONDecoder()
_CLOSER = {"{": "}", "[": "]"}


def _top_level_spans(text: str) -> list[tuple[int, int]]:
    """``(start, end)`` of each depth-0 bracket span; ``end`` is ``len(text)`` for an unclosed (truncated) span."""
    spans: list[tuple[int, int]] = []
    depth = 0
    start = 0
    in_string = False
    for match in _STRUCTURAL.finditer(text):
        token = match.group()
        if in_string:
            if token == '"':
                in_string = False
            continue
        if token == '"':
            in_string = depth > 0  # quotes in prose between spans are not JSON strings
        elif token in "{[":
            if depth == 0:
                start = match.start()
            depth += 1
        elif token in "}]" and depth > 0:
            depth -= 1
            if depth == 0:
                spans.append((start, match.end()))
        # a lone backslash escape outside a string means nothing
    if depth > 0:
        spans.append((start, len(text)))
    return spans


def _repair(text: str) -> Any:
    try:
        return json_repair.repair_json(text, return_objects=True, skip_json_loads=True)
    except Exception:  # json_repair is best effort; any failure of it just means "no JSON here"
        return None


def load_json_text(text: str, *, prefer_array: bool = False) -> dict | list | None:
    """The JSON object/array in ``text``, or ``None`` when there is nothing that can be read as one."""
    text = text.strip()
    if not text:
        return None
    if text[0] in "{[":
        try:
            value = orjson.loads(text)
        except orjson.JSONDecodeError:
            pass
        else:
            if isinstance(value, (dict, list)):
                return value
    wanted = "[" if prefer_array else "{"
    spans = _top_level_spans(text)
    preferred = [span for span in spans if text[span[0]] == wanted]
    others = [span for span in spans if text[span[0]] != wanted]
    ordered = sorted(preferred, key=lambda s: s[0] - s[1]) + sorted(others, key=lambda s: s[0] - s[1])
    for start, end in ordered:
        if end == len(text) and text[-1] != _CLOSER[text[start]]:
            continue  # truncated: only repair can help
        try:
            value, _ = _DECODER.raw_decode(text, start)
        except ValueError:
            continue
        if isinstance(value, (dict, list)):
            return value
    if not ordered:
        return None
    start, end = ordered[0]
    value = _repair(text[start:end])
    if isinstance(value, list) and text[start] == "{":
        # json_repair turns `{...} prose {...}` into a list of objects; the first one is the outermost answer
        value = next((item for item in value if isinstance(item, dict)), None)
    return value if isinstance(value, (dict, list)) else None


def extract_json(content: str, *, prefer_array: bool = False) -> dict | list | None:
    """The JSON answer of a model response (see module docstring for the search order), or ``None``."""
    blocks = [block for block in find_fenced_blocks(content) if block.lang in _JSON_TAGS]
    if blocks:
        value = load_json_text(blocks[-1].body, prefer_array=prefer_array)
        if value is not None:
            return value
    return load_json_text(content, prefer_array=prefer_array)
