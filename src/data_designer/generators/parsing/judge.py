"""The ``llm-judge`` recipe: a rubric prompt, a schema with one ``{reasoning, score}`` object per score, and
coercion of the score a model writes to the option key the user defined.

Coercion runs before validation because models are sloppy about *types*, not about *meaning*: ``"3"``, ``3.0`` and
``"3/5"`` all mean option ``3``; ``"good"`` and ``"**Good**"`` mean option ``"Good"``; a numeric string option
``"1"`` is matched by ``1``. Booleans never match integer options (``True`` is not ``1`` for a rubric). Score names
and the ``reasoning``/``score`` keys are matched case-insensitively too. Whatever cannot be matched is left as is and
fails validation against the enum, which produces a correction prompt listing the allowed options.

``scores`` are duck-typed (``.name``, ``.description``, ``.options``) so this module does not depend on the config
package; :func:`compile_judge` caches everything per rubric.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import Any

from data_designer.generators.parsing.structured import CompiledSchema, compile_schema, structured_instructions

__all__ = ["CompiledJudge", "compile_judge", "judge_schema", "judge_instructions", "parse_judge", "coerce_score"]

_LEADING_NUMBER = re.compile(r"^\s*(-?\d+)(?:\.0+)?(?!\.?\d)(?:\s*(?:/|out of|of)\s*\d+)?(?:\s*[-:–—(.,]|\s*$|\s+\w)")
_DECORATION = " \t\n*_`'\"“”"


def _is_int(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _options_listing(options: dict[Any, Any]) -> str:
    return "\n".join(f"* {key}: {description}" for key, description in options.items())


def judge_schema(scores: Iterable[Any]) -> dict[str, Any]:
    """JSON schema of a judge answer: ``{score.name: {"reasoning": str, "score": <one of the option keys>}}``."""
    properties: dict[str, Any] = {}
    for score in scores:
        keys = list(score.options)
        score_schema: dict[str, Any] = {
            "description": f"The chosen option for '{score.name}'. Options:\n{_options_listing(score.options)}",
            "enum": keys,
        }
        if keys and all(_is_int(key) for key in keys):
            score_schema = {"type": "integer", **score_schema}
        elif keys and all(isinstance(key, str) for key in keys):
            score_schema = {"type": "string", **score_schema}
        properties[score.name] = {
            "type": "object",
            "description": f"{score.description}\n{_options_listing(score.options)}",
            "properties": {
                "reasoning": {"type": "string", "description": f"Brief reasoning for the '{score.name}' score."},
                "score": score_schema,
            },
            "required": ["reasoning", "score"],
            "additionalProperties": False,
        }
    return {
        "type": "object",
        "properties": properties,
        "required": list(properties),
        "additionalProperties": False,
    }


def _rubric_text(scores: Sequence[Any]) -> str:
    sections = [
        f"### {score.name}\n{score.description}\nOptions:\n{_options_listing(score.options)}" for score in scores
    ]
    return (
        "Evaluate the content above using the following rubric. For each criterion, first write a brief reasoning, "
        "then pick exactly one of its options as the score.\n\n" + "\n\n".join(sections)
    )


def coerce_score(value: Any, options: Iterable[Any]) -> Any:
    """The option key ``value`` denotes, or ``value`` unchanged when none matches (see module docstring)."""
    keys = list(options)
    if isinstance(value, bool):
        return value
    int_keys = {key for key in keys if _is_int(key)}
    str_keys = {key.strip().casefold(): key for key in keys if isinstance(key, str)}
    if _is_int(value):
        if value in int_keys:
            return value
        return str_keys.get(str(value), value)
    if isinstance(value, float):
        if value.is_integer():
            return coerce_score(int(value), keys)
        return str_keys.get(str(value), value)
    if not isinstance(value, str):
        return value
    text = value.strip(_DECORATION)
    folded = text.casefold()
    if folded in str_keys:
        return str_keys[folded]
    number = _LEADING_NUMBER.match(text)
    if number:
        as_int = int(number.group(1))
        if as_int in int_keys:
            return as_int
        if str(as_int) in str_keys:
            return str_keys[str(as_int)]
    for folded_key in sorted(str_keys, key=len, reverse=True):  # "Good - clear and correct" -> "Good"
        key = str_keys[folded_key]
        if folded_key and folded.startswith(folded_key) and not folded[len(folded_key) : len(folded_key) + 1].isalnum():
            return key
    return value


def _find_key(mapping: dict[str, Any], name: str) -> str | None:
    if name in mapping:
        return name
    folded = name.casefold()
    return next((key for key in mapping if isinstance(key, str) and key.strip().casefold() == folded), None)


def _canonical_field(field: Any) -> Any:
    if isinstance(field, str) and field not in ("reasoning", "score"):
        folded = field.strip().casefold()
        if folded in ("reasoning", "score"):
            return folded
    return field


class CompiledJudge:
    """Schema, instructions and option tables of one rubric, built once per column."""

    __slots__ = ("scores", "schema", "compiled", "instructions", "_options")

    def __init__(self, scores: Sequence[Any]) -> None:
        self.scores = tuple(scores)
        self.schema = judge_schema(self.scores)
        self.compiled: CompiledSchema = compile_schema(self.schema)
        self.instructions = f"{_rubric_text(self.scores)}\n\n{structured_instructions(self.schema)}"
        self._options = {score.name: list(score.options) for score in self.scores}

    def coerce(self, value: Any) -> Any:
        """Rename near-miss keys and map scores onto option keys; anything else is left for validation."""
        if not isinstance(value, dict):
            return value
        renames = {found: name for name in self._options if (found := _find_key(value, name)) is not None}
        result: dict[Any, Any] = {}
        for key, entry in value.items():
            name = renames.get(key)
            if name is None:
                result.setdefault(key, entry)
                continue
            if isinstance(entry, dict):
                entry = {_canonical_field(field): item for field, item in entry.items()}
                if "score" in entry:
                    entry["score"] = coerce_score(entry["score"], self._options[name])
                if "reasoning" in entry and entry["reasoning"] is None:
                    entry["reasoning"] = ""
            result[name] = entry
        return result

    def parse(self, content: str | None, *, column_name: str | None = None) -> dict[str, Any]:
        raw = self.compiled.extract(content, column_name=column_name)
        return self.compiled.check(self.coerce(raw), column_name=column_name)


_JUDGES: dict[tuple, CompiledJudge] = {}
_JUDGE_CACHE_LIMIT = 256


def _rubric_key(scores: Sequence[Any]) -> tuple:
    return tuple(
        (score.name, score.description, tuple((type(k).__name__, k, v) for k, v in score.options.items()))
        for score in scores
    )


def compile_judge(scores: Sequence[Any] | CompiledJudge) -> CompiledJudge:
    """The cached :class:`CompiledJudge` for a list of scores."""
    if isinstance(scores, CompiledJudge):
        return scores
    scores = list(scores)
    try:
        key = _rubric_key(scores)
        judge = _JUDGES.get(key)
    except TypeError:  # unhashable option values: build without caching
        return CompiledJudge(scores)
    if judge is None:
        judge = CompiledJudge(scores)
        if len(_JUDGES) >= _JUDGE_CACHE_LIMIT:
            _JUDGES.pop(next(iter(_JUDGES)))
        _JUDGES[key] = judge
    return judge


def judge_instructions(scores: Sequence[Any] | CompiledJudge) -> str:
    """Rubric text followed by the structured-output instructions for :func:`judge_schema`."""
    return compile_judge(scores).instructions


def parse_judge(
    content: str | None, scores: Sequence[Any] | CompiledJudge, *, column_name: str | None = None
) -> dict[str, Any]:
    """``{name: {"reasoning": str, "score": option_key}}`` for every score, or ``ResponseParseError``."""
    return compile_judge(scores).parse(content, column_name=column_name)
