"""Bad input gives a clear error: the exception class says what kind of problem, the message names the column or
field at fault and how to fix it. One test per kind of mistake listed in the foundation issue."""

from __future__ import annotations

import re
from pathlib import Path

import pandas as pd
import pytest

import data_designer.config as dd
from data_designer import errors


def _lower(exc: pytest.ExceptionInfo) -> str:
    return str(exc.value).lower()


def test_unknown_column_in_template_suggests_closest_name(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="age", column_type="sampler", sampler_type="uniform", params={"low": 1, "high": 5})
    builder.add_column(name="older", column_type="expression", expr="{{ agee + 1 }}")
    with pytest.raises(errors.InvalidConfigError) as exc:
        designer.validate(builder)
    message = str(exc.value)
    assert "'older'" in message
    assert "'agee'" in message
    assert re.search(r"did you mean .?'age'", message)


def test_dependency_cycle_prints_the_cycle(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="a", column_type="expression", expr="{{ b }}")
    builder.add_column(name="b", column_type="expression", expr="{{ a }}")
    with pytest.raises(errors.DAGCircularDependencyError) as exc:
        designer.validate(builder)
    message = str(exc.value)
    assert "a → b → a" in message or "b → a → b" in message
    assert "cycle" in message.lower()


def test_unknown_model_alias_names_the_column_and_the_configured_aliases(designer) -> None:
    model = dd.ModelConfig(alias="other-model", model="some/model", provider="nvidia")
    builder = dd.DataDesignerConfigBuilder(model_configs=[model])
    builder.add_column(name="topic", column_type="sampler", sampler_type="category", params={"values": ["a"]})
    builder.add_column(name="story", column_type="llm-text", prompt="Write about {{ topic }}", model_alias="mine")
    with pytest.raises(errors.InvalidConfigError) as exc:
        designer.validate(builder)
    message = str(exc.value)
    assert "'story'" in message
    assert "'mine'" in message
    assert "other-model" in message
    assert "ModelConfig" in message


def test_unknown_model_alias_fails_create_before_anything_is_generated(designer, tmp_path: Path) -> None:
    model = dd.ModelConfig(alias="other-model", model="some/model", provider="nvidia")
    builder = dd.DataDesignerConfigBuilder(model_configs=[model])
    builder.add_column(name="topic", column_type="sampler", sampler_type="category", params={"values": ["a"]})
    builder.add_column(name="story", column_type="llm-text", prompt="Write about {{ topic }}", model_alias="mine")
    with pytest.raises(errors.InvalidConfigError, match="'mine'"):
        designer.create(builder, num_records=2)
    assert not list((tmp_path / "artifacts").rglob("*.parquet"))


def test_duplicate_column_names_from_config() -> None:
    config = {
        "columns": [
            {"name": "dup", "column_type": "sampler", "sampler_type": "uuid", "params": {}},
            {"name": "dup", "column_type": "expression", "expr": "x{{ other }}"},
        ]
    }
    with pytest.raises(errors.InvalidConfigError) as exc:
        dd.DataDesignerConfigBuilder.from_config(config)
    message = _lower(exc)
    assert "duplicate" in message
    assert "'dup'" in message
    assert "rename" in message or "unique" in message


def test_category_weights_length_mismatch(new_builder) -> None:
    with pytest.raises(errors.InvalidConfigError) as exc:
        new_builder().add_column(
            name="color",
            column_type="sampler",
            sampler_type="category",
            params={"values": ["red", "green", "blue"], "weights": [0.5, 0.5]},
        )
    message = _lower(exc)
    assert "'color'" in message
    assert "weights" in message
    assert "2" in message and "3" in message


def test_uniform_low_not_below_high(new_builder) -> None:
    with pytest.raises(errors.InvalidConfigError) as exc:
        new_builder().add_column(
            name="price", column_type="sampler", sampler_type="uniform", params={"low": 5, "high": 5}
        )
    message = _lower(exc)
    assert "'price'" in message
    assert "low" in message and "high" in message
    assert "less than" in message or "<" in message


def test_subcategory_parent_must_be_a_category_sampler(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="score", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 1})
    builder.add_column(
        name="detail",
        column_type="sampler",
        sampler_type="subcategory",
        params={"category": "score", "values": {"a": ["a1"]}},
    )
    with pytest.raises(errors.InvalidConfigError) as exc:
        designer.validate(builder)
    message = str(exc.value)
    assert "'detail'" in message
    assert "'score'" in message
    assert "category" in message


def test_subcategory_parent_error_is_clear_through_from_config() -> None:
    config = {
        "columns": [
            {"name": "score", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}},
            {
                "name": "detail",
                "column_type": "sampler",
                "sampler_type": "subcategory",
                "params": {"category": "score", "values": {"a": ["a1"]}},
            },
        ]
    }
    with pytest.raises(errors.InvalidConfigError) as exc:
        dd.DataDesignerConfigBuilder.from_config(config)
    message = str(exc.value)
    assert "'detail'" in message and "'score'" in message
    assert "sampler_type='category'" in message


def test_invalid_jinja_syntax_in_expression(new_builder) -> None:
    with pytest.raises(errors.UserJinjaTemplateSyntaxError) as exc:
        new_builder().add_column(name="total", column_type="expression", expr="{{ price + }}")
    message = str(exc.value)
    assert "'total'" in message
    assert "line 1" in message
    assert "{{ price + }}" in message


def test_yaml_parse_error_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("columns:\n  - name: a\n    column_type: sampler\n   bad: [\n", encoding="utf-8")
    with pytest.raises(errors.BuilderSerializationError) as exc:
        dd.DataDesignerConfigBuilder.from_config(path)
    message = str(exc.value)
    assert str(path) in message
    assert "YAML" in message
    assert "line 4" in message


def test_json_parse_error_reports_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.json"
    path.write_text('{\n  "columns": [\n    {"name": "a",}\n  ]\n}\n', encoding="utf-8")
    with pytest.raises(errors.BuilderSerializationError) as exc:
        dd.DataDesignerConfigBuilder.from_config(path)
    message = str(exc.value)
    assert str(path) in message
    assert "JSON" in message
    assert "line 3" in message


def test_unsupported_seed_file_extension(tmp_path: Path) -> None:
    path = tmp_path / "seed.txt"
    path.write_text("a\n1\n", encoding="utf-8")
    with pytest.raises(errors.InvalidFileFormatError) as exc:
        dd.LocalFileSeedSource(path=str(path))
    message = str(exc.value)
    assert "'.txt'" in message
    assert ".parquet" in message and ".csv" in message and ".jsonl" in message


def test_missing_seed_file(tmp_path: Path) -> None:
    path = tmp_path / "absent.parquet"
    with pytest.raises(errors.InvalidFilePathError) as exc:
        dd.DataDesignerConfigBuilder.from_config(
            {"columns": [], "seed_config": {"source": {"seed_type": "local", "path": str(path)}}}
        )
    message = str(exc.value)
    assert str(path) in message
    assert "does not exist" in message


def test_num_records_must_be_positive_for_create(designer, new_builder) -> None:
    builder = new_builder().add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    with pytest.raises(errors.InvalidConfigError, match="num_records") as exc:
        designer.create(builder, num_records=0)
    assert "positive" in str(exc.value)


def test_num_records_must_be_positive_for_preview(designer, new_builder) -> None:
    builder = new_builder().add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    with pytest.raises(errors.InvalidConfigError, match="num_records") as exc:
        designer.preview(builder, num_records=-3)
    assert "positive" in str(exc.value)


def test_buffer_size_must_be_positive_message() -> None:
    with pytest.raises((ValueError, errors.DataDesignerError)) as exc:
        dd.RunConfig(buffer_size=0)
    message = str(exc.value)
    assert "buffer_size" in message
    assert re.search(r"greater than 0|> ?0|>= ?1|positive|at least 1", message)


def test_buffer_size_must_be_positive_is_a_data_designer_error() -> None:
    with pytest.raises(errors.DataDesignerError, match="buffer_size"):
        dd.RunConfig(buffer_size=0)


def test_expression_failing_for_some_rows_drops_only_those_rows(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="x", column_type="sampler", sampler_type="category", params={"values": [0, 1, 2]})
    builder.add_column(name="y", column_type="expression", expr="{{ 10 // x }}", dtype="int")
    results = designer.create(builder, num_records=60)
    df = results.load_dataset()
    assert 0 < len(df) < 60
    assert results.count_records() == len(df)
    assert set(df["x"]) <= {1, 2}
    assert (df["y"] == 10 // df["x"]).all()


def test_expression_failing_for_every_row_aborts_with_the_column_name(designer, new_builder) -> None:
    builder = new_builder()
    builder.add_column(name="x", column_type="sampler", sampler_type="category", params={"values": [0]})
    builder.add_column(name="ratio", column_type="expression", expr="{{ 10 // x }}", dtype="int")
    with pytest.raises(errors.DataDesignerGenerationError) as exc:
        designer.create(builder, num_records=5)
    message = str(exc.value)
    assert "'ratio'" in message
    assert re.search(r"all \d+ rows|every row", message)
    assert "ZeroDivisionError" in message or "division" in message


def test_dataframe_seed_cannot_be_written_to_a_config_file(tmp_path: Path, new_builder) -> None:
    builder = new_builder().with_seed_dataset(dd.DataFrameSeedSource(df=pd.DataFrame({"a": [1]})))
    with pytest.raises(errors.BuilderSerializationError, match="from_dataframe"):
        builder.write_config(tmp_path / "config.yaml")


@pytest.mark.parametrize("option", ["seed_readers", "person_reader", "mcp_providers"])
def test_unsupported_designer_options_are_refused_not_ignored(tmp_path, option):
    from data_designer.errors import InvalidConfigError
    from data_designer.interface import DataDesigner

    with pytest.raises(InvalidConfigError, match=option):
        DataDesigner(artifact_path=tmp_path, **{option: [object()]})
