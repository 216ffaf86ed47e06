"""Parsing and evaluating conditional_params conditions."""

from __future__ import annotations

import numpy as np
import pytest

from data_designer.errors import ConfigCompilationError
from data_designer.generators.samplers.conditions import referenced_columns, select_rows


@pytest.mark.parametrize(
    ("condition", "expected"),
    [
        ("age > 21", {"age"}),
        ("region == 'EU' and tier != 'free'", {"region", "tier"}),
        ("(a > 1) | (b < 2)", {"a", "b"}),
        ("`home region` in ['EU', 'UK']", {"home region"}),
        ("abs(delta) > 1", {"delta"}),
        ("score > 0 and flag == True", {"score", "flag"}),
    ],
)
def test_referenced_columns(condition, expected):
    assert referenced_columns(condition, column="c") == expected


def test_condition_without_columns_is_rejected():
    with pytest.raises(ConfigCompilationError, match="'c'.*references no column"):
        referenced_columns("1 > 0", column="c")


def test_select_rows_is_vectorised_over_the_frame():
    frame = {"age": np.array([10, 30, 50]), "region": np.array(["EU", "US", "EU"], dtype=object)}
    assert select_rows("age > 21 and region == 'EU'", frame, 3, column="c").tolist() == [False, False, True]
