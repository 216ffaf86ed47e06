"""Regression tests for hangs and silent losses found in review; each once hung or lost rows."""

from __future__ import annotations

import pandas as pd
import pytest

import data_designer.config as dd
from data_designer.errors import DataDesignerError, ModelRateLimitError
from data_designer.interface import DataDesigner, ResumeMode

pytestmark = pytest.mark.timeout(60)


def _designer(tmp_path, **run_config) -> DataDesigner:
    designer = DataDesigner(artifact_path=tmp_path)
    designer.set_run_config(dd.RunConfig(**{"buffer_size": 10, "seed": 5, **run_config}))
    return designer


def _numbers(n_values=(0, 1, 2, 3)) -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="n", column_type="sampler", sampler_type="category", params={"values": list(n_values)})
    return builder


@dd.custom_column_generator(required_columns=["n"])
def _echo(row):
    return {"echo": f"n={row['n']}"}


def test_a_row_group_whose_last_cells_are_skipped_finishes(tmp_path):
    builder = _numbers()
    builder.add_column(
        dd.CustomColumnConfig(
            name="echo", generator_function=_echo, skip=dd.SkipConfig(when="{{ n >= 0 }}", value="skipped")
        )
    )
    df = _designer(tmp_path).preview(builder, num_records=8).dataset
    assert list(df["echo"]) == ["skipped"] * 8


@dd.custom_column_generator(required_columns=["n"])
def _int_keys(row):
    return {"int_keys": {1: row["n"], 2: "two"}}


def test_values_with_non_string_dict_keys_are_journaled_and_stored(tmp_path):
    builder = _numbers()
    builder.add_column(dd.CustomColumnConfig(name="int_keys", generator_function=_int_keys))
    results = _designer(tmp_path).create(builder, num_records=20, dataset_name="keys")
    assert results.count_records() == 20


def test_a_skip_condition_that_cannot_render_fails_the_run_instead_of_hanging(tmp_path):
    builder = _numbers()
    builder.add_column(dd.ExpressionColumnConfig(name="e", expr="{{ n }}", skip=dd.SkipConfig(when="{{ n > 'a' }}")))
    with pytest.raises(DataDesignerError):
        _designer(tmp_path).create(builder, num_records=10, dataset_name="bad-skip")


@dd.custom_column_generator(required_columns=["n"])
def _twice(row):
    return [{"a": 1}, {"a": 2}]


@dd.custom_column_generator(required_columns=["a"])
def _keep_first(row):
    return [{"b": row["a"]}] if row["a"] == 1 else []


def test_two_resize_columns_in_one_config(tmp_path):
    builder = _numbers()
    builder.add_column(dd.CustomColumnConfig(name="a", generator_function=_twice, allow_resize=True))
    builder.add_column(dd.CustomColumnConfig(name="b", generator_function=_keep_first, allow_resize=True))
    df = _designer(tmp_path).create(builder, num_records=10, dataset_name="resize2").load_dataset()
    assert len(df) == 10 and set(df["b"]) == {1}


_FLAKY = {"calls": 0}


@dd.custom_column_generator(required_columns=["n"])
def _rate_limited_once(df):
    _FLAKY["calls"] += 1
    if _FLAKY["calls"] == 1:
        raise ModelRateLimitError("simulated 429 inside a full-column function", retry_after=0.01)
    return df.assign(flaky=df["n"] * 10)


def test_a_429_inside_a_full_column_custom_column_drops_no_row(tmp_path):
    _FLAKY["calls"] = 0
    builder = _numbers()
    builder.add_column(
        dd.CustomColumnConfig(
            name="flaky", generator_function=_rate_limited_once, generation_strategy=dd.GenerationStrategy.FULL_COLUMN
        )
    )
    df = _designer(tmp_path).create(builder, num_records=10, dataset_name="flaky").load_dataset()
    assert len(df) == 10 and (df["flaky"] == df["n"] * 10).all()


def test_a_zero_shutdown_rate_does_not_stop_a_run_without_errors(tmp_path):
    builder = _numbers()
    builder.add_column(dd.CustomColumnConfig(name="echo", generator_function=_echo))
    results = _designer(tmp_path, shutdown_error_rate=0.0).create(builder, num_records=40, dataset_name="zero")
    assert results.count_records() == 40


_CALLS = {"n": 0}


@dd.custom_column_generator(required_columns=["i"])
def _fails_first_group(row):
    _CALLS["n"] += 1
    if row["i"] < 10:
        from data_designer.errors import CustomColumnGenerationError

        raise CustomColumnGenerationError("rows of the first group always fail")
    return {"ok": row["i"]}


def test_a_row_group_with_every_row_dropped_is_not_regenerated_on_resume(tmp_path):
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.with_seed_dataset(dd.DataFrameSeedSource(df=pd.DataFrame({"i": list(range(30))})))
    builder.add_column(dd.CustomColumnConfig(name="ok", generator_function=_fails_first_group))
    designer = _designer(tmp_path, disable_early_shutdown=True)
    first = designer.create(builder, num_records=30, dataset_name="holes")
    assert first.count_records() == 20
    calls = _CALLS["n"]
    again = designer.create(builder, num_records=30, dataset_name="holes", resume=ResumeMode.ALWAYS)
    assert again.count_records() == 20 and _CALLS["n"] == calls  # the empty group counts as done
