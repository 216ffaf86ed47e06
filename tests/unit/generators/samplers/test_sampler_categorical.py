"""Category and subcategory samplers."""

from __future__ import annotations

from collections import Counter

import numpy as np
import pytest

from data_designer.errors import ConfigCompilationError, DatasetGenerationError


def test_category_follows_weights_and_keeps_value_types(build, sampler):
    generator = build([sampler("c", "category", {"values": ["a", 2, 3.5], "weights": [0.6, 0.3, 0.1]})])
    values = generator.generate(offset=0, num_rows=20_000, rng=np.random.default_rng(0))["c"]
    assert isinstance(values, list)
    counts = Counter(values)
    assert set(counts) == {"a", 2, 3.5}
    assert type(next(v for v in values if v == 2)) is int
    assert counts["a"] / 20_000 == pytest.approx(0.6, abs=0.02)
    assert counts[3.5] / 20_000 == pytest.approx(0.1, abs=0.02)


def test_category_without_weights_is_uniform(build, sampler):
    values = build([sampler("c", "category", {"values": ["x", "y"]})]).generate(
        offset=0, num_rows=10_000, rng=np.random.default_rng(3)
    )["c"]
    assert Counter(values)["x"] / 10_000 == pytest.approx(0.5, abs=0.03)


def test_category_convert_to_int(build, sampler):
    values = build([sampler("c", "category", {"values": ["1", "2"]}, convert_to="int")]).generate(
        offset=0, num_rows=20, rng=np.random.default_rng(0)
    )["c"]
    assert set(values) <= {1, 2} and all(type(v) is int for v in values)


def test_subcategory_draws_from_its_parents_values(build, sampler):
    mapping = {"EU": ["FR", "DE", "IT"], "US": ["NY", "CA"]}
    generator = build(
        [
            sampler("country", "subcategory", {"category": "region", "values": mapping}),
            sampler("region", "category", {"values": ["EU", "US"]}),
        ]
    )
    out = generator.generate(offset=0, num_rows=2_000, rng=np.random.default_rng(1))
    assert all(country in mapping[region] for region, country in zip(out["region"], out["country"], strict=True))
    assert set(out["country"]) == {"FR", "DE", "IT", "NY", "CA"}


def test_subcategory_matches_numeric_parent_values_by_their_string_key(build, sampler):
    generator = build(
        [
            sampler("tier", "category", {"values": [1, 2]}),
            sampler("perk", "subcategory", {"category": "tier", "values": {"1": ["a"], "2": ["b"]}}),
        ]
    )
    out = generator.generate(offset=0, num_rows=100, rng=np.random.default_rng(1))
    assert all({1: "a", 2: "b"}[tier] == perk for tier, perk in zip(out["tier"], out["perk"], strict=True))


def test_subcategory_missing_parent_value_is_rejected_before_generation(build, sampler):
    with pytest.raises(ConfigCompilationError, match=r"'country'.*parent category 'region'.*\['US'\].*params.values"):
        build(
            [
                sampler("region", "category", {"values": ["EU", "US"]}),
                sampler("country", "subcategory", {"category": "region", "values": {"EU": ["FR"]}}),
            ]
        )


def test_subcategory_missing_value_from_non_category_parent_fails_at_generation(build, sampler):
    generator = build(
        [
            sampler("n", "bernoulli", {"p": 0.5}),
            sampler("label", "subcategory", {"category": "n", "values": {"0": ["zero"]}}),
        ]
    )
    with pytest.raises(DatasetGenerationError, match="parent column 'n' produced 1.*add it to the values mapping"):
        generator.generate(offset=0, num_rows=100, rng=np.random.default_rng(0))
