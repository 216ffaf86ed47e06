"""Parameters of every statistical sampler, one class per :class:`SamplerType`.

Each params class carries its own ``sampler_type`` literal so that ``SamplerParamsT`` is a discriminated union and a
plain dict (from YAML/JSON) resolves to the right class. Validation happens here, at config time, so a bad
distribution or an empty date range is reported before any row is generated. Heavy libraries (scipy, pandas) are
imported lazily inside the validators that need them: ``import data_designer.config`` must stay light.
"""

from __future__ import annotations

from datetime import datetime, timezone
from enum import Enum
from typing import Annotated, Any, Literal

from pydantic import Field, field_validator, model_validator

from data_designer.config.base import ConfigBase

__all__ = [
    "SamplerType",
    "SexT",
    "AVAILABLE_LOCALES",
    "MANAGED_PERSON_LOCALES",
    "MAX_AGE",
    "BernoulliSamplerParams",
    "BernoulliMixtureSamplerParams",
    "BinomialSamplerParams",
    "CategorySamplerParams",
    "DatetimeSamplerParams",
    "GaussianSamplerParams",
    "PersonSamplerParams",
    "PersonFromFakerSamplerParams",
    "PoissonSamplerParams",
    "ScipySamplerParams",
    "SubcategorySamplerParams",
    "TimeDeltaSamplerParams",
    "UniformSamplerParams",
    "UUIDSamplerParams",
    "SamplerParamsT",
    "NUMERIC_SAMPLER_TYPES",
    "parse_timestamp",
]


class SamplerType(str, Enum):
    BERNOULLI = "bernoulli"
    BERNOULLI_MIXTURE = "bernoulli_mixture"
    BINOMIAL = "binomial"
    CATEGORY = "category"
    DATETIME = "datetime"
    GAUSSIAN = "gaussian"
    PERSON = "person"
    PERSON_FROM_FAKER = "person_from_faker"
    POISSON = "poisson"
    SCIPY = "scipy"
    SUBCATEGORY = "subcategory"
    TIMEDELTA = "timedelta"
    UNIFORM = "uniform"
    UUID = "uuid"


NUMERIC_SAMPLER_TYPES: frozenset[str] = frozenset(
    {"bernoulli_mixture", "bernoulli", "binomial", "gaussian", "poisson", "scipy", "uniform"}
)
"""Sampler types whose values are numbers (the ones constraints and numeric ``convert_to`` apply to)."""

SexT = Literal["Male", "Female"]
MAX_AGE = 114

MANAGED_PERSON_LOCALES: tuple[str, ...] = (
    "en_US",
    "en_IN",
    "en_SG",
    "fr_FR",
    "hi_Deva_IN",
    "hi_Latn_IN",
    "ja_JP",
    "ko_KR",
    "pt_BR",
)
"""Locales with a managed Nemotron-Personas dataset (sampler type ``person``)."""

# A static copy so validating a config never imports Faker; a unit test checks each entry against installed Faker.
AVAILABLE_LOCALES: tuple[str, ...] = (
    "ar_AA", "ar_AE", "ar_BH", "ar_EG", "ar_JO", "ar_PS", "ar_SA", "az_AZ", "bg_BG", "bn_BD", "bs_BA", "cs_CZ",
    "da_DK", "de", "de_AT", "de_CH", "de_DE", "dk_DK", "el_CY", "el_GR", "en", "en_AU", "en_CA", "en_GB", "en_IE",
    "en_IN", "en_NZ", "en_PH", "en_TH", "en_US", "es", "es_AR", "es_CA", "es_CL", "es_CO", "es_ES", "es_MX",
    "et_EE", "fa_IR", "fi_FI", "fil_PH", "fr_BE", "fr_CA", "fr_CH", "fr_FR", "fr_QC", "ga_IE", "he_IL", "hi_IN",
    "hr_HR", "hu_HU", "hy_AM", "id_ID", "it_CH", "it_IT", "ja_JP", "ka_GE", "ko_KR", "la", "lb_LU", "lt_LT",
    "lv_LV", "mt_MT", "ne_NP", "nl_BE", "nl_NL", "no_NO", "or_IN", "pl_PL", "pt_BR", "pt_PT", "ro_RO", "ru_RU",
    "sk_SK", "sl_SI", "sq_AL", "sv_SE", "sw", "ta_IN", "th", "th_TH", "tl_PH", "tr_TR", "tw_GH", "uk_UA", "vi_VN",
    "zh_CN", "zh_TW",
)  # fmt: skip

Probability = Annotated[float, Field(ge=0.0, le=1.0, description="a probability in [0, 1]")]


def _validate_scipy_distribution(dist_name: str, dist_params: dict[str, Any]) -> None:
    """Resolve ``scipy.stats.<dist_name>`` and draw once, so bad names and parameters fail at config time."""
    import numpy as np
    import scipy.stats

    dist = getattr(scipy.stats, dist_name, None)
    if not isinstance(dist, (scipy.stats.rv_continuous, scipy.stats.rv_discrete)):
        raise ValueError(
            f"dist_name {dist_name!r} is not a scipy.stats distribution; "
            "use a name such as 'norm', 'expon', 'gamma', 'beta', 'lognorm' or 'poisson'"
        )
    try:
        dist(**dist_params).rvs(size=1, random_state=np.random.default_rng(0))
    except Exception as exc:  # scipy raises TypeError/ValueError for bad shape/loc/scale arguments
        raise ValueError(f"dist_params {dist_params!r} are not valid for scipy.stats.{dist_name}: {exc}") from exc


def parse_timestamp(value: str, field: str) -> datetime:
    """Parse a sampler date bound; timezone-aware values become naive UTC so every bound compares alike."""
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        import pandas as pd

        try:
            parsed = pd.Timestamp(value).to_pydatetime()
        except (ValueError, TypeError) as exc:
            raise ValueError(f"{field}={value!r} is not a date/time; use ISO-8601 such as '2024-01-31'") from exc
    if parsed.tzinfo is not None:
        parsed = parsed.astimezone(timezone.utc).replace(tzinfo=None)
    return parsed


def _validate_age_range(age_range: list[int]) -> list[int]:
    if len(age_range) != 2:
        raise ValueError(f"age_range must be [min_age, max_age], got {age_range!r}")
    low, high = age_range
    if not 0 <= low < high <= MAX_AGE:
        raise ValueError(f"age_range {age_range!r} is invalid; it needs 0 <= min_age < max_age <= {MAX_AGE}")
    return age_range


class BernoulliSamplerParams(ConfigBase):
    """1 with probability ``p``, else 0."""

    sampler_type: Literal["bernoulli"] = "bernoulli"
    p: Probability


class BernoulliMixtureSamplerParams(ConfigBase):
    """0 with probability ``1 - p``, otherwise a draw from ``scipy.stats.<dist_name>(**dist_params)``."""

    sampler_type: Literal["bernoulli_mixture"] = "bernoulli_mixture"
    p: Probability
    dist_name: str
    dist_params: dict[str, Any] = Field(default_factory=dict)

    @model_validator(mode="after")
    def _validate_distribution(self) -> BernoulliMixtureSamplerParams:
        _validate_scipy_distribution(self.dist_name, self.dist_params)
        return self


class BinomialSamplerParams(ConfigBase):
    sampler_type: Literal["binomial"] = "binomial"
    n: int = Field(ge=0)
    p: Probability


class CategorySamplerParams(ConfigBase):
    """One of ``values``, with optional ``weights`` that are normalised to sum to 1."""

    sampler_type: Literal["category"] = "category"
    values: list[str | int | float] = Field(min_length=1)
    weights: list[float] | None = None

    @model_validator(mode="after")
    def _normalise_weights(self) -> CategorySamplerParams:
        if self.weights is None:
            return self
        if len(self.weights) != len(self.values):
            raise ValueError(
                f"weights has {len(self.weights)} entries but values has {len(self.values)}; "
                "give exactly one weight per value (or omit weights for a uniform choice)"
            )
        if any(w < 0 for w in self.weights):
            raise ValueError(f"weights must be non-negative, got {self.weights!r}")
        total = sum(self.weights)
        if total <= 0:
            raise ValueError("weights must not all be zero; give at least one value a positive weight")
        self.weights = [w / total for w in self.weights]
        return self


class DatetimeSamplerParams(ConfigBase):
    """Uniform over ``[start, end)`` at ``unit`` resolution."""

    sampler_type: Literal["datetime"] = "datetime"
    start: str
    end: str
    unit: Literal["Y", "M", "D", "h", "m", "s"] = "D"

    @model_validator(mode="after")
    def _validate_range(self) -> DatetimeSamplerParams:
        start = parse_timestamp(self.start, "start")
        end = parse_timestamp(self.end, "end")
        if start >= end:
            raise ValueError(f"start ({self.start!r}) must be before end ({self.end!r}); end is exclusive")
        return self


class GaussianSamplerParams(ConfigBase):
    sampler_type: Literal["gaussian"] = "gaussian"
    mean: float
    stddev: float = Field(ge=0.0)
    decimal_places: int | None = Field(default=None, ge=0)


class _PersonFilters(ConfigBase):
    locale: str = "en_US"
    sex: SexT | None = None
    city: str | list[str] | None = None
    age_range: list[int] = Field(default_factory=lambda: [18, MAX_AGE])

    @field_validator("age_range")
    @classmethod
    def _check_age_range(cls, age_range: list[int]) -> list[int]:
        return _validate_age_range(age_range)


class PersonSamplerParams(_PersonFilters):
    """A person record drawn from a managed Nemotron-Personas dataset."""

    sampler_type: Literal["person"] = "person"
    select_field_values: dict[str, list[str]] | None = None
    with_synthetic_personas: bool = False

    @field_validator("locale")
    @classmethod
    def _check_locale(cls, locale: str) -> str:
        if locale not in MANAGED_PERSON_LOCALES:
            raise ValueError(
                f"locale {locale!r} has no managed person dataset; use one of {', '.join(MANAGED_PERSON_LOCALES)}, "
                "or sampler_type='person_from_faker' for other locales"
            )
        return locale


class PersonFromFakerSamplerParams(_PersonFilters):
    """A person record made up by Faker: any Faker locale, no demographic grounding."""

    sampler_type: Literal["person_from_faker"] = "person_from_faker"

    @field_validator("locale")
    @classmethod
    def _check_locale(cls, locale: str) -> str:
        if locale not in AVAILABLE_LOCALES:
            raise ValueError(
                f"locale {locale!r} is not a supported Faker locale; use one of AVAILABLE_LOCALES, e.g. 'en_US', "
                "'en_GB', 'de_DE', 'fr_FR', 'ja_JP'"
            )
        return locale


class PoissonSamplerParams(ConfigBase):
    sampler_type: Literal["poisson"] = "poisson"
    mean: float = Field(ge=0.0)


class ScipySamplerParams(ConfigBase):
    """Any ``scipy.stats`` distribution, e.g. ``dist_name="gamma", dist_params={"a": 2.0}``."""

    sampler_type: Literal["scipy"] = "scipy"
    dist_name: str
    dist_params: dict[str, Any] = Field(default_factory=dict)
    decimal_places: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _validate_distribution(self) -> ScipySamplerParams:
        _validate_scipy_distribution(self.dist_name, self.dist_params)
        return self


class SubcategorySamplerParams(ConfigBase):
    """A value drawn uniformly from ``values[<value of the parent column category>]``."""

    sampler_type: Literal["subcategory"] = "subcategory"
    category: str
    values: dict[str, list[str | int | float]]

    @field_validator("values")
    @classmethod
    def _check_values(cls, values: dict[str, list[str | int | float]]) -> dict[str, list[str | int | float]]:
        if not values:
            raise ValueError("values must map each parent category value to a list of subcategory values")
        empty = sorted(key for key, options in values.items() if not options)
        if empty:
            raise ValueError(f"values has no subcategories for parent value(s) {empty}; give each at least one")
        return values


class TimeDeltaSamplerParams(ConfigBase):
    """``reference_column_name`` plus a uniform delta in ``[dt_min, dt_max)`` of ``unit``."""

    sampler_type: Literal["timedelta"] = "timedelta"
    dt_min: int = Field(ge=0)
    dt_max: int = Field(gt=0)
    reference_column_name: str
    unit: Literal["D", "h", "m", "s"] = "D"

    @model_validator(mode="after")
    def _validate_range(self) -> TimeDeltaSamplerParams:
        if self.dt_max <= self.dt_min:
            raise ValueError(f"dt_max ({self.dt_max}) must be greater than dt_min ({self.dt_min}); dt_max is exclusive")
        return self


class UniformSamplerParams(ConfigBase):
    """Uniform over ``[low, high)``."""

    sampler_type: Literal["uniform"] = "uniform"
    low: float
    high: float
    decimal_places: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _validate_bounds(self) -> UniformSamplerParams:
        if self.low >= self.high:
            raise ValueError(f"low ({self.low}) must be less than high ({self.high})")
        return self


class UUIDSamplerParams(ConfigBase):
    sampler_type: Literal["uuid"] = "uuid"
    prefix: str | None = None
    short_form: bool = False
    uppercase: bool = False


SamplerParamsT = Annotated[
    BernoulliSamplerParams
    | BernoulliMixtureSamplerParams
    | BinomialSamplerParams
    | CategorySamplerParams
    | DatetimeSamplerParams
    | GaussianSamplerParams
    | PersonSamplerParams
    | PersonFromFakerSamplerParams
    | PoissonSamplerParams
    | ScipySamplerParams
    | SubcategorySamplerParams
    | TimeDeltaSamplerParams
    | UniformSamplerParams
    | UUIDSamplerParams,
    Field(discriminator="sampler_type"),
]
