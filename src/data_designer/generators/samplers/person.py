"""Person samplers: Faker-made people (``person_from_faker``) and managed Nemotron-Personas records (``person``).

Both return an object array of dicts, one per row, so templates can read ``{{ customer.first_name }}``. These are the
only samplers that loop over rows in Python: Faker has no vectorised API, and a record is a dict per row anyway.
Everything random is derived from the caller's ``numpy.random.Generator`` (Faker is re-seeded from it on every draw),
so a row group re-generated on resume gets the same people.

Managed datasets are read lazily with pyarrow, at most once per (locale, filters) per generator, with the filters
pushed down into the parquet scan so a multi-gigabyte file is never fully materialised.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import numpy as np

from data_designer.errors import DataDesignerRuntimeError, DatasetGenerationError

__all__ = ["FakerPersonSampler", "ManagedPersonSampler", "managed_dataset_glob", "PERSONA_FIELDS"]

PERSONA_FIELDS = frozenset(
    {
        "cultural_background",
        "skills_and_expertise",
        "skills_and_expertise_list",
        "hobbies_and_interests",
        "hobbies_and_interests_list",
        "career_goals_and_ambitions",
    }
)
"""Synthetic-persona text fields (besides any ``*persona`` field) kept only with ``with_synthetic_personas=True``."""

_SEXES = np.array(["Male", "Female"], dtype=object)


def _ages_and_sexes(params: Any, num_rows: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
    low, high = params.age_range
    ages = rng.integers(low, high + 1, size=num_rows)
    sexes = np.full(num_rows, params.sex, dtype=object) if params.sex else _SEXES[rng.integers(0, 2, num_rows)]
    return ages, sexes


def _birth_date(reference: dt.date, age: int, days_before_birthday: int) -> str:
    """A birth date such that the person is exactly ``age`` years old on ``reference``."""
    try:
        last_birthday = reference.replace(year=reference.year - age)
    except ValueError:  # 29 February in a non-leap year
        last_birthday = reference.replace(year=reference.year - age, day=28)
    return (last_birthday - dt.timedelta(days=days_before_birthday)).isoformat()


def _first_available(fake: Any, methods: tuple[str, ...]) -> str:
    """Faker locales differ in what they provide (state vs. prefecture vs. region); use the first that exists."""
    for method in methods:
        fn = getattr(fake, method, None)
        if fn is None:
            continue
        try:
            return str(fn())
        except (AttributeError, KeyError, ValueError, TypeError):
            continue
    return ""


class FakerPersonSampler:
    """``person_from_faker``: one Faker instance per locale, re-seeded from the run's RNG on every draw."""

    def __init__(self, reference_date: dt.date) -> None:
        self._reference_date = reference_date
        self._fakers: dict[str, Any] = {}

    def _faker(self, locale: str) -> Any:
        if locale not in self._fakers:
            from faker import Faker

            try:
                self._fakers[locale] = Faker(locale)
            except AttributeError as exc:  # raised by Faker for a locale the installed version lacks
                raise DataDesignerRuntimeError(
                    f"person_from_faker: the installed Faker has no locale {locale!r}; pick another locale or "
                    "upgrade Faker"
                ) from exc
        return self._fakers[locale]

    def __call__(
        self, params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
    ) -> np.ndarray:
        fake = self._faker(params.locale)
        fake.seed_instance(int(rng.integers(0, 2**63 - 1)))
        ages, sexes = _ages_and_sexes(params, num_rows, rng)
        birthday_offsets = rng.integers(0, 365, size=num_rows)
        cities = [params.city] if isinstance(params.city, str) else params.city
        city_picks = rng.integers(0, len(cities), size=num_rows) if cities else None
        country = _first_available(fake, ("current_country",)) or params.locale.rpartition("_")[2]
        out = np.empty(num_rows, dtype=object)
        for i in range(num_rows):
            male = sexes[i] == "Male"
            first = fake.first_name_male() if male else fake.first_name_female()
            middle = fake.first_name_male() if male else fake.first_name_female()
            last = fake.last_name()
            domain = _first_available(fake, ("free_email_domain",)) or "example.com"
            email_user = "".join(ch for ch in f"{first}.{last}".lower() if ch.isascii() and (ch.isalnum() or ch == "."))
            out[i] = {
                "first_name": first,
                "middle_name": middle,
                "last_name": last,
                "sex": sexes[i],
                "age": int(ages[i]),
                "birth_date": _birth_date(self._reference_date, int(ages[i]), int(birthday_offsets[i])),
                "street_number": _first_available(fake, ("building_number",)),
                "street_name": _first_available(fake, ("street_name",)),
                "city": cities[city_picks[i]] if cities else _first_available(fake, ("city",)),
                "state": _first_available(fake, ("state", "administrative_unit", "region", "prefecture", "province")),
                "zipcode": _first_available(fake, ("postcode", "zipcode")),
                "country": country,
                "email_address": f"{email_user or 'person'}{fake.random_int(1, 99)}@{domain}",
                "phone_number": _first_available(fake, ("phone_number",)),
                "occupation": _first_available(fake, ("job",)),
                "locale": params.locale,
            }
        return out


def managed_dataset_glob(locale: str) -> str:
    return f"nemotron-personas-dataset-{locale}*.parquet"


def _jsonable(value: Any) -> Any:
    return value.isoformat() if isinstance(value, (dt.date, dt.datetime)) else value


class ManagedPersonSampler:
    """``person``: rows of ``<managed_assets_path>/datasets/nemotron-personas-dataset-<locale>*.parquet``."""

    def __init__(self, managed_assets_path: Path | None) -> None:
        self._root = Path(managed_assets_path) if managed_assets_path is not None else None
        self._tables: dict[str, Any] = {}

    def locate(self, locale: str) -> list[Path]:
        """The dataset files of ``locale``; raises with the exact glob when there are none."""
        pattern = managed_dataset_glob(locale)
        if self._root is None:
            raise DataDesignerRuntimeError(
                f"person sampler (locale {locale!r}): no managed assets directory is configured, so "
                f"'<managed_assets_path>/datasets/{pattern}' cannot be read; download the Nemotron-Personas "
                "dataset and set the managed assets path, or use sampler_type='person_from_faker'"
            )
        files = sorted((self._root / "datasets").glob(pattern))
        if not files:
            raise DataDesignerRuntimeError(
                f"person sampler (locale {locale!r}): no dataset found matching {self._root / 'datasets' / pattern}; "
                "download the Nemotron-Personas dataset for this locale there, "
                "or use sampler_type='person_from_faker' instead"
            )
        return files

    def _table(self, params: Any) -> Any:
        key = params.model_dump_json() if hasattr(params, "model_dump_json") else repr(params)
        if key not in self._tables:
            self._tables[key] = self._load(params)
        return self._tables[key]

    def _load(self, params: Any) -> Any:
        import pyarrow.compute as pc
        import pyarrow.dataset as ds

        dataset = ds.dataset([str(path) for path in self.locate(params.locale)], format="parquet")
        fields = set(dataset.schema.names)
        wanted: dict[str, list[Any]] = {}
        if params.sex:
            wanted["sex"] = [params.sex]
        if params.city:
            wanted["city"] = [params.city] if isinstance(params.city, str) else list(params.city)
        wanted.update(params.select_field_values or {})
        missing = sorted((set(wanted) | {"age"}) - fields)
        if missing:
            raise DataDesignerRuntimeError(
                f"person sampler (locale {params.locale!r}): the dataset has no field(s) {missing} to filter on; "
                f"available fields: {sorted(fields)}"
            )
        low, high = params.age_range
        condition = (pc.field("age") >= low) & (pc.field("age") <= high)
        for name, allowed in wanted.items():
            condition = condition & pc.field(name).isin(allowed)
        columns = [
            name
            for name in dataset.schema.names
            if params.with_synthetic_personas or not (name.endswith("persona") or name in PERSONA_FIELDS)
        ]
        table = dataset.to_table(columns=columns, filter=condition)
        if table.num_rows == 0:
            raise DatasetGenerationError(
                f"person sampler (locale {params.locale!r}): no person matches sex={params.sex!r}, "
                f"city={params.city!r}, age_range={params.age_range!r}, "
                f"select_field_values={params.select_field_values!r}; relax these filters"
            )
        return table

    def __call__(
        self, params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]
    ) -> np.ndarray:
        table = self._table(params)
        records = table.take(rng.integers(0, table.num_rows, size=num_rows)).to_pylist()
        out = np.empty(num_rows, dtype=object)
        out[:] = [{**{k: _jsonable(v) for k, v in record.items()}, "locale": params.locale} for record in records]
        return out
