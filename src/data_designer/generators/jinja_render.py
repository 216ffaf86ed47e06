"""Compile user Jinja templates once and render them per row: prompts, expressions, ``skip.when``, schema transforms.

Why this shape: a run renders the same few templates millions of times, so everything that depends only on the
template text (parsing, the secure policy check, compilation, reference extraction) happens once and is cached by
``(text, engine, strict)``; a render only builds the row context from the referenced columns and runs the compiled
code. Errors are translated from Jinja here and nowhere else:

* template problems found before any row is seen -> :class:`UserJinjaTemplateSyntaxError` (names ``where``, the
  line, and the forbidden construct);
* problems with one row (undefined variable, sandbox refusal, output cap, a filter raising) -> the caller's render
  error class (:class:`PromptTemplateRenderError` by default), naming ``where`` and what was missing.

Row values that are JSON text of an object/array are decoded before rendering (see :func:`prepare_row`), so
``{{ obj.field }}`` and ``{{ items[0] }}`` work whether a column holds a dict or its JSON serialisation; a dict/list
renders back as JSON.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

import jinja2
import numpy as np
import orjson
from jinja2.exceptions import SecurityError

from data_designer.config.jinja_refs import extract_template_references
from data_designer.errors import (
    DataDesignerError,
    InvalidConfigError,
    PromptTemplateRenderError,
    UserJinjaTemplateSyntaxError,
)
from data_designer.generators.jinja_sandbox import (
    MAX_OUTPUT_CHARS,
    TemplatePolicyViolation,
    check_secure_template,
    get_environment,
)

__all__ = [
    "CompiledCondition",
    "CompiledJsonTemplate",
    "CompiledTemplate",
    "compile_condition",
    "compile_json_template",
    "compile_template",
    "decode_value",
    "normalize_engine",
    "prepare_row",
]

_ENGINES = ("secure", "native")
_FALSY_TEXT = frozenset({"", "false", "0", "none"})
_SHOWN_TEMPLATE_CHARS = 200


def normalize_engine(engine: Any) -> str:
    """Accept ``"secure"``/``"native"`` or a ``JinjaRenderingEngine`` member."""
    name = str(getattr(engine, "value", engine)).lower()
    if name not in _ENGINES:
        raise InvalidConfigError(
            f"unknown Jinja rendering engine {engine!r}; set jinja_rendering_engine to one of {_ENGINES}"
        )
    return name


# ---------------------------------------------------------------- rows
def decode_value(value: Any) -> Any:
    """JSON object/array text -> dict/list; numpy arrays -> lists; anything else unchanged.

    Only text whose first non-blank character is ``{`` or ``[`` is tried, and text that does not parse stays text,
    so plain strings cost one character check.
    """
    if isinstance(value, str):
        head = value[:1]
        if head.isspace():
            head = value.lstrip()[:1]
        if head == "{" or head == "[":
            try:
                decoded = orjson.loads(value)
            except orjson.JSONDecodeError:
                return value
            if isinstance(decoded, (dict, list)):
                return decoded
        return value
    if isinstance(value, np.ndarray):
        return value.tolist()
    return value


def prepare_row(row: Mapping[str, Any], names: Iterable[str]) -> dict[str, Any]:
    """The render context for ``names``: only those columns, decoded. Absent names stay absent (StrictUndefined
    then reports them if the template actually reads them)."""
    return {name: decode_value(row[name]) for name in names if name in row}


# ---------------------------------------------------------------- compilation
@dataclass(frozen=True)
class _Compiled:
    template: jinja2.Template
    references: frozenset[str]


def _shown(text: str) -> str:
    return repr(text if len(text) <= _SHOWN_TEMPLATE_CHARS else text[:_SHOWN_TEMPLATE_CHARS] + "...")


@lru_cache(maxsize=4096)
def _compile_cached(text: str, engine: str, strict: bool) -> _Compiled:
    """Parse, police (secure) and compile; raises ``jinja2.TemplateSyntaxError`` or ``TemplatePolicyViolation``."""
    env = get_environment(engine, strict)
    ast = env.parse(text)
    if engine == "secure":
        check_secure_template(ast)
    template = env.from_string(ast)
    return _Compiled(template, frozenset(extract_template_references(text)))


class _OutputTooLarge(Exception):
    pass


def _render_capped(template: jinja2.Template, context: dict[str, Any]) -> str:
    """Render while counting, so a runaway loop stops at the cap instead of after building the whole string."""
    parts: list[str] = []
    total = 0
    for chunk in template.root_render_func(template.new_context(context)):
        total += len(chunk)
        if total > MAX_OUTPUT_CHARS:
            raise _OutputTooLarge
        parts.append(chunk)
    return "".join(parts)


class CompiledTemplate:
    """A compiled template bound to where it came from. Cheap to create; the heavy part is cached globally."""

    __slots__ = ("text", "engine", "where", "references", "_template", "_names", "_render_error", "_capped")

    def __init__(
        self, text: str, engine: str, where: str, compiled: _Compiled, render_error: type[DataDesignerError]
    ) -> None:
        self.text = text
        self.engine = engine
        self.where = where
        self.references: frozenset[str] = compiled.references
        self._template = compiled.template
        self._names = tuple(sorted(compiled.references))
        self._render_error = render_error
        self._capped = engine == "secure"

    def __repr__(self) -> str:
        return f"CompiledTemplate({_shown(self.text)}, engine={self.engine!r}, where={self.where!r})"

    def render(self, row: Mapping[str, Any]) -> str:
        """Render against ``row`` (any mapping holding at least the referenced columns; extra keys are ignored)."""
        return self.render_prepared(prepare_row(row, self._names))

    def render_prepared(self, context: dict[str, Any]) -> str:
        """Render a context already built by :func:`prepare_row` (lets callers share one context across leaves)."""
        try:
            if self._capped:
                return _render_capped(self._template, context)
            return self._template.render(context)
        except jinja2.UndefinedError as exc:
            raise self._render_error(
                f"{self.where}: could not render the Jinja template: {exc.message}. Make sure every variable it "
                f"reads is a column generated before this one (this row provides: {sorted(context) or 'nothing'}), "
                f"or guard optional fields with '{{% if x is defined %}}'."
            ) from exc
        except _OutputTooLarge as exc:
            raise self._render_error(
                f"{self.where}: the rendered template is longer than {MAX_OUTPUT_CHARS} characters; shorten the "
                f"template or the values it repeats."
            ) from exc
        except SecurityError as exc:
            raise self._render_error(
                f"{self.where}: the Jinja sandbox refused an operation: {exc}. Rewrite the template without it."
            ) from exc
        except DataDesignerError:
            raise
        except Exception as exc:  # a filter or operator failed on this row's values (TypeError, ValueError, ...)
            raise self._render_error(
                f"{self.where}: rendering the Jinja template failed: {type(exc).__name__}: {exc}. Check the "
                f"template against this row's values (columns: {sorted(context) or 'none'})."
            ) from exc


def compile_template(
    template: str,
    *,
    engine: str = "secure",
    where: str = "template",
    strict: bool = True,
    render_error: type[DataDesignerError] = PromptTemplateRenderError,
) -> CompiledTemplate:
    """Compile ``template`` for ``engine`` ("secure" default, or "native"). ``where`` names the template's owner in
    every error (e.g. ``"column 'answer' prompt"``); ``render_error`` is the class raised for per-row failures."""
    engine = normalize_engine(engine)
    if not isinstance(template, str):
        raise UserJinjaTemplateSyntaxError(f"{where}: a Jinja template must be a string, got {type(template).__name__}")
    try:
        compiled = _compile_cached(template, engine, strict)
    except jinja2.TemplateSyntaxError as exc:
        raise UserJinjaTemplateSyntaxError(
            f"invalid Jinja syntax in {where} (line {exc.lineno}): {exc.message}. Fix the template: {_shown(template)}"
        ) from exc
    except TemplatePolicyViolation as exc:
        line = f" (line {exc.lineno})" if exc.lineno else ""
        raise UserJinjaTemplateSyntaxError(
            f"{where}: forbidden construct {exc.construct}{line}: {exc.detail} by the secure Jinja engine. Rewrite "
            f"the template without it, or use jinja_rendering_engine='native' for trusted configs. "
            f"Template: {_shown(template)}"
        ) from exc
    return CompiledTemplate(template, engine, where, compiled, render_error)


# ---------------------------------------------------------------- conditions (skip.when)
class CompiledCondition:
    """A template whose rendered text is read as a boolean: blank, ``false``, ``0`` and ``none`` (any case) are
    false, everything else is true."""

    __slots__ = ("template",)

    def __init__(self, template: CompiledTemplate) -> None:
        self.template = template

    @property
    def references(self) -> frozenset[str]:
        return self.template.references

    def evaluate(self, row: Mapping[str, Any]) -> bool:
        return self.template.render(row).strip().lower() not in _FALSY_TEXT


def compile_condition(
    template: str,
    *,
    where: str,
    engine: str = "native",
    render_error: type[DataDesignerError] = PromptTemplateRenderError,
) -> CompiledCondition:
    return CompiledCondition(compile_template(template, engine=engine, where=where, render_error=render_error))


# ---------------------------------------------------------------- JSON templates (schema transform)
_Builder = Callable[[dict[str, Any]], Any]


def _restructure(text: str) -> Any:
    """Rule for rendered string leaves: text that is a JSON object or array (after trimming blanks) becomes that
    dict/list, so ``"{{ obj }}"`` with a dict/list (or JSON-text) column stays structured. Every other leaf stays
    the rendered string, numbers included (``"{{ age }}"`` -> ``"30"``)."""
    stripped = text.strip()
    if stripped[:1] in ("{", "[") and stripped[-1:] in ("}", "]"):
        try:
            decoded = orjson.loads(stripped)
        except orjson.JSONDecodeError:
            return text
        if isinstance(decoded, (dict, list)):
            return decoded
    return text


class CompiledJsonTemplate:
    """Callable ``row -> dict | list`` rendering every string leaf of a JSON template (keys stay literal)."""

    __slots__ = ("references", "_build", "_names")

    def __init__(self, build: _Builder, references: frozenset[str]) -> None:
        self.references = references
        self._build = build
        self._names = tuple(sorted(references))

    def __call__(self, row: Mapping[str, Any]) -> Any:
        return self._build(prepare_row(row, self._names))


def compile_json_template(
    template: dict | list,
    *,
    engine: str = "secure",
    where: str = "JSON template",
    render_error: type[DataDesignerError] = PromptTemplateRenderError,
) -> CompiledJsonTemplate:
    references: set[str] = set()

    def build(node: Any, path: str) -> _Builder:
        if isinstance(node, dict):
            items = []
            for key, value in node.items():
                if not isinstance(key, str):
                    raise InvalidConfigError(f"{where}: key {key!r} at {path} must be a string (JSON objects)")
                items.append((key, build(value, f"{path}.{key}")))
            return lambda ctx: {key: child(ctx) for key, child in items}
        if isinstance(node, (list, tuple)):
            children = [build(value, f"{path}[{i}]") for i, value in enumerate(node)]
            return lambda ctx: [child(ctx) for child in children]
        if isinstance(node, str):
            if "{{" not in node and "{%" not in node:
                return lambda ctx: node
            leaf = compile_template(node, engine=engine, where=f"{where} at {path}", render_error=render_error)
            references.update(leaf.references)
            return lambda ctx: _restructure(leaf.render_prepared(ctx))
        if node is None or isinstance(node, (bool, int, float)):
            return lambda ctx: node
        raise InvalidConfigError(
            f"{where}: value at {path} has type {type(node).__name__}; a JSON template may only hold objects, arrays, "
            f"strings, numbers, booleans and null"
        )

    if not isinstance(template, (dict, list)):
        raise InvalidConfigError(f"{where}: the template must be a JSON object or array, got {type(template).__name__}")
    return CompiledJsonTemplate(build(template, "$"), frozenset(references))
