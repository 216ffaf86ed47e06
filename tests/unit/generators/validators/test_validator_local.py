import numpy as np
import pandas as pd
import pytest

from data_designer.errors import LocalCallableValidationError
from data_designer.generators.validators.local import LocalCallableValidator
from data_designer.generators.validators.results import to_python_value


def positive(df: pd.DataFrame) -> pd.DataFrame:
    return pd.DataFrame({"is_valid": df["x"] > 0, "doubled": df["x"] * 2})


def make(fn, schema=None, targets=("x",)):
    return LocalCallableValidator(fn, list(targets), column="check", output_schema=schema)


def test_function_receives_target_columns_and_results_are_plain_python():
    seen = []

    def fn(df):
        seen.append(df.copy())
        return positive(df)

    rows = make(fn, targets=("x", "y")).validate_batch({"x": [1, -2], "y": ["a", "b"]})
    assert list(seen[0].columns) == ["x", "y"]
    assert rows == [{"is_valid": True, "doubled": 2}, {"is_valid": False, "doubled": -4}]
    assert type(rows[0]["is_valid"]) is bool and type(rows[0]["doubled"]) is int


def test_result_index_is_ignored_in_favour_of_row_order():
    def fn(df):
        return pd.DataFrame({"is_valid": [True, False]}, index=[10, 3])

    assert [r["is_valid"] for r in make(fn).validate_batch({"x": [1, 2]})] == [True, False]


def test_missing_verdicts_become_none():
    def fn(df):
        return pd.DataFrame({"is_valid": [True, None, np.nan]}, dtype=object)

    assert [r["is_valid"] for r in make(fn).validate_batch({"x": [1, 2, 3]})] == [True, None, None]


@pytest.mark.parametrize(
    ("fn", "fragment"),
    [
        (lambda df: [True] * len(df), "must return a pandas DataFrame"),
        (lambda df: pd.DataFrame({"ok": [True] * len(df)}), "without 'is_valid'"),
        (lambda df: pd.DataFrame({"is_valid": [True]}), "returned 1 rows for 2 input rows"),
        (lambda df: pd.DataFrame({"is_valid": ["yes", "no"]}), "is_valid must be a boolean"),
        (lambda df: 1 / 0, "raised ZeroDivisionError"),
    ],
)
def test_bad_function_output_names_the_column(fn, fragment):
    with pytest.raises(LocalCallableValidationError, match="check") as info:
        make(fn).validate_batch({"x": [1, 2]})
    assert fragment in str(info.value)


def test_output_schema_is_enforced():
    schema = {"type": "object", "properties": {"doubled": {"type": "integer", "minimum": 0}}, "required": ["doubled"]}
    validator = make(positive, schema=schema)
    assert validator.validate_batch({"x": [3]}) == [{"is_valid": True, "doubled": 6}]
    with pytest.raises(LocalCallableValidationError, match="row 1 does not match output_schema"):
        validator.validate_batch({"x": [3, -1]})


def test_invalid_output_schema_fails_at_construction():
    with pytest.raises(LocalCallableValidationError, match="not a valid JSON schema"):
        make(positive, schema={"type": "no-such-type"})


def test_function_can_be_given_as_import_path():
    def as_frame(df):
        return pd.DataFrame({"is_valid": [bool(v) for v in df["x"]]})

    import operator

    for reference in ("operator:truth", "operator.truth"):
        assert LocalCallableValidator(reference, ["x"], column="check")._function is operator.truth
    assert make(as_frame).validate_batch({"x": [0, 5]}) == [{"is_valid": False}, {"is_valid": True}]


@pytest.mark.parametrize("reference", ["positive", "no_such_module_xyz:fn"])
def test_function_name_without_callable_is_a_clear_error(reference):
    with pytest.raises(LocalCallableValidationError, match="'check'.*validation_function"):
        make(reference)


def test_to_python_value_converts_numpy_and_missing_values():
    assert to_python_value(np.int64(3)) == 3
    assert to_python_value(np.array([1.5, np.nan])) == [1.5, None]
    assert to_python_value({"a": (np.bool_(True), pd.NA)}) == {"a": [True, None]}
