"""Checking inequality constraints on sampler columns, one vectorised comparison per constraint.

The generator enforces constraints by rejection: it redraws only the violating rows of the columns a violated
constraint involves (and of the sampler columns derived from them) until every constraint holds, within a budget of
``max_rejections_factor * num_rows`` redrawn rows in total per call. An unsatisfiable constraint therefore fails
after a bounded amount of work instead of looping forever.
"""

from __future__ import annotations

import operator as op
from collections.abc import Mapping
from typing import Any

import numpy as np

from data_designer.config.sampler_params import NUMERIC_SAMPLER_TYPES
from data_designer.errors import ConfigCompilationError

__all__ = ["validate_constraint", "violating_rows"]

_COMPARE = {"lt": op.lt, "le": op.le, "gt": op.gt, "ge": op.ge}
_TEMPORAL = frozenset({"datetime", "timedelta"})


def _operator_value(constraint: Any) -> str:
    value = constraint.operator
    return getattr(value, "value", value)


def _is_column_constraint(constraint: Any) -> bool:
    return getattr(constraint, "constraint_type", None) == "column_inequality"


def validate_constraint(
    constraint: Any, sampler_types: Mapping[str, str], convert_to: Mapping[str, str | None]
) -> None:
    """Constraints compare numbers (or, column to column, dates); reject anything else before generating."""
    described = constraint.describe()
    columns = (
        [constraint.target_column, constraint.rhs] if _is_column_constraint(constraint) else [constraint.target_column]
    )
    kinds = {sampler_types[name] for name in columns}
    allowed = NUMERIC_SAMPLER_TYPES | (_TEMPORAL if _is_column_constraint(constraint) else frozenset())
    if not kinds <= allowed or (kinds & _TEMPORAL and not kinds <= _TEMPORAL):
        raise ConfigCompilationError(
            f"constraint {described!r}: constraints apply to numeric sampler columns "
            f"({', '.join(sorted(NUMERIC_SAMPLER_TYPES))}) or compare two datetime/timedelta columns; "
            f"got {', '.join(f'{name} ({sampler_types[name]})' for name in columns)}"
        )
    for name in columns:
        if convert_to.get(name) == "str":
            raise ConfigCompilationError(
                f"constraint {described!r}: column {name!r} has convert_to='str', so it cannot be compared; "
                "use 'int' or 'float', or drop the constraint"
            )


def violating_rows(constraint: Any, values: Mapping[str, np.ndarray]) -> np.ndarray:
    """Boolean mask of the rows where ``constraint`` does not hold."""
    rhs = values[constraint.rhs] if _is_column_constraint(constraint) else constraint.rhs
    return ~_COMPARE[_operator_value(constraint)](values[constraint.target_column], rhs)
