"""Conditions of ``conditional_params``: which columns they read, and which rows they select.

A condition is a pandas ``DataFrame.eval`` boolean expression over other sampler columns (``"age > 21"``,
``"region == 'EU' and tier != 'free'"``; column names with spaces go in backticks). The referenced columns are found
by parsing the expression with :mod:`ast`, so the sampler DAG knows the condition's inputs before any row exists.
Rows are selected in one vectorised ``eval`` per condition per draw.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Mapping

import numpy as np

from data_designer.errors import ConfigCompilationError, DatasetGenerationError

__all__ = ["referenced_columns", "select_rows"]

# Functions pandas.eval knows; a call to one of these is not a column reference.
_EVAL_FUNCTIONS = frozenset(
    {
        "sin", "cos", "tan", "arcsin", "arccos", "arctan", "arctan2", "sinh", "cosh", "tanh", "arcsinh", "arccosh",
        "arctanh", "abs", "exp", "expm1", "log", "log1p", "log10", "sqrt",
    }
)  # fmt: skip
_BACKTICKED = re.compile(r"`([^`]+)`")


def referenced_columns(condition: str, *, column: str) -> set[str]:
    """Names of the columns ``condition`` reads; raises if it is not a valid boolean expression."""
    quoted: dict[str, str] = {}

    def _placeholder(match: re.Match[str]) -> str:
        key = f"__dd_col_{len(quoted)}__"
        quoted[key] = match.group(1)
        return key

    source = _BACKTICKED.sub(_placeholder, condition)
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ConfigCompilationError(
            f"sampler column {column!r}: conditional_params condition {condition!r} is not a valid expression "
            f'({exc.msg}); write it like "age > 21" or "region == \'EU\'"'
        ) from exc
    call_targets = {id(node.func) for node in ast.walk(tree) if isinstance(node, ast.Call)}
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Name) and not (id(node) in call_targets and node.id in _EVAL_FUNCTIONS):
            names.add(quoted.get(node.id, node.id))
    if not names:
        raise ConfigCompilationError(
            f"sampler column {column!r}: conditional_params condition {condition!r} references no column; "
            'a condition must compare another sampler column, e.g. "age > 21"'
        )
    return names


def select_rows(condition: str, frame: Mapping[str, np.ndarray], num_rows: int, *, column: str) -> np.ndarray:
    """Boolean mask of the rows where ``condition`` holds, given the referenced columns' values."""
    import pandas as pd

    df = pd.DataFrame(dict(frame), index=pd.RangeIndex(num_rows))
    try:
        result = df.eval(condition, engine="python")
    except Exception as exc:  # pandas raises many types for bad expressions / dtype mismatches
        raise DatasetGenerationError(
            f"sampler column {column!r}: could not evaluate conditional_params condition {condition!r}: {exc}; "
            "check the column names and that the compared values have matching types"
        ) from exc
    mask = np.asarray(result)
    if mask.shape != (num_rows,) or mask.dtype != np.bool_:
        raise DatasetGenerationError(
            f"sampler column {column!r}: conditional_params condition {condition!r} did not evaluate to one "
            'True/False per row; use a comparison such as "age > 21"'
        )
    return mask
