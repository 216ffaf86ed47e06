"""User-defined columns from ``@custom_column_generator`` functions, cell-by-cell or full-column, sync or async.

Sync cell functions run in worker threads so they may call the sync ``ModelFacade.generate`` (bridged to the engine
loop); async functions are awaited on the loop. The output contract is checked on every call: the column and its
declared side-effect columns must be present; undeclared new keys are dropped with a warning (once per column).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import contextvars
import functools
import logging
from typing import Any

from data_designer.errors import RETRYABLE_MODEL_ERRORS, CustomColumnGenerationError, DataDesignerError
from data_designer.generators.base import CellGenerator, FullColumnGenerator, FullColumnResult, GeneratorContext

__all__ = ["CustomCellGenerator", "CustomFullColumnGenerator", "create_custom_generator"]

logger = logging.getLogger("data_designer.generators.custom")


class _CustomMixin:
    config: Any
    context: GeneratorContext

    def _setup(self) -> None:
        fn = self.config.generator_function
        meta = fn.custom_column_metadata
        self.fn = fn
        self.is_async = meta["is_async"]
        self.num_params = meta["num_params"]
        self.required = meta["required_columns"]
        self.side_effects = meta["side_effect_columns"]
        self.aliases = meta["model_aliases"]
        self.models = {a: self.context.models.get_model(a) for a in self.aliases} if self.aliases else {}
        self.params = self.config.generator_params
        self._warned = False
        if self.models:
            self.dispatch_key = "custom:" + self.config.name
            self.dispatch_budget = sum(m.max_parallel_requests for m in self.models.values())
        self._pool: concurrent.futures.ThreadPoolExecutor | None = None

    def _args(self, data: Any) -> tuple:
        return (data, self.params, self.models)[: self.num_params]

    def _wrap(self, exc: Exception) -> Exception:
        if isinstance(exc, RETRYABLE_MODEL_ERRORS) or isinstance(exc, DataDesignerError):
            return exc
        return CustomColumnGenerationError(
            f"custom column {self.config.name!r}: {self.fn.__name__} raised {type(exc).__name__}: {exc}"
        )

    def _check_keys(self, keys: Any, what: str) -> None:
        missing = [c for c in [self.config.name, *self.side_effects] if c not in keys]
        if missing:
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r}: {self.fn.__name__} must return a {what} containing "
                f"{missing}; add them to its result"
            )


class CustomCellGenerator(_CustomMixin, CellGenerator):
    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        self._setup()

    async def agenerate(self, row: dict[str, Any]) -> dict[str, Any]:
        data = dict(row)
        try:
            if self.is_async:
                result = await self.fn(*self._args(data))
            else:
                result = await self._in_thread(data)
        except Exception as exc:
            raise self._wrap(exc) from exc
        if self.config.allow_resize:
            return {"__rows__": self._resized_rows(row, result)}
        if not isinstance(result, dict):
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r}: {self.fn.__name__} must return a dict, got {type(result).__name__}"
            )
        self._check_keys(result, "dict")
        if not self._warned:
            extra = set(result) - set(row) - {self.config.name, *self.side_effects}
            if extra:
                self._warned = True
                logger.warning(
                    "custom column %r returned undeclared columns %s; they are dropped (declare them in "
                    "side_effect_columns to keep them)",
                    self.config.name,
                    sorted(extra),
                )
        return {name: result.get(name) for name in self.output_columns}

    async def _in_thread(self, data: dict[str, Any]) -> Any:
        """Sync functions run on this column's own threads, as many as it may have cells in flight (the shared
        default executor has only cpu+4 threads and would cap model-calling columns far below their budget)."""
        if self._pool is None:
            workers = (
                getattr(self, "dispatch_budget", None) or self.context.run_config.non_inference_max_parallel_workers
            )
            self._pool = concurrent.futures.ThreadPoolExecutor(
                max_workers=max(1, workers), thread_name_prefix=f"dd-custom-{self.config.name}"
            )
        call = functools.partial(contextvars.copy_context().run, self.fn, *self._args(data))
        return await asyncio.get_running_loop().run_in_executor(self._pool, call)

    def close(self) -> None:
        if self._pool is not None:
            self._pool.shutdown(wait=False, cancel_futures=True)
            self._pool = None

    def _resized_rows(self, row: dict[str, Any], result: Any) -> list[dict[str, Any]]:
        """allow_resize: a dict is one row, a list of dicts is 1:N (an empty list removes the row)."""
        rows = [result] if isinstance(result, dict) else result
        if not isinstance(rows, list) or not all(isinstance(r, dict) for r in rows):
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r} (allow_resize=True): {self.fn.__name__} must return a dict or a "
                f"list of dicts, got {type(result).__name__}"
            )
        for item in rows:
            self._check_keys(item, "dict")
        return [{**row, **item} for item in rows]


class CustomFullColumnGenerator(_CustomMixin, FullColumnGenerator):
    def __init__(self, config: Any, context: GeneratorContext) -> None:
        super().__init__(config, context)
        self._setup()

    def generate(self, columns: dict[str, list[Any]], num_rows: int) -> FullColumnResult:
        df = self._frame(columns, num_rows)
        try:
            result = self.fn(*self._args(df))
        except Exception as exc:
            raise self._wrap(exc) from exc
        return self._finish(df, result, num_rows)

    async def agenerate_full(self, columns: dict[str, list[Any]], num_rows: int) -> FullColumnResult:
        """Async functions are awaited on the engine loop, where their model sessions live."""
        df = self._frame(columns, num_rows)
        try:
            result = await self.fn(*self._args(df))
        except Exception as exc:
            raise self._wrap(exc) from exc
        return self._finish(df, result, num_rows)

    @staticmethod
    def _frame(columns: dict[str, list[Any]], num_rows: int) -> Any:
        import pandas as pd

        return pd.DataFrame(columns) if columns else pd.DataFrame(index=range(num_rows))

    def _finish(self, df: Any, result: Any, num_rows: int) -> FullColumnResult:
        import pandas as pd

        if not isinstance(result, pd.DataFrame):
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r}: {self.fn.__name__} must return a DataFrame, "
                f"got {type(result).__name__}"
            )
        self._check_keys(result.columns, "DataFrame")
        removed = [c for c in df.columns if c not in result.columns]
        if removed:
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r}: {self.fn.__name__} removed existing columns {removed}"
            )
        if len(result) != num_rows and self.config.allow_resize:
            return FullColumnResult(values={}, resized={name: result[name].tolist() for name in result.columns})
        if len(result) != num_rows:
            raise CustomColumnGenerationError(
                f"custom column {self.config.name!r}: {self.fn.__name__} returned {len(result)} rows for {num_rows}; "
                "full-column generators must keep the row count (use allow_resize=True to change it)"
            )
        return FullColumnResult(values={name: result[name].tolist() for name in self.output_columns})


def create_custom_generator(config: Any, context: GeneratorContext) -> CellGenerator | FullColumnGenerator:
    strategy = getattr(config.generation_strategy, "value", config.generation_strategy)
    if strategy == "full_column":
        return CustomFullColumnGenerator(config, context)
    return CustomCellGenerator(config, context)
