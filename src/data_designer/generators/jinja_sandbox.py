"""The two Jinja environments user templates run in, and the static policy of the ``secure`` one.

Design note. Templates come from dataset configs, which may be shared, so the default engine is defensive twice over:

* statically, :func:`check_secure_template` walks the parsed AST before anything is compiled and rejects constructs
  that let a template define code or reach other templates (``import``, ``macro``/``call``, ``set``/``with``,
  ``extends``, ``block``, ``include``), loops that multiply work (``recursive`` or nested ``for``), filters outside
  an allowlist, and trees larger than :data:`MAX_AST_NODES` nodes or deeper than :data:`MAX_AST_DEPTH` levels;
* dynamically, :class:`SecureSandboxedEnvironment` is Jinja's immutable sandbox (no private attributes, no mutating
  methods) that additionally refuses operations whose *result* could be huge before it is allocated (``"a" * 10**9``,
  ``2 ** 10**9``, ``"%999999999s" % x``, ``str.format``); the renderer caps the output at :data:`MAX_OUTPUT_CHARS`.

The ``native`` engine is the plain immutable sandbox with Jinja's standard filters. Both engines share the same
``finalize`` so that a dict/list value renders as JSON (``{{ obj }}`` -> ``{"a": 1}``), matching how JSON columns
were stored before :func:`~data_designer.generators.jinja_render.prepare_row` decoded them.

Environments are module singletons; Jinja environments are safe to share once configured.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from functools import cache, lru_cache
from typing import Any

import jinja2
from jinja2 import nodes
from jinja2.exceptions import SecurityError
from jinja2.sandbox import ImmutableSandboxedEnvironment

__all__ = [
    "ALLOWED_FILTERS",
    "MAX_AST_DEPTH",
    "MAX_AST_NODES",
    "MAX_OUTPUT_CHARS",
    "SecureSandboxedEnvironment",
    "TemplatePolicyViolation",
    "check_secure_template",
    "get_environment",
    "jsonpath_filter",
    "to_json_text",
]

MAX_AST_NODES = 600
MAX_AST_DEPTH = 10
MAX_OUTPUT_CHARS = 512_000
_MAX_POWER_EXPONENT = 10_000
_STR_FORMATTERS = frozenset({"format", "format_map"})

ALLOWED_FILTERS: frozenset[str] = frozenset(
    "abs capitalize escape first float forceescape int items last length list lower max min random replace reverse "
    "round sort string title trim truncate unique upper urlencode jsonpath".split()
)

_FORBIDDEN_NODES: dict[type[nodes.Node], str] = {
    nodes.Import: "import",
    nodes.FromImport: "import",
    nodes.Macro: "macro",
    nodes.CallBlock: "call",
    nodes.Assign: "set",
    nodes.AssignBlock: "set",
    nodes.With: "with",
    nodes.Extends: "extends",
    nodes.Block: "block",
    nodes.Include: "include",
}


class TemplatePolicyViolation(Exception):
    """Internal signal: the template parsed but breaks the secure policy. The renderer rewraps it with context."""

    def __init__(self, construct: str, detail: str, lineno: int | None = None) -> None:
        super().__init__(detail)
        self.construct = construct
        self.detail = detail
        self.lineno = lineno


def check_secure_template(ast: nodes.Template) -> None:
    """Raise :class:`TemplatePolicyViolation` if ``ast`` breaks the secure policy (see the module note).

    Depth counts the nodes on the longest path below the template root, so ``{{ a.b }}`` (Output > Getattr > Name)
    has depth 3.
    """
    count = 0

    def visit(node: nodes.Node, depth: int, in_for: bool) -> None:
        nonlocal count
        count += 1
        lineno = getattr(node, "lineno", None)
        if count > MAX_AST_NODES:
            raise TemplatePolicyViolation(
                "too many nodes", f"the template has more than {MAX_AST_NODES} syntax nodes", lineno
            )
        if depth > MAX_AST_DEPTH:
            raise TemplatePolicyViolation(
                "nesting too deep", f"the template nests deeper than {MAX_AST_DEPTH} levels", lineno
            )
        construct = _FORBIDDEN_NODES.get(type(node))
        if construct is not None:
            raise TemplatePolicyViolation(construct, f"'{{% {construct} %}}' is not allowed", lineno)
        if isinstance(node, nodes.For):
            if node.recursive:
                raise TemplatePolicyViolation("recursive for", "recursive 'for' loops are not allowed", lineno)
            if in_for:
                raise TemplatePolicyViolation("nested for", "nested 'for' loops are not allowed", lineno)
        if isinstance(node, nodes.Filter) and node.name not in ALLOWED_FILTERS:
            raise TemplatePolicyViolation(
                f"filter '{node.name}'",
                f"the filter '{node.name}' is not allowed (allowed: {', '.join(sorted(ALLOWED_FILTERS))})",
                lineno,
            )
        if isinstance(node, nodes.For):
            # The loop target/iterable/test run outside the loop body; only body and else_ are "inside".
            for child in (node.target, node.iter, node.test):
                if child is not None:
                    visit(child, depth + 1, in_for)
            for child in (*node.body, *node.else_):
                visit(child, depth + 1, True)
            return
        for child in node.iter_child_nodes():
            visit(child, depth + 1, in_for)

    for top in ast.body:
        visit(top, 1, False)


# ---------------------------------------------------------------- finalize: dict/list render as JSON
def _json_default(value: Any) -> Any:
    tolist = getattr(value, "tolist", None)  # numpy arrays and scalars nested inside dict values
    return tolist() if callable(tolist) else str(value)


def to_json_text(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, default=_json_default)


def _finalize(value: Any) -> Any:
    if isinstance(value, (dict, list, tuple)):
        return to_json_text(value)
    return value


# ---------------------------------------------------------------- jsonpath filter
_PATH_TOKEN = re.compile(
    r"""\.(?P<name>[A-Za-z_][\w\-]*)            # .name
      | \.(?P<dot_star>\*)                       # .*
      | \[\s*(?P<index>-?\d+)\s*\]               # [0] / [-1]
      | \[\s*(?P<bracket_star>\*)\s*\]           # [*]
      | \[\s*'(?P<sq>[^']*)'\s*\]                # ['key']
      | \[\s*"(?P<dq>[^"]*)"\s*\]                # ["key"]
    """,
    re.VERBOSE,
)
_WILDCARD = object()


@lru_cache(maxsize=512)
def _parse_jsonpath(path: str) -> tuple[tuple[Any, ...], bool]:
    """``$.a.b[0]`` -> ((``"a"``, ``"b"``, 0), has_wildcard). Paths without ``$`` are taken relative to the root."""
    text = path.strip()
    if text.startswith("$"):
        text = text[1:]
    elif text and not text.startswith(("[", ".")):
        text = "." + text
    steps: list[Any] = []
    pos = 0
    while pos < len(text):
        match = _PATH_TOKEN.match(text, pos)
        if match is None:
            raise ValueError(
                f"unsupported jsonpath {path!r} near {text[pos:]!r}; use $.key, $.key[0], $['key'] or [*] steps"
            )
        if match["name"] is not None:
            steps.append(match["name"])
        elif match["index"] is not None:
            steps.append(int(match["index"]))
        elif match["sq"] is not None or match["dq"] is not None:
            steps.append(match["sq"] if match["sq"] is not None else match["dq"])
        else:
            steps.append(_WILDCARD)
        pos = match.end()
    return tuple(steps), any(step is _WILDCARD for step in steps)


def _step(values: list[Any], step: Any) -> list[Any]:
    out: list[Any] = []
    for value in values:
        if step is _WILDCARD:
            if isinstance(value, dict):
                out.extend(value.values())
            elif isinstance(value, (list, tuple)):
                out.extend(value)
        elif isinstance(step, int):
            if isinstance(value, (list, tuple)) and -len(value) <= step < len(value):
                out.append(value[step])
        elif isinstance(value, dict) and step in value:
            out.append(value[step])
    return out


def jsonpath_filter(value: Any, path: str) -> Any:
    """``{{ col | jsonpath('$.a.b[0]') }}``: the value at ``path`` (``None`` if absent), or the list of matches when
    the path has a wildcard. A JSON string input is parsed first."""
    if isinstance(value, str):
        try:
            value = json.loads(value)
        except ValueError:
            return [] if _parse_jsonpath(path)[1] else None
    steps, has_wildcard = _parse_jsonpath(path)
    matches = [value]
    for step in steps:
        matches = _step(matches, step)
        if not matches:
            break
    if has_wildcard:
        return matches
    return matches[0] if matches else None


# ---------------------------------------------------------------- environments
def _size_hint(value: Any) -> int | None:
    return len(value) if isinstance(value, (str, bytes, list, tuple)) else None


class SecureSandboxedEnvironment(ImmutableSandboxedEnvironment):
    """Immutable sandbox that also refuses to build oversized values (checked before allocating them)."""

    intercepted_binops = frozenset({"*", "**", "%"})

    def call_binop(self, context: Any, operator_name: str, left: Any, right: Any) -> Any:
        if operator_name == "*":
            for seq, times in ((left, right), (right, left)):
                size = _size_hint(seq)
                if size is not None and isinstance(times, int) and size * times > MAX_OUTPUT_CHARS:
                    raise SecurityError(f"repeating a sequence {times} times exceeds {MAX_OUTPUT_CHARS} items")
        elif operator_name == "**":
            if isinstance(right, (int, float)) and abs(right) > _MAX_POWER_EXPONENT:
                raise SecurityError(f"exponents above {_MAX_POWER_EXPONENT} are not allowed")
        elif operator_name == "%" and isinstance(left, str):
            raise SecurityError("printf-style string formatting ('...' % x) is not allowed; use filters instead")
        return super().call_binop(context, operator_name, left, right)

    def wrap_str_format(self, value: Any) -> Callable[..., str] | None:
        # Jinja hands str.format/format_map to a sandboxed formatter, which still honours huge widths ({:999999999}).
        if isinstance(getattr(value, "__self__", None), str) and getattr(value, "__name__", "") in _STR_FORMATTERS:
            raise SecurityError("str.format/format_map is not allowed; build the text with filters and '~' instead")
        return super().wrap_str_format(value)


def _build_secure(undefined: type[jinja2.Undefined]) -> jinja2.Environment:
    env = SecureSandboxedEnvironment(autoescape=False, undefined=undefined, finalize=_finalize)
    filters = {name: env.filters[name] for name in ALLOWED_FILTERS if name in env.filters}
    filters["jsonpath"] = jsonpath_filter
    env.filters = filters
    env.globals = {"range": env.globals["range"], "dict": dict}
    return env


def _build_native(undefined: type[jinja2.Undefined]) -> jinja2.Environment:
    env = ImmutableSandboxedEnvironment(autoescape=False, undefined=undefined, finalize=_finalize)
    env.filters["jsonpath"] = jsonpath_filter
    return env


@cache
def get_environment(engine: str, strict: bool = True) -> jinja2.Environment:
    """The shared environment for ``engine`` ("secure" or "native"); ``strict`` selects StrictUndefined."""
    undefined = jinja2.StrictUndefined if strict else jinja2.Undefined
    if engine == "secure":
        return _build_secure(undefined)
    if engine == "native":
        return _build_native(undefined)
    raise ValueError(f"unknown Jinja rendering engine {engine!r}; use 'secure' or 'native'")
