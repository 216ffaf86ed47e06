"""The local-callable validator: a user function judges a batch given as a pandas DataFrame of the target columns.

The function is user code, so its output is checked strictly (a DataFrame, an ``is_valid`` column, one row per
input row, optional JSON schema per row) and every violation is a :class:`LocalCallableValidationError` that names
the column: a function returning the wrong shape is a bug to fix, not a row to drop.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any

import pandas as pd

from data_designer.errors import LocalCallableValidationError
from data_designer.generators.validators.results import check_json_schema, first_schema_error, to_python_value

__all__ = ["LocalCallableValidator"]


def _coerce_is_valid(value: Any) -> bool | None:
    value = to_python_value(value)
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    raise TypeError(f"is_valid must be a boolean (or None), got {value!r}")


def _resolve_function(reference: Callable | str, column: str) -> Callable:
    if callable(reference):
        return reference
    module_name, _, attr = reference.rpartition(":") if ":" in reference else reference.rpartition(".")
    if module_name:
        try:
            function = getattr(importlib.import_module(module_name), attr)
        except (ImportError, AttributeError) as exc:
            raise LocalCallableValidationError(
                f"validation column {column!r}: cannot import validation_function {reference!r} ({exc}); "
                "pass the callable itself or an importable 'package.module:function' path"
            ) from exc
        if callable(function):
            return function
    raise LocalCallableValidationError(
        f"validation column {column!r}: validation_function {reference!r} is only a name (functions are serialised "
        "by name); pass the callable itself, or an importable 'package.module:function' path"
    )


class LocalCallableValidator:
    """Calls ``validation_function(DataFrame of target columns)`` once per batch."""

    max_parallel_batches = 1

    def __init__(
        self,
        validation_function: Callable | str,
        target_columns: list[str],
        *,
        column: str,
        output_schema: dict[str, Any] | None = None,
    ) -> None:
        self.column = column
        self.target_columns = list(target_columns)
        self._function = _resolve_function(validation_function, column)
        self._schema = (
            None
            if output_schema is None
            else check_json_schema(
                output_schema, where=f"validation column {column!r}", error=LocalCallableValidationError
            )
        )

    def _fail(self, problem: str) -> LocalCallableValidationError:
        name = getattr(self._function, "__name__", repr(self._function))
        return LocalCallableValidationError(
            f"validation column {self.column!r}: validation_function {name!r} {problem}"
        )

    def validate_batch(self, batch: dict[str, list[Any]]) -> list[dict[str, Any]]:
        frame = pd.DataFrame({target: batch[target] for target in self.target_columns})
        try:
            output = self._function(frame)
        except Exception as exc:  # user code: any exception is reported with the column it broke
            raise self._fail(f"raised {type(exc).__name__}: {exc}; fix the function") from exc
        if not isinstance(output, pd.DataFrame):
            raise self._fail(f"returned {type(output).__name__}; it must return a pandas DataFrame")
        if "is_valid" not in output.columns:
            raise self._fail(f"returned columns {list(map(str, output.columns))} without 'is_valid'; add that column")
        if len(output) != len(frame):
            raise self._fail(f"returned {len(output)} rows for {len(frame)} input rows; return one row per input row")
        rows = []
        for index, record in enumerate(output.to_dict(orient="records")):
            row = {str(key): to_python_value(value) for key, value in record.items()}
            try:
                row["is_valid"] = _coerce_is_valid(record["is_valid"])
            except TypeError as exc:
                raise self._fail(f"row {index}: {exc}") from exc
            if self._schema is not None:
                problem = first_schema_error(self._schema, row)
                if problem is not None:
                    raise self._fail(f"row {index} does not match output_schema: {problem}; fix the function")
            rows.append(row)
        return rows
