"""Numeric samplers: distributions, rounding, convert_to, and that generation is vectorised."""

from __future__ import annotations

import sys

import numpy as np
import pytest
from scipy import stats

N = 20_000


def _values(build, sampler, sampler_type, params, num_rows=N, seed=0, **kwargs):
    generator = build([sampler("x", sampler_type, params, **kwargs)])
    return generator.generate(offset=0, num_rows=num_rows, rng=np.random.default_rng(seed))["x"]


def test_bernoulli_is_zero_or_one_with_rate_p(build, sampler):
    values = _values(build, sampler, "bernoulli", {"p": 0.3})
    assert isinstance(values, np.ndarray) and values.dtype == np.int64
    assert set(np.unique(values)) == {0, 1}
    assert values.mean() == pytest.approx(0.3, abs=0.02)


def test_bernoulli_mixture_is_zero_with_probability_one_minus_p(build, sampler):
    values = _values(
        build, sampler, "bernoulli_mixture", {"p": 0.25, "dist_name": "uniform", "dist_params": {"loc": 5}}
    )
    nonzero = values[values != 0]
    assert nonzero.size / N == pytest.approx(0.25, abs=0.02)
    assert nonzero.min() >= 5 and nonzero.max() <= 6


def test_binomial_and_poisson_means(build, sampler):
    binomial = _values(build, sampler, "binomial", {"n": 10, "p": 0.4})
    assert binomial.dtype == np.int64 and binomial.min() >= 0 and binomial.max() <= 10
    assert binomial.mean() == pytest.approx(4.0, abs=0.1)
    poisson = _values(build, sampler, "poisson", {"mean": 7})
    assert poisson.dtype == np.int64 and poisson.mean() == pytest.approx(7, abs=0.15)


def test_gaussian_moments_and_decimal_places(build, sampler):
    values = _values(build, sampler, "gaussian", {"mean": 10, "stddev": 2, "decimal_places": 1})
    assert values.mean() == pytest.approx(10, abs=0.1) and values.std() == pytest.approx(2, abs=0.1)
    assert np.allclose(values, np.round(values, 1))


def test_scipy_distribution_matches_its_cdf(build, sampler):
    values = _values(build, sampler, "scipy", {"dist_name": "gamma", "dist_params": {"a": 2.0, "scale": 3.0}})
    assert stats.kstest(values, stats.gamma(a=2.0, scale=3.0).cdf).pvalue > 1e-3


def test_discrete_scipy_distribution_stays_integer(build, sampler):
    values = _values(build, sampler, "scipy", {"dist_name": "poisson", "dist_params": {"mu": 2}}, num_rows=100)
    assert values.dtype == np.int64


def test_uniform_stays_in_half_open_range(build, sampler):
    values = _values(build, sampler, "uniform", {"low": -1, "high": 1})
    assert values.min() >= -1 and values.max() < 1
    assert values.mean() == pytest.approx(0, abs=0.03)


@pytest.mark.parametrize(
    ("convert_to", "check"),
    [
        ("int", lambda v: isinstance(v, np.ndarray) and v.dtype == np.int64),
        ("float", lambda v: isinstance(v, np.ndarray) and v.dtype == np.float64),
        ("str", lambda v: isinstance(v, list) and all(isinstance(x, str) for x in v)),
    ],
)
def test_numeric_convert_to(build, sampler, convert_to, check):
    values = _values(build, sampler, "uniform", {"low": 0, "high": 10}, num_rows=50, convert_to=convert_to)
    assert check(values)


def test_convert_to_int_rounds_to_nearest(build, sampler):
    values = _values(build, sampler, "uniform", {"low": 0, "high": 1}, num_rows=5000, convert_to="int")
    assert set(np.unique(values)) == {0, 1}


def test_unknown_numeric_convert_to_is_rejected_at_construction(build, sampler):
    from data_designer.errors import ConfigCompilationError

    with pytest.raises(ConfigCompilationError, match="'x'.*convert_to='bool'.*'int', 'float', 'str'"):
        build([sampler("x", "uniform", {"low": 0, "high": 1}, convert_to="bool")])


def _count_python_calls(fn) -> int:
    calls = 0

    def _profile(frame, event, arg):
        nonlocal calls
        if event in ("call", "c_call"):
            calls += 1

    sys.setprofile(_profile)
    try:
        fn()
    finally:
        sys.setprofile(None)
    return calls


def test_numeric_generation_does_not_loop_over_rows(build, sampler):
    """The number of Python/C calls made must not grow with the number of rows (100k vs 1k)."""
    columns = [
        sampler("a", "bernoulli", {"p": 0.5}),
        sampler("b", "bernoulli_mixture", {"p": 0.5, "dist_name": "expon"}),
        sampler("c", "binomial", {"n": 5, "p": 0.5}),
        sampler("d", "gaussian", {"mean": 0, "stddev": 1, "decimal_places": 2}),
        sampler("e", "poisson", {"mean": 3}),
        sampler("f", "scipy", {"dist_name": "beta", "dist_params": {"a": 2, "b": 3}}),
        sampler("g", "uniform", {"low": 0, "high": 1}, convert_to="int"),
        sampler("h", "uniform", {"low": 0, "high": 1}, conditional_params={"a == 1": {"low": 5, "high": 6}}),
    ]
    generator = build(columns)
    generator.generate(offset=0, num_rows=10, rng=np.random.default_rng(0))  # warm caches / lazy imports
    small = _count_python_calls(lambda: generator.generate(offset=0, num_rows=1_000, rng=np.random.default_rng(1)))
    out: dict = {}
    large = _count_python_calls(
        lambda: out.update(generator.generate(offset=0, num_rows=100_000, rng=np.random.default_rng(1)))
    )
    assert all(len(values) == 100_000 for values in out.values())
    assert large <= small * 1.1 + 50
