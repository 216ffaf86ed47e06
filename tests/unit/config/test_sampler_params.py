"""Sampler params and sampler constraints: defaults, the discriminated unions, and validation messages."""

from __future__ import annotations

import pytest
from pydantic import TypeAdapter, ValidationError

from data_designer.config import sampler_params as sp
from data_designer.config.sampler_constraints import (
    ColumnConstraintT,
    ColumnInequalityConstraint,
    ConstraintType,
    InequalityOperator,
    ScalarInequalityConstraint,
)

PARAMS = TypeAdapter(sp.SamplerParamsT)
CONSTRAINT = TypeAdapter(ColumnConstraintT)

VALID_PARAMS = {
    "bernoulli": {"p": 0.3},
    "bernoulli_mixture": {"p": 0.3, "dist_name": "expon", "dist_params": {"scale": 2.0}},
    "binomial": {"n": 10, "p": 0.5},
    "category": {"values": ["a", "b"]},
    "datetime": {"start": "2024-01-01", "end": "2024-02-01"},
    "gaussian": {"mean": 0.0, "stddev": 1.0},
    "person": {},
    "person_from_faker": {"locale": "de_DE"},
    "poisson": {"mean": 3.0},
    "scipy": {"dist_name": "gamma", "dist_params": {"a": 2.0}},
    "subcategory": {"category": "region", "values": {"EU": ["FR"]}},
    "timedelta": {"dt_min": 0, "dt_max": 5, "reference_column_name": "start"},
    "uniform": {"low": 0, "high": 1},
    "uuid": {},
}


def test_sampler_type_has_every_inventory_value():
    assert sorted(t.value for t in sp.SamplerType) == sorted(VALID_PARAMS)


@pytest.mark.parametrize("sampler_type", sorted(VALID_PARAMS))
def test_union_resolves_each_type_and_round_trips_through_json(sampler_type):
    params = PARAMS.validate_python({"sampler_type": sampler_type, **VALID_PARAMS[sampler_type]})
    assert params.sampler_type == sampler_type
    dumped = params.model_dump(mode="json")
    assert PARAMS.validate_python(dumped) == params


def test_defaults_match_the_inventory():
    person = sp.PersonSamplerParams()
    assert (person.locale, person.sex, person.city, person.age_range) == ("en_US", None, None, [18, 114])
    assert person.select_field_values is None and person.with_synthetic_personas is False
    assert sp.DatetimeSamplerParams(start="2024-01-01", end="2024-01-02").unit == "D"
    assert sp.TimeDeltaSamplerParams(dt_min=0, dt_max=1, reference_column_name="x").unit == "D"
    uuid = sp.UUIDSamplerParams()
    assert (uuid.prefix, uuid.short_form, uuid.uppercase) == (None, False, False)
    assert sp.UniformSamplerParams(low=0, high=1).decimal_places is None


def test_category_weights_are_normalised_to_sum_one():
    params = sp.CategorySamplerParams(values=["a", "b", "c"], weights=[1, 1, 2])
    assert params.weights == pytest.approx([0.25, 0.25, 0.5])


def _message(exc_info) -> str:
    return str(exc_info.value)


@pytest.mark.parametrize(
    ("cls", "kwargs", "fragments"),
    [
        (sp.CategorySamplerParams, {"values": ["a", "b"], "weights": [1.0]}, ["weights", "one weight per value"]),
        (sp.CategorySamplerParams, {"values": ["a"], "weights": [0.0]}, ["weights", "positive weight"]),
        (sp.CategorySamplerParams, {"values": []}, ["values"]),
        (sp.UniformSamplerParams, {"low": 2, "high": 1}, ["low", "must be less than high"]),
        (sp.UniformSamplerParams, {"low": 1, "high": 1}, ["low", "high"]),
        (sp.TimeDeltaSamplerParams, {"dt_min": 5, "dt_max": 5, "reference_column_name": "x"}, ["dt_max", "dt_min"]),
        (sp.TimeDeltaSamplerParams, {"dt_min": -1, "dt_max": 5, "reference_column_name": "x"}, ["dt_min"]),
        (sp.BernoulliSamplerParams, {"p": 1.5}, ["p", "less than or equal to 1"]),
        (sp.BinomialSamplerParams, {"n": 3, "p": -0.1}, ["p", "greater than or equal to 0"]),
        (sp.ScipySamplerParams, {"dist_name": "nope"}, ["dist_name", "'nope'", "scipy.stats"]),
        (sp.ScipySamplerParams, {"dist_name": "norm", "dist_params": {"scale": -1}}, ["dist_params", "norm"]),
        (sp.BernoulliMixtureSamplerParams, {"p": 0.5, "dist_name": "nope"}, ["dist_name", "scipy.stats"]),
        (sp.DatetimeSamplerParams, {"start": "2024-02-01", "end": "2024-01-01"}, ["start", "before end"]),
        (sp.DatetimeSamplerParams, {"start": "2024-01-01", "end": "2024-01-01"}, ["start", "end"]),
        (sp.DatetimeSamplerParams, {"start": "yesterday-ish", "end": "2024-01-01"}, ["start", "ISO-8601"]),
        (sp.PersonSamplerParams, {"age_range": [30, 20]}, ["age_range", "min_age < max_age"]),
        (sp.PersonSamplerParams, {"age_range": [10, 200]}, ["age_range", "114"]),
        (sp.PersonFromFakerSamplerParams, {"age_range": [1, 2, 3]}, ["age_range", "[min_age, max_age]"]),
        (sp.PersonFromFakerSamplerParams, {"locale": "xx_XX"}, ["locale", "'xx_XX'", "AVAILABLE_LOCALES"]),
        (sp.PersonSamplerParams, {"locale": "de_DE"}, ["locale", "en_US", "hi_Latn_IN", "person_from_faker"]),
        (sp.SubcategorySamplerParams, {"category": "c", "values": {"a": []}}, ["values", "'a'"]),
    ],
)
def test_validation_errors_name_the_field_and_the_fix(cls, kwargs, fragments):
    with pytest.raises(ValidationError) as exc_info:
        cls(**kwargs)
    for fragment in fragments:
        assert fragment in _message(exc_info)


def test_managed_person_locales_are_the_nine_inventory_locales():
    assert set(sp.MANAGED_PERSON_LOCALES) == {
        "en_US", "en_IN", "en_SG", "fr_FR", "hi_Deva_IN", "hi_Latn_IN", "ja_JP", "ko_KR", "pt_BR"
    }  # fmt: skip
    for locale in sp.MANAGED_PERSON_LOCALES:
        assert sp.PersonSamplerParams(locale=locale).locale == locale


def test_every_available_locale_exists_in_installed_faker():
    from faker.config import AVAILABLE_LOCALES as FAKER_LOCALES

    assert len(sp.AVAILABLE_LOCALES) >= 80
    assert set(sp.AVAILABLE_LOCALES) <= set(FAKER_LOCALES)


def test_timezone_aware_bounds_are_compared_in_utc():
    sp.DatetimeSamplerParams(start="2024-01-01T10:00:00+02:00", end="2024-01-01T09:00:00+00:00")
    with pytest.raises(ValidationError):
        sp.DatetimeSamplerParams(start="2024-01-01T10:00:00+00:00", end="2024-01-01T11:00:00+02:00")


def test_extra_fields_are_forbidden():
    with pytest.raises(ValidationError, match="extra"):
        sp.UniformSamplerParams(low=0, high=1, lo=3)


# ---------------------------------------------------------------- constraints
def test_constraint_enums_have_inventory_values():
    assert [c.value for c in ConstraintType] == ["scalar_inequality", "column_inequality"]
    assert [o.value for o in InequalityOperator] == ["lt", "le", "gt", "ge"]


@pytest.mark.parametrize(
    ("data", "cls"),
    [
        ({"target_column": "a", "rhs": 3, "operator": "lt"}, ScalarInequalityConstraint),
        ({"target_column": "a", "rhs": 2.5, "operator": "lt"}, ScalarInequalityConstraint),
        ({"target_column": "a", "rhs": "2.5", "operator": "ge"}, ScalarInequalityConstraint),
        ({"target_column": "a", "rhs": "1e3", "operator": "ge"}, ScalarInequalityConstraint),
        ({"target_column": "a", "rhs": "b", "operator": "gt"}, ColumnInequalityConstraint),
        ({"constraint_type": "column_inequality", "target_column": "a", "rhs": "b", "operator": "le"},
         ColumnInequalityConstraint),
        ({"constraint_type": "scalar_inequality", "target_column": "a", "rhs": 1, "operator": "le"},
         ScalarInequalityConstraint),
    ],
)  # fmt: skip
def test_legacy_constraint_dicts_are_classified_by_rhs(data, cls):
    constraint = CONSTRAINT.validate_python(data)
    assert isinstance(constraint, cls)
    assert CONSTRAINT.validate_python(constraint.model_dump(mode="json")) == constraint


def test_scalar_string_rhs_becomes_a_float():
    constraint = CONSTRAINT.validate_python({"target_column": "a", "rhs": "2.5", "operator": "lt"})
    assert constraint.rhs == 2.5 and constraint.describe() == "a < 2.5"


def test_column_constraint_against_itself_is_rejected():
    with pytest.raises(ValidationError, match="compares the column with itself"):
        ColumnInequalityConstraint(target_column="a", rhs="a", operator="lt")


def test_constraint_operator_serialises_as_value():
    constraint = ScalarInequalityConstraint(target_column="a", rhs=1, operator=InequalityOperator.GE)
    assert constraint.model_dump(mode="json")["operator"] == "ge"
    assert constraint.referenced_columns == ["a"]
