"""``DataDesignerConfigBuilder`` methods, config files written and re-read, and the ``fingerprint()`` rules."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import yaml

import data_designer.config as dd
from data_designer import errors


def _two_column_builder() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 10})
    builder.add_column(name="y", column_type="expression", expr="{{ x * 2 }}", dtype="float")
    return builder


def test_add_column_kwargs_shorthand_equals_the_config_object() -> None:
    shorthand = dd.DataDesignerConfigBuilder(model_configs=[]).add_column(
        name="x", column_type=dd.DataDesignerColumnType.SAMPLER, sampler_type="uniform", params={"low": 0, "high": 1}
    )
    explicit = dd.DataDesignerConfigBuilder(model_configs=[]).add_column(
        dd.SamplerColumnConfig(
            name="x", sampler_type=dd.SamplerType.UNIFORM, params=dd.UniformSamplerParams(low=0, high=1)
        )
    )
    assert shorthand.build().to_dict() == explicit.build().to_dict()
    assert isinstance(shorthand.get_column_config("x"), dd.SamplerColumnConfig)


def test_add_column_with_the_same_name_replaces_it() -> None:
    builder = _two_column_builder()
    builder.add_column(name="y", column_type="expression", expr="{{ x + 1 }}")
    assert [c.name for c in builder.get_column_configs()] == ["x", "y"]
    assert builder.get_column_config("y").expr == "{{ x + 1 }}"


def test_add_column_with_an_unknown_column_type_names_the_choices() -> None:
    with pytest.raises(errors.InvalidConfigError) as exc:
        dd.DataDesignerConfigBuilder(model_configs=[]).add_column(name="z", column_type="llm_text", prompt="p")
    assert "'z'" in str(exc.value) and "llm-text" in str(exc.value)


def test_delete_column_and_type_queries() -> None:
    builder = _two_column_builder()
    builder.add_column(name="z", column_type="expression", expr="{{ y }}")
    assert [c.name for c in builder.get_columns_of_type(dd.DataDesignerColumnType.EXPRESSION)] == ["y", "z"]
    assert [c.name for c in builder.get_columns_of_type("sampler")] == ["x"]
    assert builder.num_columns_of_type("expression") == 2
    assert [c.name for c in builder.get_columns_excluding_type("expression")] == ["x"]
    builder.delete_column("z")
    assert builder.num_columns_of_type(dd.DataDesignerColumnType.EXPRESSION) == 1
    with pytest.raises(errors.BuilderConfigurationError, match="'nope'"):
        builder.delete_column("nope")


def test_add_and_delete_constraints() -> None:
    builder = _two_column_builder()
    builder.add_column(name="w", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 10})
    builder.add_constraint(constraint_type="scalar_inequality", target_column="x", rhs=5, operator="lt")
    builder.add_constraint(dd.ColumnInequalityConstraint(target_column="w", rhs="x", operator="ge"))
    assert isinstance(builder.get_constraints("x")[0], dd.ScalarInequalityConstraint)
    assert len(builder.get_constraints()) == 2
    builder.delete_constraints("x")
    assert builder.get_constraints("x") == []
    assert [c.target_column for c in builder.get_constraints()] == ["w"]


def test_get_builder_config_carries_the_library_version() -> None:
    builder_config = _two_column_builder().get_builder_config()
    assert isinstance(builder_config, dd.BuilderConfig)
    assert builder_config.library_version == dd.get_library_version()
    assert isinstance(builder_config.data_designer, dd.DataDesignerConfig)


@pytest.mark.parametrize("suffix", [".yaml", ".yml", ".json"])
def test_write_config_and_read_it_back(tmp_path: Path, suffix: str) -> None:
    builder = _two_column_builder()
    builder.add_constraint(dd.ScalarInequalityConstraint(target_column="x", rhs=5, operator="lt"))
    builder.add_processor(dd.SchemaTransformProcessorConfig(name="shape", template={"value": "{{ y }}"}))
    path = tmp_path / f"config{suffix}"
    builder.write_config(path)
    text = path.read_text(encoding="utf-8")
    raw = json.loads(text) if suffix == ".json" else yaml.safe_load(text)
    assert set(raw) == {"data_designer", "library_version"}
    assert raw["data_designer"]["columns"][0]["column_type"] == "sampler"
    reread = dd.DataDesignerConfigBuilder.from_config(path)
    assert reread.build().to_dict() == builder.build().to_dict()


def test_write_config_refuses_other_suffixes(tmp_path: Path) -> None:
    with pytest.raises(errors.BuilderSerializationError, match=".yaml"):
        _two_column_builder().write_config(tmp_path / "config.toml")


def test_from_config_accepts_the_envelope_the_shorthand_and_objects() -> None:
    builder = _two_column_builder()
    expected = builder.build().to_dict()
    envelope = {"data_designer": expected, "library_version": dd.get_library_version()}
    shorthand = {"columns": expected["columns"]}
    assert dd.DataDesignerConfigBuilder.from_config(envelope).build().to_dict() == expected
    assert dd.DataDesignerConfigBuilder.from_config(shorthand).build().to_dict() == expected
    assert dd.DataDesignerConfigBuilder.from_config(builder.get_builder_config()).build().to_dict() == expected


def test_from_config_without_columns_says_what_is_missing() -> None:
    with pytest.raises(errors.BuilderSerializationError, match="columns"):
        dd.DataDesignerConfigBuilder.from_config({"model_configs": []})


def test_drop_columns_processor_marks_matching_columns_dropped() -> None:
    builder = _two_column_builder()
    builder.add_column(name="x_tmp", column_type="expression", expr="{{ x }}")
    builder.add_processor(dd.DropColumnsProcessorConfig(name="drop_tmp", column_names=["*_tmp"]))
    assert builder.get_column_config("x_tmp").drop is True
    assert builder.get_column_config("x").drop is False
    assert [p.name for p in builder.get_processor_configs()] == ["drop_tmp"]


# ---------------------------------------------------------------- fingerprint
def _model(alias: str, **inference) -> dd.ModelConfig:
    return dd.ModelConfig(
        alias=alias,
        model=f"org/{alias}",
        provider="nvidia",
        inference_parameters=dd.ChatCompletionInferenceParams(temperature=0.5, **inference),
    )


def _fingerprinted(models: list[dd.ModelConfig], expr: str = "{{ x * 2 }}") -> dict:
    builder = dd.DataDesignerConfigBuilder(model_configs=models)
    builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 10})
    builder.add_column(name="y", column_type="expression", expr=expr)
    return builder.build().fingerprint()


def test_fingerprint_shape() -> None:
    fingerprint = _fingerprinted([_model("a")])
    assert fingerprint["config_hash"].startswith("sha256:")
    assert len(fingerprint["config_hash"]) == len("sha256:") + 64
    assert fingerprint["config_hash_algo"] == "sha256"
    assert fingerprint["config_hash_version"] == 2


def test_fingerprint_is_stable_across_model_order() -> None:
    assert _fingerprinted([_model("a"), _model("b")]) == _fingerprinted([_model("b"), _model("a")])


def test_fingerprint_ignores_throughput_and_health_check_settings() -> None:
    base = _fingerprinted([_model("a")])
    tuned = dd.ModelConfig(
        alias="a",
        model="org/a",
        provider="nvidia",
        skip_health_check=True,
        inference_parameters=dd.ChatCompletionInferenceParams(temperature=0.5, max_parallel_requests=64, timeout=5),
    )
    assert _fingerprinted([tuned]) == base


def test_fingerprint_changes_when_a_column_or_sampling_setting_changes() -> None:
    base = _fingerprinted([_model("a")])
    assert _fingerprinted([_model("a")], expr="{{ x * 3 }}") != base
    assert _fingerprinted([_model("a", max_tokens=10)]) != base


def test_fingerprint_ignores_profilers() -> None:
    builder = _two_column_builder()
    before = builder.build().fingerprint()
    builder.add_profiler(dd.JudgeScoreProfilerConfig(model_alias="judge"))
    assert builder.build().fingerprint() == before
