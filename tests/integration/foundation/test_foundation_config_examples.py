"""Every model-free config example of the inventory (§1.3–§1.6) works three ways: written in Python, written as YAML
and loaded with ``from_config``, and round-tripped through ``build().to_json()``. The YAML and JSON routes must give
exactly the config the Python route builds, and every route must generate data with the documented properties."""

from __future__ import annotations

import json
import re
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pandas as pd
import pytest

import data_designer.config as dd
from data_designer import errors


@dataclass(frozen=True)
class Example:
    name: str
    build: Callable[[dd.DataDesignerConfigBuilder], dd.DataDesignerConfigBuilder]
    yaml: str
    check: Callable[[pd.DataFrame], None]
    num_records: int = 120


def _sampler(name: str, sampler_type: dd.SamplerType, params, **kwargs) -> dd.SamplerColumnConfig:
    return dd.SamplerColumnConfig(name=name, sampler_type=sampler_type, params=params, **kwargs)


# ---------------------------------------------------------------- the 13 model-free sampler types
def _check_bernoulli(df: pd.DataFrame) -> None:
    assert set(df["flag"]) == {0, 1}


def _check_bernoulli_mixture(df: pd.DataFrame) -> None:
    values = df["amount"]
    assert (values == 0).any()
    non_zero = values[values != 0]
    assert len(non_zero) > 0
    assert non_zero.between(4, 16).all()


def _check_binomial(df: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(df["heads"])
    assert df["heads"].between(0, 10).all()


def _check_category(df: pd.DataFrame) -> None:
    assert set(df["color"]) == {"red", "green"}


def _check_datetime(df: pd.DataFrame) -> None:
    stamps = pd.to_datetime(df["day"])
    assert (stamps >= pd.Timestamp("2024-01-01")).all()
    assert (stamps < pd.Timestamp("2024-02-01")).all()
    assert (stamps == stamps.dt.normalize()).all()  # unit D: whole days


def _check_gaussian(df: pd.DataFrame) -> None:
    values = df["height"]
    assert (values.round(2) == values).all()
    assert 40 < values.mean() < 60


def _check_person_from_faker(df: pd.DataFrame) -> None:
    for person in df["customer"]:
        assert person["sex"] == "Female"
        assert 30 <= person["age"] <= 40
        assert person["first_name"] and person["last_name"]


def _check_poisson(df: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(df["arrivals"])
    assert (df["arrivals"] >= 0).all()


def _check_scipy(df: pd.DataFrame) -> None:
    values = df["ratio"]
    assert values.between(0, 1).all()
    assert (values.round(3) == values).all()


def _check_subcategory(df: pd.DataFrame) -> None:
    allowed = {"north": {"n1", "n2"}, "south": {"s1"}}
    assert set(df["region"]) == {"north", "south"}
    for region, city in zip(df["region"], df["city"], strict=True):
        assert city in allowed[region]


def _check_timedelta(df: pd.DataFrame) -> None:
    delta = pd.to_datetime(df["end"]) - pd.to_datetime(df["start"])
    assert (delta >= pd.Timedelta(days=1)).all()
    assert (delta < pd.Timedelta(days=5)).all()


def _check_uniform(df: pd.DataFrame) -> None:
    values = df["price"]
    assert values.between(1, 10).all()
    assert (values.round(1) == values).all()


def _check_uuid(df: pd.DataFrame) -> None:
    for value in df["plain_id"]:
        uuid.UUID(value)
    assert all(re.fullmatch(r"id-[0-9A-F]{8}", value) for value in df["short_id"])
    assert df["plain_id"].is_unique


SAMPLER_EXAMPLES = [
    Example(
        "bernoulli",
        lambda b: b.add_column(_sampler("flag", dd.SamplerType.BERNOULLI, dd.BernoulliSamplerParams(p=0.3))),
        """
columns:
  - name: flag
    column_type: sampler
    sampler_type: bernoulli
    params: {p: 0.3}
""",
        _check_bernoulli,
    ),
    Example(
        "bernoulli_mixture",
        lambda b: b.add_column(
            _sampler(
                "amount",
                dd.SamplerType.BERNOULLI_MIXTURE,
                dd.BernoulliMixtureSamplerParams(p=0.5, dist_name="norm", dist_params={"loc": 10, "scale": 1}),
            )
        ),
        """
columns:
  - name: amount
    column_type: sampler
    sampler_type: bernoulli_mixture
    params:
      p: 0.5
      dist_name: norm
      dist_params: {loc: 10, scale: 1}
""",
        _check_bernoulli_mixture,
    ),
    Example(
        "binomial",
        lambda b: b.add_column(_sampler("heads", dd.SamplerType.BINOMIAL, dd.BinomialSamplerParams(n=10, p=0.5))),
        """
columns:
  - name: heads
    column_type: sampler
    sampler_type: binomial
    params: {n: 10, p: 0.5}
""",
        _check_binomial,
    ),
    Example(
        "category",
        lambda b: b.add_column(
            _sampler(
                "color",
                dd.SamplerType.CATEGORY,
                dd.CategorySamplerParams(values=["red", "green", "blue"], weights=[0.5, 0.5, 0.0]),
            )
        ),
        """
columns:
  - name: color
    column_type: sampler
    sampler_type: category
    params:
      values: [red, green, blue]
      weights: [0.5, 0.5, 0.0]
""",
        _check_category,
    ),
    Example(
        "datetime",
        lambda b: b.add_column(
            _sampler("day", dd.SamplerType.DATETIME, dd.DatetimeSamplerParams(start="2024-01-01", end="2024-02-01"))
        ),
        """
columns:
  - name: day
    column_type: sampler
    sampler_type: datetime
    params: {start: "2024-01-01", end: "2024-02-01", unit: D}
""",
        _check_datetime,
    ),
    Example(
        "gaussian",
        lambda b: b.add_column(
            _sampler("height", dd.SamplerType.GAUSSIAN, dd.GaussianSamplerParams(mean=50, stddev=5, decimal_places=2))
        ),
        """
columns:
  - name: height
    column_type: sampler
    sampler_type: gaussian
    params: {mean: 50, stddev: 5, decimal_places: 2}
""",
        _check_gaussian,
    ),
    Example(
        "person_from_faker",
        lambda b: b.add_column(
            _sampler(
                "customer",
                dd.SamplerType.PERSON_FROM_FAKER,
                dd.PersonFromFakerSamplerParams(locale="en_US", sex="Female", age_range=[30, 40]),
            )
        ),
        """
columns:
  - name: customer
    column_type: sampler
    sampler_type: person_from_faker
    params:
      locale: en_US
      sex: Female
      age_range: [30, 40]
""",
        _check_person_from_faker,
        num_records=30,
    ),
    Example(
        "poisson",
        lambda b: b.add_column(_sampler("arrivals", dd.SamplerType.POISSON, dd.PoissonSamplerParams(mean=3))),
        """
columns:
  - name: arrivals
    column_type: sampler
    sampler_type: poisson
    params: {mean: 3}
""",
        _check_poisson,
    ),
    Example(
        "scipy",
        lambda b: b.add_column(
            _sampler(
                "ratio",
                dd.SamplerType.SCIPY,
                dd.ScipySamplerParams(dist_name="beta", dist_params={"a": 2, "b": 5}, decimal_places=3),
            )
        ),
        """
columns:
  - name: ratio
    column_type: sampler
    sampler_type: scipy
    params:
      dist_name: beta
      dist_params: {a: 2, b: 5}
      decimal_places: 3
""",
        _check_scipy,
    ),
    Example(
        "subcategory",
        lambda b: b.add_column(
            _sampler("region", dd.SamplerType.CATEGORY, dd.CategorySamplerParams(values=["north", "south"]))
        ).add_column(
            _sampler(
                "city",
                dd.SamplerType.SUBCATEGORY,
                dd.SubcategorySamplerParams(category="region", values={"north": ["n1", "n2"], "south": ["s1"]}),
            )
        ),
        """
columns:
  - name: region
    column_type: sampler
    sampler_type: category
    params: {values: [north, south]}
  - name: city
    column_type: sampler
    sampler_type: subcategory
    params:
      category: region
      values:
        north: [n1, n2]
        south: [s1]
""",
        _check_subcategory,
    ),
    Example(
        "timedelta",
        lambda b: b.add_column(
            _sampler("start", dd.SamplerType.DATETIME, dd.DatetimeSamplerParams(start="2024-01-01", end="2024-12-31"))
        ).add_column(
            _sampler(
                "end",
                dd.SamplerType.TIMEDELTA,
                dd.TimeDeltaSamplerParams(dt_min=1, dt_max=5, reference_column_name="start", unit="D"),
            )
        ),
        """
columns:
  - name: start
    column_type: sampler
    sampler_type: datetime
    params: {start: "2024-01-01", end: "2024-12-31"}
  - name: end
    column_type: sampler
    sampler_type: timedelta
    params: {dt_min: 1, dt_max: 5, reference_column_name: start, unit: D}
""",
        _check_timedelta,
    ),
    Example(
        "uniform",
        lambda b: b.add_column(
            _sampler("price", dd.SamplerType.UNIFORM, dd.UniformSamplerParams(low=1, high=10, decimal_places=1))
        ),
        """
columns:
  - name: price
    column_type: sampler
    sampler_type: uniform
    params: {low: 1, high: 10, decimal_places: 1}
""",
        _check_uniform,
    ),
    Example(
        "uuid",
        lambda b: b.add_column(_sampler("plain_id", dd.SamplerType.UUID, dd.UUIDSamplerParams())).add_column(
            _sampler(
                "short_id", dd.SamplerType.UUID, dd.UUIDSamplerParams(prefix="id-", short_form=True, uppercase=True)
            )
        ),
        """
columns:
  - {name: plain_id, column_type: sampler, sampler_type: uuid, params: {}}
  - name: short_id
    column_type: sampler
    sampler_type: uuid
    params: {prefix: id-, short_form: true, uppercase: true}
""",
        _check_uuid,
    ),
]


# ---------------------------------------------------------------- conditional params, constraints, convert_to
def _check_conditional(df: pd.DataFrame) -> None:
    senior = df["age"] > 65
    assert senior.any() and (~senior).any()
    assert (df.loc[senior, "discount"] == "senior").all()
    assert (df.loc[~senior, "discount"] == "none").all()
    assert df.loc[senior, "price"].between(0, 10).all()
    assert df.loc[~senior, "price"].between(100, 200).all()


def _check_constraints(df: pd.DataFrame) -> None:
    assert (df["a"] < 7).all()
    assert (df["b"] > df["a"]).all()


def _check_convert_to(df: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(df["count"])
    assert df["count"].between(1, 10).all()
    assert all(isinstance(v, str) for v in df["score_text"])
    float(df["score_text"].iloc[0])
    assert all(re.fullmatch(r"2024/0[1-3]/\d\d", v) for v in df["day"])


OTHER_EXAMPLES = [
    Example(
        "conditional_params",
        lambda b: (
            b.add_column(_sampler("age", dd.SamplerType.CATEGORY, dd.CategorySamplerParams(values=[20, 40, 70, 80])))
            .add_column(
                _sampler(
                    "discount",
                    dd.SamplerType.CATEGORY,
                    dd.CategorySamplerParams(values=["none"]),
                    conditional_params={"age > 65": dd.CategorySamplerParams(values=["senior"])},
                )
            )
            .add_column(
                _sampler(
                    "price",
                    dd.SamplerType.UNIFORM,
                    dd.UniformSamplerParams(low=100, high=200),
                    conditional_params={"age > 65": dd.UniformSamplerParams(low=0, high=10)},
                )
            )
        ),
        """
columns:
  - name: age
    column_type: sampler
    sampler_type: category
    params: {values: [20, 40, 70, 80]}
  - name: discount
    column_type: sampler
    sampler_type: category
    params: {values: [none]}
    conditional_params:
      "age > 65": {values: [senior]}
  - name: price
    column_type: sampler
    sampler_type: uniform
    params: {low: 100, high: 200}
    conditional_params:
      "age > 65": {low: 0, high: 10}
""",
        _check_conditional,
    ),
    Example(
        "constraints",
        lambda b: (
            b.add_column(_sampler("a", dd.SamplerType.UNIFORM, dd.UniformSamplerParams(low=0, high=10)))
            .add_column(_sampler("b", dd.SamplerType.UNIFORM, dd.UniformSamplerParams(low=0, high=10)))
            .add_constraint(dd.ScalarInequalityConstraint(target_column="a", rhs=7, operator=dd.InequalityOperator.LT))
            .add_constraint(
                dd.ColumnInequalityConstraint(target_column="b", rhs="a", operator=dd.InequalityOperator.GT)
            )
        ),
        """
columns:
  - {name: a, column_type: sampler, sampler_type: uniform, params: {low: 0, high: 10}}
  - {name: b, column_type: sampler, sampler_type: uniform, params: {low: 0, high: 10}}
constraints:
  - {constraint_type: scalar_inequality, target_column: a, rhs: 7, operator: lt}
  - {constraint_type: column_inequality, target_column: b, rhs: a, operator: gt}
""",
        _check_constraints,
    ),
    Example(
        "convert_to",
        lambda b: (
            b.add_column(
                _sampler("count", dd.SamplerType.UNIFORM, dd.UniformSamplerParams(low=1, high=10), convert_to="int")
            )
            .add_column(
                _sampler(
                    "score_text", dd.SamplerType.GAUSSIAN, dd.GaussianSamplerParams(mean=0, stddev=1), convert_to="str"
                )
            )
            .add_column(
                _sampler(
                    "day",
                    dd.SamplerType.DATETIME,
                    dd.DatetimeSamplerParams(start="2024-01-01", end="2024-03-01"),
                    convert_to="%Y/%m/%d",
                )
            )
        ),
        """
columns:
  - name: count
    column_type: sampler
    sampler_type: uniform
    params: {low: 1, high: 10}
    convert_to: int
  - name: score_text
    column_type: sampler
    sampler_type: gaussian
    params: {mean: 0, stddev: 1}
    convert_to: str
  - name: day
    column_type: sampler
    sampler_type: datetime
    params: {start: "2024-01-01", end: "2024-03-01"}
    convert_to: "%Y/%m/%d"
""",
        _check_convert_to,
    ),
]


# ---------------------------------------------------------------- expressions and skip
def _check_dtypes(df: pd.DataFrame) -> None:
    assert pd.api.types.is_integer_dtype(df["doubled"])
    assert (df["doubled"] == df["n"] * 2).all()
    assert pd.api.types.is_float_dtype(df["quarter"])
    assert (df["quarter"] == df["n"] / 4).all()
    assert all(isinstance(v, str) for v in df["label"])
    assert (df["label"] == df["n"].astype(str) + "-items").all()
    assert pd.api.types.is_bool_dtype(df["many"])
    assert (df["many"] == (df["n"] > 5)).all()


def _check_nested(df: pd.DataFrame) -> None:
    for person, full_name in zip(df["person"], df["full_name"], strict=True):
        assert full_name == f"{person['first_name']} {person['last_name']}"
    assert (df["depth"] == 3).all()


def _check_skip(df: pd.DataFrame) -> None:
    skipped = df["x"] > 1
    assert skipped.any() and (~skipped).any()
    assert (df.loc[skipped, "y"] == -1).all()
    assert (df.loc[~skipped, "y"] == df.loc[~skipped, "x"] * 10).all()


EXPRESSION_EXAMPLES = [
    Example(
        "expression_dtypes",
        lambda b: (
            b.add_column(_sampler("n", dd.SamplerType.BINOMIAL, dd.BinomialSamplerParams(n=10, p=0.5)))
            .add_column(dd.ExpressionColumnConfig(name="doubled", expr="{{ n * 2 }}", dtype="int"))
            .add_column(dd.ExpressionColumnConfig(name="quarter", expr="{{ n / 4 }}", dtype="float"))
            .add_column(dd.ExpressionColumnConfig(name="label", expr="{{ n }}-items"))
            .add_column(dd.ExpressionColumnConfig(name="many", expr="{{ n > 5 }}", dtype="bool"))
        ),
        """
columns:
  - {name: n, column_type: sampler, sampler_type: binomial, params: {n: 10, p: 0.5}}
  - {name: doubled, column_type: expression, expr: "{{ n * 2 }}", dtype: int}
  - {name: quarter, column_type: expression, expr: "{{ n / 4 }}", dtype: float}
  - {name: label, column_type: expression, expr: "{{ n }}-items", dtype: str}
  - {name: many, column_type: expression, expr: "{{ n > 5 }}", dtype: bool}
""",
        _check_dtypes,
    ),
    Example(
        "nested_access",
        lambda b: (
            b.add_column(_sampler("person", dd.SamplerType.PERSON_FROM_FAKER, dd.PersonFromFakerSamplerParams()))
            .add_column(_sampler("blob", dd.SamplerType.CATEGORY, dd.CategorySamplerParams(values=['{"a": {"b": 3}}'])))
            .add_column(
                dd.ExpressionColumnConfig(name="full_name", expr="{{ person.first_name }} {{ person.last_name }}")
            )
            .add_column(dd.ExpressionColumnConfig(name="depth", expr="{{ blob.a.b }}", dtype="int"))
        ),
        """
columns:
  - {name: person, column_type: sampler, sampler_type: person_from_faker, params: {}}
  - name: blob
    column_type: sampler
    sampler_type: category
    params:
      values: ['{"a": {"b": 3}}']
  - name: full_name
    column_type: expression
    expr: "{{ person.first_name }} {{ person.last_name }}"
  - {name: depth, column_type: expression, expr: "{{ blob.a.b }}", dtype: int}
""",
        _check_nested,
        num_records=20,
    ),
    Example(
        "skip",
        lambda b: b.add_column(
            _sampler("x", dd.SamplerType.CATEGORY, dd.CategorySamplerParams(values=[1, 2, 3]))
        ).add_column(
            dd.ExpressionColumnConfig(
                name="y", expr="{{ x * 10 }}", dtype="int", skip=dd.SkipConfig(when="{{ x > 1 }}", value=-1)
            )
        ),
        """
columns:
  - {name: x, column_type: sampler, sampler_type: category, params: {values: [1, 2, 3]}}
  - name: y
    column_type: expression
    expr: "{{ x * 10 }}"
    dtype: int
    skip:
      when: "{{ x > 1 }}"
      value: -1
""",
        _check_skip,
    ),
]

ALL_EXAMPLES = SAMPLER_EXAMPLES + OTHER_EXAMPLES + EXPRESSION_EXAMPLES


def test_every_sampler_type_but_person_has_an_example() -> None:
    covered = {e.name for e in SAMPLER_EXAMPLES}
    assert covered == {t.value for t in dd.SamplerType} - {"person"}


def _builder_for(way: str, example: Example, python_builder, load_config) -> dd.DataDesignerConfigBuilder:
    if way == "python":
        return python_builder
    if way == "yaml":
        return load_config(example.yaml, f"{example.name}.yaml")
    return load_config(python_builder.build().to_json(), f"{example.name}.json")


@pytest.mark.parametrize("way", ["python", "yaml", "json"])
@pytest.mark.parametrize("example", ALL_EXAMPLES, ids=lambda e: e.name)
def test_config_example_generates_documented_data(example: Example, way: str, designer, new_builder, load_config):
    python_builder = example.build(new_builder())
    builder = _builder_for(way, example, python_builder, load_config)
    assert builder.build().to_dict() == python_builder.build().to_dict()
    df = designer.preview(builder, num_records=example.num_records).dataset
    assert len(df) == example.num_records
    example.check(df)


# ---------------------------------------------------------------- person (managed Nemotron-Personas)
def _person_builder() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(
        name="customer", column_type="sampler", sampler_type="person", params={"locale": "en_US", "sex": "Male"}
    )
    builder.add_column(name="greeting", column_type="expression", expr="Hi {{ customer.first_name }}")
    return builder


def test_person_sampler_without_local_personas_names_the_file_and_suggests_faker(tmp_path: Path) -> None:
    from data_designer.interface import DataDesigner

    assets = tmp_path / "assets"
    designer = DataDesigner(artifact_path=tmp_path / "out", managed_assets_path=assets, auto_configure_logging=False)
    with pytest.raises(errors.DataDesignerError) as exc:
        designer.preview(_person_builder(), num_records=3)
    message = str(exc.value)
    assert str(assets / "datasets") in message
    assert "nemotron-personas-dataset-en_US" in message
    assert "person_from_faker" in message


def test_person_sampler_reads_a_local_personas_parquet(tmp_path: Path) -> None:
    from data_designer.interface import DataDesigner

    assets = tmp_path / "assets"
    (assets / "datasets").mkdir(parents=True)
    pd.DataFrame(
        {
            "uuid": ["u1", "u2", "u3"],
            "first_name": ["Ann", "Bob", "Carl"],
            "last_name": ["A", "B", "C"],
            "sex": ["Female", "Male", "Male"],
            "age": [30, 40, 50],
            "city": ["X", "Y", "Z"],
        }
    ).to_parquet(assets / "datasets" / "nemotron-personas-dataset-en_US.parquet")
    designer = DataDesigner(artifact_path=tmp_path / "out", managed_assets_path=assets, auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(seed=5))
    df = designer.preview(_person_builder(), num_records=12).dataset
    assert len(df) == 12
    assert {c["first_name"] for c in df["customer"]} <= {"Bob", "Carl"}
    assert all(c["sex"] == "Male" for c in df["customer"])
    assert set(df["greeting"]) <= {"Hi Bob", "Hi Carl"}


# ---------------------------------------------------------------- legacy constraint dicts
def test_constraint_dicts_without_type_are_classified_by_rhs() -> None:
    builder = dd.DataDesignerConfigBuilder.from_config(
        {
            "columns": [
                {"name": "a", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}},
                {"name": "b", "column_type": "sampler", "sampler_type": "uniform", "params": {"low": 0, "high": 1}},
            ],
            "constraints": [
                {"target_column": "a", "rhs": 0.5, "operator": "lt"},
                {"target_column": "b", "rhs": "a", "operator": "gt"},
            ],
        }
    )
    first, second = builder.get_constraints()
    assert isinstance(first, dd.ScalarInequalityConstraint)
    assert isinstance(second, dd.ColumnInequalityConstraint)
    assert json.loads(builder.build().to_json())["constraints"][1]["constraint_type"] == "column_inequality"
