"""What local and remote validators share about result rows: plain-Python values and JSON-schema checks.

Result rows end up in parquet and JSON, so numpy/pandas scalars are turned into Python values (NaN/NA into
``None``) before anyone sees them.
"""

from __future__ import annotations

import math
from typing import Any

import jsonschema
import numpy as np
import pandas as pd

__all__ = ["check_json_schema", "first_schema_error", "to_python_value"]


def to_python_value(value: Any) -> Any:
    """Plain Python for a pandas/numpy cell; containers are converted recursively, NaN/NA/NaT become ``None``."""
    if isinstance(value, np.generic):
        value = value.item()
    elif isinstance(value, np.ndarray):
        return [to_python_value(v) for v in value.tolist()]
    if isinstance(value, dict):
        return {str(k): to_python_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [to_python_value(v) for v in value]
    if value is pd.NA or value is pd.NaT or (isinstance(value, float) and math.isnan(value)):
        return None
    return value


def check_json_schema(schema: dict[str, Any], *, where: str, error: type[Exception]) -> Any:
    """A jsonschema validator for ``schema``; an invalid schema raises ``error`` naming ``where``."""
    validator_class = jsonschema.validators.validator_for(schema)
    try:
        validator_class.check_schema(schema)
    except jsonschema.SchemaError as exc:
        raise error(f"{where}: output_schema is not a valid JSON schema ({exc.message}); fix the schema") from exc
    return validator_class(schema)


def first_schema_error(validator: Any, row: dict[str, Any]) -> str | None:
    """The most relevant schema violation of ``row``, or ``None`` when it matches."""
    error = jsonschema.exceptions.best_match(validator.iter_errors(row))
    return None if error is None else error.message
