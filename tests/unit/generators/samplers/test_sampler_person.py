"""Person samplers: Faker people and managed Nemotron-Personas records (from a tiny parquet made here)."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data_designer.errors import DataDesignerRuntimeError, DatasetGenerationError
from data_designer.generators.base import GeneratorContext
from data_designer.generators.samplers.person import ManagedPersonSampler

FAKER_FIELDS = {
    "first_name", "middle_name", "last_name", "sex", "age", "birth_date", "street_number", "street_name", "city",
    "state", "zipcode", "country", "email_address", "phone_number", "occupation", "locale",
}  # fmt: skip


def _run(generator, num_rows=200, seed=0):
    return generator.generate(offset=0, num_rows=num_rows, rng=np.random.default_rng(seed))


# ---------------------------------------------------------------- person_from_faker
def test_faker_person_has_every_field_and_honours_filters(build, sampler):
    context = GeneratorContext(extras={"reference_date": dt.date(2025, 6, 15)})
    params = {"sex": "Female", "city": ["Leeds", "York"], "age_range": [30, 40], "locale": "en_GB"}
    people = _run(build([sampler("p", "person_from_faker", params)], context=context))["p"]
    assert isinstance(people, list) and len(people) == 200
    for person in people:
        assert FAKER_FIELDS <= set(person)
        assert person["sex"] == "Female" and person["city"] in {"Leeds", "York"} and 30 <= person["age"] <= 40
        born = dt.date.fromisoformat(person["birth_date"])
        age_on_reference = 2025 - born.year - ((6, 15) < (born.month, born.day))
        assert age_on_reference == person["age"]
        assert "@" in person["email_address"] and person["locale"] == "en_GB"
    assert {p["city"] for p in people} == {"Leeds", "York"}


def test_faker_person_without_filters_mixes_sexes_and_uses_default_age_range(build, sampler):
    people = _run(build([sampler("p", "person_from_faker", {})]), 300)["p"]
    assert {p["sex"] for p in people} == {"Male", "Female"}
    assert all(18 <= p["age"] <= 114 for p in people)
    assert len({p["city"] for p in people}) > 1


def test_faker_person_single_city_and_non_latin_locale(build, sampler):
    people = _run(build([sampler("p", "person_from_faker", {"locale": "ja_JP", "city": "Kyoto"})]), 20)["p"]
    assert {p["city"] for p in people} == {"Kyoto"} and all(p["last_name"] for p in people)


def test_faker_person_is_reproducible_from_the_seed(build, sampler):
    columns = [sampler("p", "person_from_faker", {"locale": "fr_FR"})]
    assert _run(build(columns), 50, seed=4) == _run(build(columns), 50, seed=4)
    assert _run(build(columns), 50, seed=4) != _run(build(columns), 50, seed=5)


# ---------------------------------------------------------------- person (managed datasets)
@pytest.fixture
def assets(tmp_path):
    datasets = tmp_path / "datasets"
    datasets.mkdir()
    rows = [
        ("u1", "Ann", "Lee", "Female", 25, "Austin", "TX", "bachelors", dt.date(2000, 1, 2), "likes code", "chess"),
        ("u2", "Bob", "Ray", "Male", 40, "Austin", "TX", "masters", dt.date(1985, 3, 4), "manager", "golf"),
        ("u3", "Cid", "Moe", "Male", 70, "Boston", "MA", "bachelors", dt.date(1955, 5, 6), "retired", "birds"),
        ("u4", "Dee", "Fox", "Female", 33, "Boston", "MA", "phd", dt.date(1992, 7, 8), "scientist", "running"),
    ]
    names = [
        "uuid", "first_name", "last_name", "sex", "age", "city", "state", "education_level", "birth_date",
        "professional_persona", "hobbies_and_interests",
    ]  # fmt: skip
    table = pa.table({name: [row[i] for row in rows] for i, name in enumerate(names)})
    pq.write_table(table.slice(0, 2), datasets / "nemotron-personas-dataset-en_US-part1.parquet")
    pq.write_table(table.slice(2), datasets / "nemotron-personas-dataset-en_US-part2.parquet")
    return tmp_path


def _person_generator(build, sampler, assets, **params):
    return build([sampler("p", "person", params)], context=GeneratorContext(managed_assets_path=assets))


def test_person_records_come_from_the_dataset_without_persona_fields(build, sampler, assets):
    people = _run(_person_generator(build, sampler, assets), 100)["p"]
    assert {p["uuid"] for p in people} == {"u1", "u2", "u3", "u4"}  # both parquet parts are read
    person = people[0]
    assert person["locale"] == "en_US" and isinstance(person["birth_date"], str)
    assert "professional_persona" not in person and "hobbies_and_interests" not in person


def test_person_with_synthetic_personas_keeps_persona_fields(build, sampler, assets):
    people = _run(_person_generator(build, sampler, assets, with_synthetic_personas=True), 10)["p"]
    assert {"professional_persona", "hobbies_and_interests"} <= set(people[0])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"sex": "Male"}, {"u2", "u3"}),
        ({"city": "Boston"}, {"u3", "u4"}),
        ({"city": ["Austin", "Boston"], "age_range": [30, 69]}, {"u2", "u4"}),
        ({"select_field_values": {"education_level": ["bachelors"]}}, {"u1", "u3"}),
    ],
)
def test_person_filters(build, sampler, assets, params, expected):
    people = _run(_person_generator(build, sampler, assets, **params), 200)["p"]
    assert {p["uuid"] for p in people} == expected


def test_person_is_reproducible_and_reads_the_dataset_once(build, sampler, assets, monkeypatch):
    loads = []
    original = ManagedPersonSampler._load
    monkeypatch.setattr(ManagedPersonSampler, "_load", lambda self, params: loads.append(1) or original(self, params))
    generator = _person_generator(build, sampler, assets)
    first, second = _run(generator, 30, seed=1), _run(generator, 30, seed=1)
    assert first == second and len(loads) == 1


def test_missing_person_dataset_names_the_glob_and_suggests_faker(build, sampler, tmp_path):
    with pytest.raises(DataDesignerRuntimeError) as exc_info:
        build([sampler("p", "person", {"locale": "ja_JP"})], context=GeneratorContext(managed_assets_path=tmp_path))
    message = str(exc_info.value)
    assert str(tmp_path / "datasets" / "nemotron-personas-dataset-ja_JP*.parquet") in message
    assert "person_from_faker" in message


def test_person_without_managed_assets_path_is_a_clear_error(build, sampler):
    with pytest.raises(
        DataDesignerRuntimeError, match="'p'.*nemotron-personas-dataset-en_US\\*.parquet.*person_from_faker"
    ):
        build([sampler("p", "person", {})])


def test_person_filters_matching_nobody_fail_naming_the_column(build, sampler, assets):
    generator = _person_generator(build, sampler, assets, city="Paris")
    with pytest.raises(DatasetGenerationError, match="'p'.*city='Paris'.*relax"):
        _run(generator, 5)


def test_person_filter_on_an_unknown_field_lists_available_fields(build, sampler, assets):
    generator = _person_generator(build, sampler, assets, select_field_values={"hair": ["red"]})
    with pytest.raises(DataDesignerRuntimeError, match="'p'.*\\['hair'\\].*available fields"):
        _run(generator, 5)
