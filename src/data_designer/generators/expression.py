"""Expression columns: a Jinja ``expr`` rendered for every row of a row group and cast to the column's ``dtype``.

A bad row (render error, empty result, value that does not cast) is rejected through
``FullColumnResult.failed_rows`` rather than raised, because one odd upstream value should cost one row, not the
run. A column that rejects *every* row, however, almost always has a broken expression, so that is fatal.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

from data_designer.errors import ExpressionTemplateRenderError
from data_designer.generators.base import Columns, FullColumnGenerator, FullColumnResult, GeneratorContext
from data_designer.generators.jinja_render import compile_template, normalize_engine

__all__ = ["ExpressionColumnGenerator", "cast_expression_value"]

_TRUE_TEXT = frozenset({"true", "1", "yes"})
_FALSE_TEXT = frozenset({"false", "0", "no"})


class _CastError(ValueError):
    pass


def _to_int(text: str) -> int:
    try:
        return int(text)
    except ValueError:
        pass
    try:
        number = float(text)
    except ValueError:
        raise _CastError(f"{text!r} is not an integer") from None
    if not math.isfinite(number) or not number.is_integer():
        raise _CastError(
            f"{text!r} is not a whole number; round it in the expression, e.g. '{{{{ x | round | int }}}}'"
        )
    return int(number)


def _to_float(text: str) -> float:
    try:
        return float(text)
    except ValueError:
        raise _CastError(f"{text!r} is not a number") from None


def _to_bool(text: str) -> bool:
    lowered = text.lower()
    if lowered in _TRUE_TEXT:
        return True
    if lowered in _FALSE_TEXT:
        return False
    raise _CastError(f"{text!r} is not a boolean (expected true/false, yes/no or 1/0)")


_CASTS: dict[str, Callable[[str], Any]] = {"int": _to_int, "float": _to_float, "bool": _to_bool, "str": str}


def cast_expression_value(text: str, dtype: str) -> Any:
    """Cast rendered text to ``dtype``; raises ``ValueError`` with a readable reason (blank text never casts)."""
    stripped = text.strip()
    if not stripped:
        raise _CastError("the expression rendered an empty string")
    return _CASTS[dtype](stripped)


class ExpressionColumnGenerator(FullColumnGenerator):
    """Renders ``config.expr`` per row (only its referenced columns go into the row) and casts to ``config.dtype``."""

    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        self._dtype = getattr(config, "dtype", "str") or "str"
        if self._dtype not in _CASTS:
            raise ExpressionTemplateRenderError(
                f"expression column {config.name!r}: unsupported dtype {self._dtype!r}; use one of {sorted(_CASTS)}"
            )
        self._template = compile_template(
            config.expr,
            engine=normalize_engine(context.jinja_engine),
            where=f"expression column {config.name!r}",
            render_error=ExpressionTemplateRenderError,
        )

    @property
    def references(self) -> frozenset[str]:
        return self._template.references

    def generate(self, columns: Columns, num_rows: int) -> FullColumnResult:
        names = [name for name in sorted(self._template.references) if name in columns]
        sources = [columns[name] for name in names]
        values: list[Any] = [None] * num_rows
        failed: dict[int, str] = {}
        render = self._template.render
        for i in range(num_rows):
            row = {name: source[i] for name, source in zip(names, sources, strict=True)}
            try:
                values[i] = cast_expression_value(render(row), self._dtype)
            except ExpressionTemplateRenderError as exc:
                failed[i] = str(exc)
            except ValueError as exc:
                failed[i] = f"expression column {self.name!r}: cannot cast to {self._dtype}: {exc}"
        if num_rows and len(failed) == num_rows:
            raise ExpressionTemplateRenderError(
                f"expression column {self.name!r} failed on all {num_rows} rows of the batch; first reason: "
                f"{failed[min(failed)]}. Fix the expression {self.config.expr!r} so it renders a non-empty "
                f"{self._dtype} value for these rows (check column names, nested field access and dtype)."
            )
        return FullColumnResult(values={self.name: values}, failed_rows=failed)
