from __future__ import annotations

import json
import math

import numpy as np
import pandas as pd
import pytest

import data_designer.config as dd
from data_designer.analysis import (
    CategoricalDistribution,
    ColumnDistributionType,
    DatasetProfilerResults,
    GeneralColumnStatistics,
    LLMJudgeColumnStatistics,
    LLMTextColumnStatistics,
    MissingValue,
    NumericalDistribution,
    SamplerColumnStatistics,
    ValidationColumnStatistics,
    profile_column,
    profile_dataset,
)
from data_designer.analysis import column_math as cm
from data_designer.errors import DataDesignerProfilingError


def _stats_by_name(results: DatasetProfilerResults) -> dict[str, GeneralColumnStatistics]:
    return {s.column_name: s for s in results.column_statistics}


def _judge_config() -> dd.LLMJudgeColumnConfig:
    return dd.LLMJudgeColumnConfig(
        name="judge",
        prompt="Judge {{ text }}",
        model_alias="m",
        scores=[
            dd.Score(name="quality", description="q", options={1: "bad", 2: "ok", 3: "good"}),
            dd.Score(name="tone", description="t", options={"formal": "f", "casual": "c"}),
        ],
    )


def test_general_statistics_count_nulls_uniques_and_dtypes_with_numpy_values():
    df = pd.DataFrame({"x": pd.Series([np.int64(1), np.int64(1), np.int64(2), None], dtype=object)})
    stats = profile_column(df, "x")
    assert stats.column_type == "general"
    assert (stats.num_records, stats.num_null, stats.num_unique) == (4, 1, 2)
    assert stats.simple_dtype == "int"
    assert stats.pyarrow_dtype == "int64"
    assert stats.percent_null == pytest.approx(25.0)
    assert stats.percent_unique == pytest.approx(50.0)


def test_unique_count_hashes_dict_and_list_values_by_json():
    df = pd.DataFrame({"x": [{"a": 1, "b": [1, 2]}, {"b": [1, 2], "a": 1}, [1, 2], np.array([1, 2]), None]})
    stats = profile_column(df, "x")
    assert stats.num_unique == 2  # the two dicts are equal; the list and the array are equal
    assert stats.num_null == 1


def test_statistic_that_cannot_be_computed_becomes_missing_value():
    df = pd.DataFrame({"x": [[1, 2], "text", None]})  # pyarrow cannot build one array from list + str
    stats = profile_column(df, "x")
    assert stats.pyarrow_dtype is MissingValue.CALCULATION_FAILED
    assert stats.simple_dtype == "mixed"
    assert stats.model_dump(mode="json")["pyarrow_dtype"] == "--"


def test_compute_or_missing_turns_exceptions_and_nan_into_missing():
    assert cm.compute_or_missing(lambda: 1 / 0, what="x") is MissingValue.CALCULATION_FAILED
    assert cm.compute_or_missing(lambda: float("nan"), what="x") is MissingValue.CALCULATION_FAILED
    assert cm.compute_or_missing(lambda: 3, what="x") == 3


def test_empty_column_has_missing_token_stats_but_counts():
    df = pd.DataFrame({"t": pd.Series([None, None], dtype=object)})
    config = dd.LLMTextColumnConfig(name="t", prompt="hi", model_alias="m")
    stats = profile_column(df, "t", config)
    assert isinstance(stats, LLMTextColumnStatistics)
    assert stats.num_null == 2 and stats.num_unique == 0
    assert stats.output_tokens_mean is MissingValue.CALCULATION_FAILED
    assert stats.simple_dtype == "null"


def test_llm_token_estimates_use_chars_over_four_and_render_prompts_per_row():
    df = pd.DataFrame({"topic": ["ab", "abcdefghij"], "text": ["x" * 8, "y" * 13]})
    config = dd.LLMTextColumnConfig(name="text", prompt="{{ topic }}", system_prompt="abcd", model_alias="m")
    stats = profile_column(df, "text", config)
    # outputs: ceil(8/4)=2, ceil(13/4)=4
    assert stats.output_tokens_mean == pytest.approx(3.0)
    assert stats.output_tokens_median == pytest.approx(3.0)
    assert stats.output_tokens_stddev == pytest.approx(1.0)
    # inputs: system 1 token + rendered prompt ceil(2/4)=1 / ceil(10/4)=3
    assert stats.input_tokens_mean == pytest.approx(3.0)
    assert stats.input_tokens_stddev == pytest.approx(1.0)


def test_prompt_referencing_absent_column_falls_back_to_template_length():
    df = pd.DataFrame({"text": ["abcd"]})
    config = dd.LLMTextColumnConfig(name="text", prompt="{{ gone.field }}", model_alias="m")
    stats = profile_column(df, "text", config)
    assert stats.input_tokens_mean == pytest.approx(math.ceil(len("{{ gone.field }}") / 4))


def test_structured_values_are_measured_as_json_text():
    df = pd.DataFrame({"s": [{"answer": "abc"}]})
    config = dd.LLMStructuredColumnConfig(name="s", prompt="p", model_alias="m", output_format={"type": "object"})
    stats = profile_column(df, "s", config)
    assert stats.column_type == "llm-structured"
    assert stats.output_tokens_mean == math.ceil(len(json.dumps({"answer": "abc"})) / 4)


def test_categorical_sampler_histogram_follows_config_values_and_keeps_zero_counts():
    config = dd.SamplerColumnConfig(name="c", sampler_type="category", params={"values": ["a", "b", "c"]})
    df = pd.DataFrame({"c": ["b", "b", "a", None]})
    stats = profile_column(df, "c", config)
    assert isinstance(stats, SamplerColumnStatistics)
    assert stats.sampler_type == "category"
    assert stats.distribution_type is ColumnDistributionType.CATEGORICAL
    assert isinstance(stats.distribution, CategoricalDistribution)
    assert stats.distribution.histogram.categories == ["a", "b", "c"]
    assert stats.distribution.histogram.counts == [1, 2, 0]
    assert stats.distribution.most_common[0] == ("b", 2)
    assert stats.distribution.least_common[0] == ("a", 1)


def test_numerical_sampler_distribution_handles_numpy_scalars():
    config = dd.SamplerColumnConfig(name="n", sampler_type="uniform", params={"low": 0, "high": 10})
    df = pd.DataFrame({"n": pd.Series([np.float32(1.0), np.int64(3), 5.0, None], dtype=object)})
    stats = profile_column(df, "n", config)
    assert stats.distribution_type is ColumnDistributionType.NUMERICAL
    dist = stats.distribution
    assert isinstance(dist, NumericalDistribution)
    assert (dist.min, dist.max, dist.mean, dist.median) == (1.0, 5.0, 3.0, 3.0)
    assert dist.stddev == pytest.approx(np.std([1.0, 3.0, 5.0]))


def test_uuid_sampler_has_no_distribution():
    config = dd.SamplerColumnConfig(name="u", sampler_type="uuid", params={})
    stats = profile_column(pd.DataFrame({"u": ["a-1", "b-2"]}), "u", config)
    assert stats.distribution_type is ColumnDistributionType.OTHER
    assert stats.distribution is None
    assert stats.num_unique == 2


def test_judge_score_distributions_per_score_name():
    values = [
        {"quality": {"reasoning": "r", "score": 3}, "tone": {"reasoning": "r", "score": "formal"}},
        {"quality": {"reasoning": "r", "score": 1}, "tone": {"reasoning": "r", "score": "formal"}},
        json.dumps({"quality": {"reasoning": "r", "score": "3"}, "tone": {"reasoning": "r", "score": "casual"}}),
        None,
    ]
    df = pd.DataFrame({"text": ["a", "b", "c", "d"], "judge": values})
    stats = profile_column(df, "judge", _judge_config())
    assert isinstance(stats, LLMJudgeColumnStatistics)
    quality = stats.score_distributions["quality"]
    assert quality.histogram.categories == [1, 2, 3]
    assert quality.histogram.counts == [1, 0, 2]  # "3" from JSON text is matched to option 3
    tone = stats.score_distributions["tone"]
    assert dict(zip(tone.histogram.categories, tone.histogram.counts, strict=True)) == {"formal": 2, "casual": 1}
    assert stats.input_tokens_mean != MissingValue.CALCULATION_FAILED


def test_validation_counts_valid_records_from_dicts_and_json_text():
    config = dd.ValidationColumnConfig(
        name="v", target_columns=["code"], validator_type="code", validator_params={"code_lang": "python"}
    )
    df = pd.DataFrame({"v": [{"is_valid": True}, {"is_valid": False, "error": "x"}, '{"is_valid": true}', None]})
    stats = profile_column(df, "v", config)
    assert isinstance(stats, ValidationColumnStatistics)
    assert stats.num_valid_records == 2
    assert stats.percent_valid == pytest.approx(50.0)


def test_profile_dataset_dispatches_by_config_and_skips_side_effect_columns():
    columns = [
        dd.SamplerColumnConfig(name="c", sampler_type="category", params={"values": ["a", "b"]}),
        dd.LLMTextColumnConfig(name="t", prompt="{{ c }}", model_alias="m", with_trace="all_messages"),
        dd.ExpressionColumnConfig(name="e", expr="{{ c }}!"),
        dd.LLMTextColumnConfig(name="dropped", prompt="x", model_alias="m", drop=True),
    ]
    df = pd.DataFrame(
        {
            "seed": [1, 2, 3],
            "c": ["a", "b", "a"],
            "t": ["x", "y", "z"],
            "t__trace": [[{"role": "user", "content": "a"}]] * 3,
            "e": ["a!", "b!", "a!"],
            "extra": [1.5, 2.5, None],
        }
    )
    results = profile_dataset(df, columns=columns, target_num_records=4, seed_column_names=["seed"])
    by_name = _stats_by_name(results)
    assert list(by_name) == ["seed", "c", "t", "e", "extra"]
    assert [by_name[n].column_type for n in by_name] == ["seed-dataset", "sampler", "llm-text", "expression", "general"]
    assert results.side_effect_column_names == ["t__trace"]
    assert results.num_records == 3 and results.target_num_records == 4
    assert results.percent_complete == pytest.approx(75.0)


def test_percent_complete_with_zero_target_is_full():
    results = DatasetProfilerResults(num_records=0, target_num_records=0)
    assert results.percent_complete == 100.0


def test_results_to_dict_is_json_and_round_trips_with_subclasses():
    columns = [
        dd.SamplerColumnConfig(name="n", sampler_type="gaussian", params={"mean": 0, "stddev": 1}),
        _judge_config(),
    ]
    df = pd.DataFrame(
        {
            "n": [0.1, -0.2],
            "text": ["a", "b"],
            "judge": [{"quality": {"score": 2, "reasoning": "r"}}, {"quality": {"score": 3, "reasoning": "r"}}],
            "emb": [[0.1, 0.2], [0.3, 0.4]],
        }
    )
    results = profile_dataset(
        df,
        columns=[*columns, dd.EmbeddingColumnConfig(name="emb", target_column="text", model_alias="e")],
        target_num_records=2,
    )
    data = json.loads(json.dumps(results.to_dict()))
    restored = DatasetProfilerResults.model_validate(data)
    assert restored == results
    types = [type(s).__name__ for s in restored.column_statistics]
    assert types == [
        "SamplerColumnStatistics",
        "GeneralColumnStatistics",
        "LLMJudgeColumnStatistics",
        "GeneralColumnStatistics",
    ]
    assert restored.column_statistics[-1].column_type == "embedding"


def test_profile_dataset_rejects_bad_inputs_with_clear_errors():
    with pytest.raises(DataDesignerProfilingError, match="pandas DataFrame"):
        profile_dataset([{"a": 1}], columns=[], target_num_records=1)  # type: ignore[arg-type]
    with pytest.raises(DataDesignerProfilingError, match="target_num_records"):
        profile_dataset(pd.DataFrame({"a": [1]}), columns=[], target_num_records=-1)


def test_categorical_distribution_ranks_by_count_then_first_seen():
    dist = cm.build_categorical_distribution(["x", "y", "y", "z", "x", "w"])
    assert dist.most_common[:2] == [("x", 2), ("y", 2)]
    assert dist.least_common[0] == ("w", 1)
    assert sum(dist.histogram.counts) == 6


def test_estimate_tokens_rounds_up():
    assert cm.estimate_tokens("") == 0
    assert cm.estimate_tokens("a") == 1
    assert cm.estimate_tokens("abcd") == 1
    assert cm.estimate_tokens("abcde") == 2
