"""UUID sampler."""

from __future__ import annotations

import re
import uuid

import numpy as np


def _ids(build, sampler, params, num_rows=500):
    return build([sampler("id", "uuid", params)]).generate(offset=0, num_rows=num_rows, rng=np.random.default_rng(0))[
        "id"
    ]


def test_uuid_default_is_unique_version_4(build, sampler):
    ids = _ids(build, sampler, {})
    assert len(set(ids)) == len(ids)
    parsed = [uuid.UUID(value) for value in ids]
    assert all(u.version == 4 and u.variant == uuid.RFC_4122 and str(u) == v for u, v in zip(parsed, ids, strict=True))


def test_uuid_prefix_short_form_and_uppercase(build, sampler):
    ids = _ids(build, sampler, {"prefix": "user-", "short_form": True, "uppercase": True})
    assert all(re.fullmatch(r"user-[0-9A-F]{8}", value) for value in ids)


def test_uuid_params_may_be_omitted(build):
    from data_designer.config.column_configs import SamplerColumnConfig

    column = SamplerColumnConfig(name="id", sampler_type="uuid", params={})
    assert len(build([column]).generate(offset=0, num_rows=3, rng=np.random.default_rng(0))["id"]) == 3
