"""UUID sampler: version-4 UUIDs built from the run's RNG so they are reproducible from the seed."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import numpy as np

__all__ = ["draw_uuid"]


def draw_uuid(params: Any, num_rows: int, rng: np.random.Generator, upstream: Mapping[str, np.ndarray]) -> np.ndarray:
    raw = rng.integers(0, 256, size=(num_rows, 16), dtype=np.uint8)
    raw[:, 6] = (raw[:, 6] & 0x0F) | 0x40  # version 4
    raw[:, 8] = (raw[:, 8] & 0x3F) | 0x80  # RFC 4122 variant
    digits = raw.tobytes().hex()
    if params.uppercase:
        digits = digits.upper()
    prefix = params.prefix or ""
    out = np.empty(num_rows, dtype=object)
    if params.short_form:
        out[:] = [prefix + digits[i : i + 8] for i in range(0, 32 * num_rows, 32)]
    else:
        out[:] = [
            f"{prefix}{d[:8]}-{d[8:12]}-{d[12:16]}-{d[16:20]}-{d[20:]}"
            for d in (digits[i : i + 32] for i in range(0, 32 * num_rows, 32))
        ]
    return out
