"""Static analysis of user Jinja templates: syntax checks and the root variables a template reads.

Pure functions over template text; used by config validation (``skip.when``) and by the planner to build the DAG.
"""

from __future__ import annotations

from functools import lru_cache

import jinja2
from jinja2 import meta, nodes

from data_designer.errors import UserJinjaTemplateSyntaxError

__all__ = ["extract_template_references", "validate_template_syntax"]

_ENV = jinja2.Environment(autoescape=False)


@lru_cache(maxsize=4096)
def _parse(template: str) -> nodes.Template:
    return _ENV.parse(template)


def validate_template_syntax(template: str, *, where: str = "template") -> None:
    """Raise :class:`UserJinjaTemplateSyntaxError` naming ``where`` and the line of the error."""
    try:
        _parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise UserJinjaTemplateSyntaxError(
            f"invalid Jinja syntax in {where} (line {exc.lineno}): {exc.message}. Template: {template!r}"
        ) from exc


def extract_template_references(template: str) -> set[str]:
    """Names of the undeclared root variables a template reads (``{{ a.b }}`` -> ``{"a"}``)."""
    if not template or ("{" not in template):
        return set()
    try:
        ast = _parse(template)
    except jinja2.TemplateSyntaxError as exc:
        raise UserJinjaTemplateSyntaxError(
            f"invalid Jinja syntax (line {exc.lineno}): {exc.message}. Template: {template!r}"
        ) from exc
    return set(meta.find_undeclared_variables(ast))
