"""Validators behind validation columns: code linting (python via ruff, SQL), local callables, remote endpoints.

Every validator takes one *batch* column-wise (``{target column: [values]}``) and returns one result dict per row,
each with at least ``is_valid`` (``True``/``False``, or ``None`` when the row could not be judged). The
:class:`~data_designer.generators.validation.ValidationGenerator` slices row groups into batches and, for
validators whose ``max_parallel_batches`` exceeds one, runs batches in a thread pool.
"""

from __future__ import annotations

from typing import Any, Protocol

__all__ = ["Validator"]


class Validator(Protocol):
    """What :class:`ValidationGenerator` needs from a validator."""

    max_parallel_batches: int

    def validate_batch(self, batch: dict[str, list[Any]]) -> list[dict[str, Any]]:
        """One result dict (with ``is_valid``) per row of ``batch``, in row order."""
        ...
