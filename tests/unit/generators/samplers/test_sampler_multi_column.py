"""SamplerMultiColumnGenerator: ordering, conditional params, constraints, determinism and output shape."""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np
import pytest

from data_designer.config.sampler_constraints import ColumnInequalityConstraint, ScalarInequalityConstraint
from data_designer.config.sampler_params import GaussianSamplerParams, UniformSamplerParams
from data_designer.errors import (
    ConfigCompilationError,
    DAGCircularDependencyError,
    DatasetGenerationError,
    RejectionSamplingError,
)
from data_designer.generators.base import FromScratchGenerator
from data_designer.generators.samplers import SamplerMultiColumnConfig


def _run(generator, num_rows=1_000, seed=0):
    return generator.generate(offset=0, num_rows=num_rows, rng=np.random.default_rng(seed))


def test_config_name_and_output_columns_follow_declaration_order(build, sampler):
    columns = [sampler("b", "uniform", {"low": 0, "high": 1}), sampler("a", "bernoulli", {"p": 0.5})]
    config = SamplerMultiColumnConfig(columns=columns, constraints=[])
    assert config.name == "sampler-columns" and config.output_columns == ["b", "a"]
    assert config.max_rejections_factor == 5
    generator = build(columns)
    assert isinstance(generator, FromScratchGenerator) and generator.strategy == "from_scratch"
    assert generator.output_columns == ["b", "a"]
    assert list(_run(generator, 3)) == ["b", "a"]


def test_same_seed_gives_identical_output_and_other_seed_differs(build, sampler):
    columns = [
        sampler("age", "uniform", {"low": 18, "high": 80}, convert_to="int"),
        sampler("tier", "category", {"values": ["free", "pro"]}, conditional_params={"age > 60": {"values": ["gold"]}}),
        sampler("id", "uuid"),
        sampler("when", "datetime", {"start": "2020-01-01", "end": "2024-01-01"}),
        sampler("person", "person_from_faker", {"locale": "en_GB"}),
    ]
    first, second = _run(build(columns), 200, seed=7), _run(build(columns), 200, seed=7)
    assert np.array_equal(first["age"], second["age"])
    for name in ("tier", "id", "when", "person"):
        assert first[name] == second[name]
    other = _run(build(columns), 200, seed=8)
    assert other["id"] != first["id"] and other["person"] != first["person"]


def test_columns_are_drawn_after_the_columns_they_depend_on(build, sampler):
    generator = build(
        [
            sampler("end", "timedelta", {"dt_min": 1, "dt_max": 2, "reference_column_name": "start"}),
            sampler("city", "subcategory", {"category": "region", "values": {"EU": ["Paris"], "US": ["NYC"]}}),
            sampler("start", "datetime", {"start": "2024-01-01", "end": "2024-02-01"}),
            sampler(
                "region", "category", {"values": ["EU", "US"]}, conditional_params={"flag == 1": {"values": ["US"]}}
            ),
            sampler("flag", "bernoulli", {"p": 0.5}),
        ]
    )
    assert generator._order == ["start", "end", "flag", "region", "city"]
    out = _run(generator, 300)
    assert all((r, c) in {("EU", "Paris"), ("US", "NYC")} for r, c in zip(out["region"], out["city"], strict=True))


def test_cycle_between_sampler_columns_is_reported(build, sampler):
    with pytest.raises(DAGCircularDependencyError, match=r"\['a', 'b'\].*cycle"):
        build(
            [
                sampler("a", "uniform", {"low": 0, "high": 1}, conditional_params={"b > 0.5": {"low": 1, "high": 2}}),
                sampler("b", "uniform", {"low": 0, "high": 1}, conditional_params={"a > 0.5": {"low": 1, "high": 2}}),
            ]
        )


def test_column_constraint_counts_as_a_dependency_for_cycles(build, sampler):
    with pytest.raises(DAGCircularDependencyError):
        build(
            [
                sampler("a", "uniform", {"low": 0, "high": 1}, conditional_params={"b > 0.5": {"low": 1, "high": 2}}),
                sampler("b", "uniform", {"low": 0, "high": 1}),
            ],
            [ColumnInequalityConstraint(target_column="b", rhs="a", operator="gt")],
        )


@pytest.mark.parametrize(
    ("columns", "fragment"),
    [
        (
            [("x", "uniform", {"low": 0, "high": 1}, {"llm_col > 1": {"low": 1, "high": 2}})],
            "'x'.*condition 'llm_col > 1' refers to 'llm_col', which is not a sampler column",
        ),
        (
            [("x", "subcategory", {"category": "nope", "values": {"a": ["b"]}}, {})],
            "'x'.*subcategory parent.*'nope'.*not a sampler column",
        ),
        (
            [("x", "timedelta", {"dt_min": 0, "dt_max": 1, "reference_column_name": "nope"}, {})],
            "'x'.*timedelta reference_column_name refers to 'nope'",
        ),
        (
            [("x", "uniform", {"low": 0, "high": 1}, {"x >": {"low": 1, "high": 2}})],
            "'x'.*condition 'x >' is not a valid expression",
        ),
    ],
)
def test_references_to_unknown_columns_are_rejected(build, sampler, columns, fragment):
    with pytest.raises(ConfigCompilationError, match=fragment):
        build([sampler(name, kind, params, conditional_params=cond) for name, kind, params, cond in columns])


def test_duplicate_sampler_names_are_rejected(build, sampler):
    with pytest.raises(ConfigCompilationError, match=r"unique.*\['x'\]"):
        build([sampler("x", "bernoulli", {"p": 0.1}), sampler("x", "bernoulli", {"p": 0.2})])


# ---------------------------------------------------------------- conditional params
def test_conditional_params_apply_to_matching_rows_first_match_wins(build, sampler):
    generator = build(
        [
            sampler("age", "uniform", {"low": 0, "high": 100}),
            sampler(
                "bucket",
                "category",
                {"values": ["young"]},
                conditional_params={"age > 60": {"values": ["senior"]}, "age > 30": {"values": ["adult"]}},
            ),
        ]
    )
    out = _run(generator, 2_000)
    expected = np.where(out["age"] > 60, "senior", np.where(out["age"] > 30, "adult", "young"))
    assert out["bucket"] == expected.tolist()


def test_conditions_compare_strings_and_support_backticked_names(build, sampler):
    generator = build(
        [
            sampler("home region", "category", {"values": ["EU", "US"]}),
            sampler(
                "price",
                "uniform",
                {"low": 0, "high": 1},
                conditional_params={"`home region` == 'EU'": {"low": 100, "high": 101}},
            ),
        ]
    )
    out = _run(generator, 500)
    eu = np.array(out["home region"]) == "EU"
    assert eu.any() and (~eu).any()
    assert (out["price"][eu] >= 100).all() and (out["price"][~eu] < 1).all()


def test_condition_that_is_not_boolean_fails_with_the_column_name(build, sampler):
    generator = build(
        [
            sampler("a", "uniform", {"low": 0, "high": 1}),
            sampler("b", "uniform", {"low": 0, "high": 1}, conditional_params={"a + 1": {"low": 2, "high": 3}}),
        ]
    )
    with pytest.raises(DatasetGenerationError, match="'b'.*'a \\+ 1'.*True/False"):
        _run(generator, 10)


@dataclass
class _DuckColumn:
    """A SamplerColumnConfig look-alike: the generator only relies on these attributes."""

    name: str
    sampler_type: str
    params: object
    conditional_params: dict = field(default_factory=dict)
    convert_to: str | None = None
    drop: bool = False


def test_duck_typed_columns_work_and_mismatched_conditional_params_are_rejected(build):
    ok = _DuckColumn("x", "uniform", UniformSamplerParams(low=0, high=1))
    assert len(_run(build([ok]), 5)["x"]) == 5
    bad = _DuckColumn(
        "y", "uniform", UniformSamplerParams(low=0, high=1), {"x > 0.5": GaussianSamplerParams(mean=0, stddev=1)}
    )
    with pytest.raises(ConfigCompilationError, match="'y'.*conditional_params\\['x > 0.5'\\].*'gaussian'"):
        build([ok, bad])


# ---------------------------------------------------------------- constraints
def test_scalar_constraint_holds_and_only_violating_rows_are_redrawn(build, sampler):
    columns = [sampler("x", "uniform", {"low": 0, "high": 1}), sampler("other", "uniform", {"low": 0, "high": 1})]
    free = _run(build(columns), 1_000, seed=3)
    constrained = _run(
        build(columns, [ScalarInequalityConstraint(target_column="x", rhs=0.4, operator="ge")]), 1_000, 3
    )
    assert (constrained["x"] >= 0.4).all()
    kept = free["x"] >= 0.4
    assert np.array_equal(constrained["x"][kept], free["x"][kept])
    assert np.array_equal(constrained["other"], free["other"])  # not involved in the constraint


def test_column_constraint_redraws_dependent_columns_too(build, sampler):
    columns = [
        sampler("low", "uniform", {"low": 0, "high": 10}),
        sampler("high", "uniform", {"low": 0, "high": 10}),
        sampler("size", "category", {"values": ["s"]}, conditional_params={"high > 5": {"values": ["l"]}}),
    ]
    out = _run(build(columns, [ColumnInequalityConstraint(target_column="high", rhs="low", operator="gt")]), 2_000)
    assert (out["high"] > out["low"]).all()
    assert out["size"] == np.where(out["high"] > 5, "l", "s").tolist()


def test_column_constraint_between_datetimes(build, sampler):
    columns = [
        sampler("a", "datetime", {"start": "2024-01-01", "end": "2024-03-01"}),
        sampler("b", "datetime", {"start": "2024-01-01", "end": "2024-03-01"}),
    ]
    out = _run(build(columns, [ColumnInequalityConstraint(target_column="b", rhs="a", operator="ge")]), 500)
    assert all(b >= a for a, b in zip(out["a"], out["b"], strict=True))


def test_unsatisfiable_constraint_raises_rejection_error_naming_it(build, sampler):
    generator = build(
        [sampler("x", "uniform", {"low": 0, "high": 1})],
        [ScalarInequalityConstraint(target_column="x", rhs=2, operator="gt")],
        max_rejections_factor=3,
    )
    with pytest.raises(
        RejectionSamplingError, match=r"'x > 2' fails on 100 of 100 rows.*max_rejections_factor=3.*relax"
    ):
        _run(generator, 100)


@pytest.mark.parametrize(
    ("columns", "constraint", "fragment"),
    [
        (
            [("c", "category", {"values": ["a"]}, None)],
            ScalarInequalityConstraint(target_column="c", rhs=1, operator="lt"),
            "'c < 1'.*numeric sampler columns.*c \\(category\\)",
        ),
        (
            [("x", "uniform", {"low": 0, "high": 1}, "str")],
            ScalarInequalityConstraint(target_column="x", rhs=1, operator="lt"),
            "'x'.*convert_to='str'",
        ),
        (
            [("x", "uniform", {"low": 0, "high": 1}, None)],
            ScalarInequalityConstraint(target_column="ghost", rhs=1, operator="lt"),
            "'ghost'.*not a sampler column",
        ),
        (
            [
                ("x", "uniform", {"low": 0, "high": 1}, None),
                ("d", "datetime", {"start": "2024-01-01", "end": "2025-01-01"}, None),
            ],
            ColumnInequalityConstraint(target_column="x", rhs="d", operator="lt"),
            "'x < d'",
        ),
    ],
)
def test_invalid_constraints_are_rejected_at_construction(build, sampler, columns, constraint, fragment):
    configs = [sampler(name, kind, params, convert_to=convert) for name, kind, params, convert in columns]
    with pytest.raises(ConfigCompilationError, match=fragment):
        build(configs, [constraint])


def test_zero_rows_gives_empty_columns(build, sampler):
    out = _run(
        build(
            [
                sampler("x", "uniform", {"low": 0, "high": 1}),
                sampler("d", "datetime", {"start": "2024-01-01", "end": "2024-02-01"}),
            ]
        ),
        0,
    )
    assert len(out["x"]) == 0 and out["d"] == []
