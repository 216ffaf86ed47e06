"""Datetime and timedelta samplers."""

from __future__ import annotations

from datetime import datetime, timedelta

import numpy as np
import pytest

from data_designer.errors import ConfigCompilationError


def _generate(build, columns, num_rows=2_000, seed=0):
    return build(columns).generate(offset=0, num_rows=num_rows, rng=np.random.default_rng(seed))


def test_datetime_is_iso_and_inside_start_inclusive_end_exclusive(build, sampler):
    out = _generate(build, [sampler("d", "datetime", {"start": "2024-01-01", "end": "2024-01-04"})])
    parsed = {datetime.fromisoformat(v) for v in out["d"]}
    assert parsed == {datetime(2024, 1, 1), datetime(2024, 1, 2), datetime(2024, 1, 3)}
    assert out["d"][0].count("T") == 1


@pytest.mark.parametrize(
    ("unit", "start", "end", "expected"),
    [
        ("Y", "2019-06-01", "2022-01-01", {"2020", "2021"}),
        ("M", "2024-01-15", "2024-04-01", {"2024-02", "2024-03"}),
        ("h", "2024-01-01T22:00", "2024-01-02T01:00", {"22", "23", "00"}),
    ],
)
def test_datetime_values_lie_on_unit_boundaries(build, sampler, unit, start, end, expected):
    fmt = {"Y": "%Y", "M": "%Y-%m", "h": "%H"}[unit]
    out = _generate(build, [sampler("d", "datetime", {"start": start, "end": end, "unit": unit}, convert_to=fmt)])
    assert set(out["d"]) == expected


def test_datetime_strftime_convert_to(build, sampler):
    out = _generate(
        build, [sampler("d", "datetime", {"start": "2024-03-01", "end": "2024-03-02"}, convert_to="%d/%m/%Y")], 5
    )
    assert out["d"] == ["01/03/2024"] * 5


def test_datetime_range_without_a_unit_boundary_is_rejected(build, sampler):
    with pytest.raises(ConfigCompilationError, match="'d'.*no 'Y' boundary.*finer unit"):
        build([sampler("d", "datetime", {"start": "2024-02-01", "end": "2024-03-01", "unit": "Y"})])


def test_timedelta_adds_a_delta_in_range_to_its_reference(build, sampler):
    out = _generate(
        build,
        [
            sampler("start", "datetime", {"start": "2024-01-01", "end": "2024-12-31", "unit": "s"}),
            sampler(
                "end",
                "timedelta",
                {"dt_min": 2, "dt_max": 5, "reference_column_name": "start", "unit": "h"},
                convert_to="%Y-%m-%dT%H:%M:%S",
            ),
        ],
    )
    deltas = {
        datetime.fromisoformat(e) - datetime.fromisoformat(s) for s, e in zip(out["start"], out["end"], strict=True)
    }
    assert deltas == {timedelta(hours=2), timedelta(hours=3), timedelta(hours=4)}


def test_timedelta_reference_must_be_a_datetime_column(build, sampler):
    with pytest.raises(ConfigCompilationError, match="'end'.*reference_column_name 'n'.*datetime or timedelta"):
        build(
            [
                sampler("n", "uniform", {"low": 0, "high": 1}),
                sampler("end", "timedelta", {"dt_min": 0, "dt_max": 2, "reference_column_name": "n"}),
            ]
        )


def test_datetime_convert_to_must_be_a_strftime_format(build, sampler):
    with pytest.raises(ConfigCompilationError, match="'d'.*strftime"):
        build([sampler("d", "datetime", {"start": "2024-01-01", "end": "2024-02-01"}, convert_to="int")])
