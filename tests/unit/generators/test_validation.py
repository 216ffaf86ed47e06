import pandas as pd
import pytest

from data_designer.config.column_configs import ValidationColumnConfig
from data_designer.config.validator_params import (
    CodeValidatorParams,
    LocalCallableValidatorParams,
    RemoteValidatorParams,
)
from data_designer.errors import DataDesignerRuntimeError, LocalCallableValidationError
from data_designer.generators.base import FullColumnGenerator, GeneratorContext
from data_designer.generators.registry import create_generator
from data_designer.generators.validation import ValidationGenerator


def local_config(fn, batch_size=10, targets=("x",)):
    return ValidationColumnConfig(
        name="check",
        target_columns=list(targets),
        validator_type="local_callable",
        validator_params=LocalCallableValidatorParams(validation_function=fn),
        batch_size=batch_size,
    )


def test_registry_builds_a_full_column_validation_generator():
    generator = create_generator(local_config(lambda df: df.assign(is_valid=True)), GeneratorContext())
    assert isinstance(generator, ValidationGenerator)
    assert isinstance(generator, FullColumnGenerator)
    assert generator.output_columns == ["check"]


@pytest.mark.parametrize(("num_rows", "batch_size", "expected"), [(7, 3, [3, 3, 1]), (4, 10, [4]), (0, 2, [])])
def test_rows_are_validated_in_batches_of_batch_size(num_rows, batch_size, expected):
    sizes = []

    def fn(df):
        sizes.append(len(df))
        return pd.DataFrame({"is_valid": df["x"] % 2 == 0})

    generator = ValidationGenerator(local_config(fn, batch_size), GeneratorContext())
    result = generator.generate({"x": list(range(num_rows)), "other": [None] * num_rows}, num_rows)
    assert sizes == expected
    assert result.values == {"check": [{"is_valid": i % 2 == 0} for i in range(num_rows)]}
    assert result.failed_rows == {}


def test_missing_target_column_is_a_clear_error():
    generator = ValidationGenerator(local_config(lambda df: df, targets=("x", "y")), GeneratorContext())
    with pytest.raises(DataDesignerRuntimeError, match="'check'.*target column 'y'"):
        generator.generate({"x": [1]}, 1)


def test_local_callable_errors_propagate():
    generator = ValidationGenerator(local_config(lambda df: None), GeneratorContext())
    with pytest.raises(LocalCallableValidationError, match="'check'"):
        generator.generate({"x": [1]}, 1)


def test_python_code_column_with_two_targets_is_nested():
    config = ValidationColumnConfig(
        name="lint",
        target_columns=["a", "b"],
        validator_type="code",
        validator_params=CodeValidatorParams(code_lang="python"),
        batch_size=2,
    )
    columns = {"a": ["x = 1\n", "y = 2\n", "import os\n"], "b": ["z = 3\n", "print(nope)\n", "w = 4\n"]}
    values = ValidationGenerator(config, GeneratorContext()).generate(columns, 3).values["lint"]
    assert [row["is_valid"] for row in values] == [True, False, True]
    assert values[1]["b"]["python_linter_messages"][0]["symbol"] == "F821"
    assert values[1]["a"]["is_valid"] is True


def test_sql_code_column_is_flat():
    config = ValidationColumnConfig(
        name="sql_ok",
        target_columns=["q"],
        validator_type="code",
        validator_params={"code_lang": "sql:sqlite"},
    )
    values = ValidationGenerator(config, GeneratorContext()).generate({"q": ["SELECT 1", "SELEC 1"]}, 2).values
    assert [row["is_valid"] for row in values["sql_ok"]] == [True, False]


def test_unreachable_remote_endpoint_yields_none_rows_without_sleeping():
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/v"
    sleeps = []
    config = ValidationColumnConfig(
        name="remote",
        target_columns=["x"],
        validator_type="remote",
        validator_params=RemoteValidatorParams(endpoint_url=url, max_retries=1, max_parallel_requests=2),
        batch_size=1,
    )
    generator = ValidationGenerator(config, GeneratorContext(), sleep=sleeps.append)
    assert generator.generate({"x": [1, 2]}, 2).values == {"remote": [{"is_valid": None}, {"is_valid": None}]}
    assert sleeps == [2.0, 2.0]
