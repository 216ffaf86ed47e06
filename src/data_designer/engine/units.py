"""``EngineUnit``: a plan node bound to its generator, with everything the scheduler needs precomputed per run.

All per-column decisions (which columns a cell reads, skip rules, dispatch group, budget) are made once here so
the per-cell path in the scheduler is a handful of dict look-ups.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from data_designer.errors import (
    RETRYABLE_MODEL_ERRORS,
    DataDesignerError,
    ModelGenerationValidationFailureError,
    ModelRateLimitError,
)
from data_designer.generators.base import ColumnGenerator, FullColumnResult
from data_designer.plan.compile import PlanNode

__all__ = ["EngineUnit", "MAX_TRANSIENT_RETRIES"]

MAX_TRANSIENT_RETRIES = 3  # retries of a timeout / 5xx / connection error before its row (or unit) is dropped


@dataclass
class EngineUnit:
    node: PlanNode
    generator: ColumnGenerator
    read_columns: tuple[str, ...] = ()
    skip: Any = None  # CompiledCondition
    skip_columns: tuple[str, ...] = ()
    skip_value: Any = None
    propagate_skip: bool = True
    required_set: frozenset[str] = frozenset()
    dispatch_key: str = "local"
    dispatch_budget: int = 4
    is_model: bool = False
    run_in_thread: bool = False
    keep_rows_with_parse_failures: bool = False
    fatal_on_error: bool = False
    resizes: bool = False  # allow_resize: the unit may change the number of rows of its group
    journal_full: bool = False  # full-column results worth journaling (custom / validation: costly or random)
    group: Any = field(default=None, repr=False)

    async def run_full_retrying(
        self,
        columns: dict[str, list[Any]],
        num_rows: int,
        *,
        on_retry: Callable[[], None],
        stopping: Callable[[], bool],
    ) -> FullColumnResult | DataDesignerError | None:
        """The result, or the error that ended the attempts; ``None`` when the run began stopping during a backoff.

        Retryable model errors (a full-column custom function calling a model) are retried: a 429 never drops the
        row group, other transient errors give up after ``MAX_TRANSIENT_RETRIES``.
        """
        attempts = 0
        while True:
            try:
                return await self.run_full(columns, num_rows)
            except RETRYABLE_MODEL_ERRORS as exc:
                on_retry()
                if not isinstance(exc, ModelRateLimitError):
                    attempts += 1
                    if attempts > MAX_TRANSIENT_RETRIES:
                        return exc
                await asyncio.sleep(min(30.0, getattr(exc, "retry_after", None) or 0.5 * max(1, attempts)))
                if stopping():
                    return None
            except DataDesignerError as exc:
                return exc

    async def run_full(self, columns: dict[str, list[Any]], num_rows: int) -> FullColumnResult:
        if getattr(self.generator, "is_async", False) and hasattr(self.generator, "agenerate_full"):
            return await self.generator.agenerate_full(columns, num_rows)
        if self.run_in_thread:
            return await asyncio.to_thread(self.generator.generate, columns, num_rows)
        return self.generator.generate(columns, num_rows)

    def keep_row_on_failure(self, exc: BaseException) -> bool:
        return self.keep_rows_with_parse_failures and isinstance(exc, ModelGenerationValidationFailureError)
