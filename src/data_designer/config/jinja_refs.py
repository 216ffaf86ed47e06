"""Static analysis of user Jinja templates: syntax checks and the root variables a template reads.

Pure functions over template text; used by config validation (``skip.when``) and by the planner to build the DAG.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2 import meta, nodes
from jinja2.defaults import DEFAULT_NAMESPACE
from jinja2.sandbox import SandboxedEnvironment

from data_designer.errors import UserJinjaTemplateSyntaxError

__all__ = ["extract_template_references", "validate_template_syntax"]


class _AnalysisEnvironment(SandboxedEnvironment):
    """Never renders anything. Sandboxed with intercepted arithmetic only so that compiling a template for analysis
    does not constant-fold expressions such as ``2 ** 10 ** 9`` (Jinja evaluates constant outputs at compile time)."""

    intercepted_binops = frozenset({"*", "**", "%", "/", "//", "+", "-"})
    intercepted_unops = frozenset({"-", "+"})


_ENV = _AnalysisEnvironment(autoescape=False)
# Reference extraction compiles the template, which checks that filters exist; the renderer adds ``jsonpath`` to
# Jinja's standard filters, so the analysis environment must know the name too (its behaviour is irrelevant here).
_ENV.filters["jsonpath"] = lambda value, path: value

# Names Jinja itself provides (``range``, ``dict``, ``namespace``...): reading them is not a column reference.
_JINJA_GLOBALS = frozenset(DEFAULT_NAMESPACE)


@lru_cache(maxsize=4096)
def _parse(template: str) -> nodes.Template:
    return _ENV.parse(template)


@lru_cache(maxsize=4096)
def _references(template: str) -> frozenset[str]:
    return frozenset(meta.find_undeclared_variables(_parse(template))) - _JINJA_GLOBALS


def validate_template_syntax(template: str, *, where: str = "template") -> None:
    """Raise :class:`UserJinjaTemplateSyntaxError` naming ``where`` and the line of the error."""
    try:
        _parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise UserJinjaTemplateSyntaxError(
            f"invalid Jinja syntax in {where} (line {exc.lineno}): {exc.message}. Template: {template!r}"
        ) from exc


def extract_template_references(template: str, *, where: str = "template") -> set[str]:
    """Names of the undeclared root variables a template reads (``{{ a.b }}`` -> ``{"a"}``).

    Loop targets and ``set`` names are local, and Jinja's own globals (``range``, ``dict``, ...) are not columns, so
    neither is reported. A fresh set is returned; callers may mutate it.
    """
    if not template or ("{" not in template):
        return set()
    try:
        return set(_references(template))
    except jinja2.TemplateSyntaxError as exc:
        raise UserJinjaTemplateSyntaxError(
            f"invalid Jinja syntax in {where} (line {exc.lineno}): {exc.message}. Template: {template!r}"
        ) from exc
