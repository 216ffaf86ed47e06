"""Inequality constraints between sampler columns, enforced at generation time by rejection sampling.

A constraint compares ``target_column`` with either a number (:class:`ScalarInequalityConstraint`) or another
sampler column (:class:`ColumnInequalityConstraint`). Older configs wrote constraints without ``constraint_type``;
:data:`ColumnConstraintT` still accepts them and decides the kind from ``rhs``: a number, or a string that parses
as a float, is a scalar; any other string names a column.
"""

from __future__ import annotations

from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Discriminator, Tag, model_validator

from data_designer.config.base import ConfigBase

__all__ = [
    "ConstraintType",
    "InequalityOperator",
    "ScalarInequalityConstraint",
    "ColumnInequalityConstraint",
    "ColumnConstraintT",
    "ColumnConstraintInputT",
]


class ConstraintType(str, Enum):
    SCALAR_INEQUALITY = "scalar_inequality"
    COLUMN_INEQUALITY = "column_inequality"


class InequalityOperator(str, Enum):
    LT = "lt"
    LE = "le"
    GT = "gt"
    GE = "ge"


_OPERATOR_SYMBOLS = {"lt": "<", "le": "<=", "gt": ">", "ge": ">="}


def _symbol(operator: InequalityOperator | str) -> str:
    return _OPERATOR_SYMBOLS[operator.value if isinstance(operator, Enum) else operator]


class ScalarInequalityConstraint(ConfigBase):
    """``target_column <operator> rhs`` for a number ``rhs``."""

    constraint_type: Literal["scalar_inequality"] = "scalar_inequality"
    target_column: str
    rhs: float
    operator: InequalityOperator

    @property
    def referenced_columns(self) -> list[str]:
        return [self.target_column]

    def describe(self) -> str:
        return f"{self.target_column} {_symbol(self.operator)} {self.rhs:g}"


class ColumnInequalityConstraint(ConfigBase):
    """``target_column <operator> rhs`` where ``rhs`` names another sampler column."""

    constraint_type: Literal["column_inequality"] = "column_inequality"
    target_column: str
    rhs: str
    operator: InequalityOperator

    @model_validator(mode="after")
    def _validate_columns(self) -> ColumnInequalityConstraint:
        if self.rhs == self.target_column:
            raise ValueError(
                f"constraint on {self.target_column!r} compares the column with itself; use another column as rhs"
            )
        return self

    @property
    def referenced_columns(self) -> list[str]:
        return [self.target_column, self.rhs]

    def describe(self) -> str:
        return f"{self.target_column} {_symbol(self.operator)} {self.rhs}"


def _is_float(value: Any) -> bool:
    if isinstance(value, bool):
        return False
    if isinstance(value, (int, float)):
        return True
    if isinstance(value, str):
        try:
            float(value)
        except ValueError:
            return False
        return True
    return False


def _classify_constraint(value: Any) -> str:
    """The tag of a constraint given as a model or a (possibly legacy) dict."""
    if isinstance(value, dict):
        kind = value.get("constraint_type")
        if kind is not None:
            return kind.value if isinstance(kind, Enum) else str(kind)
        return "scalar_inequality" if _is_float(value.get("rhs")) else "column_inequality"
    return getattr(value, "constraint_type", "scalar_inequality")


ColumnConstraintT = Annotated[
    Annotated[ScalarInequalityConstraint, Tag("scalar_inequality")]
    | Annotated[ColumnInequalityConstraint, Tag("column_inequality")],
    Discriminator(_classify_constraint),
]

ColumnConstraintInputT = ColumnConstraintT
"""The name the upstream API uses for the same union."""
