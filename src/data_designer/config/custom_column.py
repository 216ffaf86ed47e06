"""``@custom_column_generator``: declares what a user function reads, writes and which models it calls."""

from __future__ import annotations

import inspect
from collections.abc import Callable
from typing import Any

__all__ = ["custom_column_generator"]

_PARAM_NAMES = (("row", "df"), ("generator_params",), ("models",))


def custom_column_generator(
    required_columns: list[str] | None = None,
    side_effect_columns: list[str] | None = None,
    model_aliases: list[str] | None = None,
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """Attach ``custom_column_metadata`` to a generator function after checking its signature.

    The function takes 1-3 positional parameters named, in order, ``row`` (cell-by-cell) or ``df`` (full column),
    ``generator_params`` and ``models``.
    """

    def decorate(fn: Callable[..., Any]) -> Callable[..., Any]:
        params = list(inspect.signature(fn).parameters.values())
        if not 1 <= len(params) <= 3:
            raise ValueError(
                f"custom column function {fn.__name__!r} must take 1 to 3 parameters "
                f"(row|df, generator_params, models); got {len(params)}"
            )
        for position, (param, allowed) in enumerate(zip(params, _PARAM_NAMES, strict=False)):
            if param.name not in allowed:
                raise ValueError(
                    f"custom column function {fn.__name__!r}: parameter {position + 1} must be named "
                    f"{' or '.join(allowed)}, got {param.name!r}"
                )
        fn.custom_column_metadata = {  # type: ignore[attr-defined]
            "required_columns": list(required_columns or []),
            "side_effect_columns": list(side_effect_columns or []),
            "model_aliases": list(model_aliases or []),
            "num_params": len(params),
            "is_async": inspect.iscoroutinefunction(fn),
        }
        return fn

    return decorate
