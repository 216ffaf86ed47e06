"""One generation run: plan -> units -> scheduler on an event loop, with the engine policy chosen from the env.

The public API is synchronous; ``run_coroutine`` runs the engine on a fresh event loop in the calling thread (or in a
worker thread when the caller already runs a loop, e.g. in Jupyter). Ctrl-C cancels the run; completed row groups are
already durable.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import warnings
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any

from data_designer.engine.build import build_units
from data_designer.engine.checkpoint import Checkpointer
from data_designer.engine.policy import RowGroupSpec, RunOutcome, SchedulingPolicy
from data_designer.engine.scheduler import Scheduler
from data_designer.generators.base import GeneratorContext
from data_designer.plan.compile import ExecutionPlan
from data_designer.throttle.clock import MonotonicClock

__all__ = ["EngineRun", "run_coroutine", "select_policy"]


def select_policy() -> SchedulingPolicy:
    value = os.environ.get("DATA_DESIGNER_ASYNC_ENGINE", "1").strip().lower()
    if value in ("0", "false", "no", "off"):
        message = (
            "DATA_DESIGNER_ASYNC_ENGINE=0 selects the legacy sync engine, which is deprecated and will be removed; "
            "unset it to use the async engine"
        )
        warnings.warn(message, DeprecationWarning, stacklevel=4)
        logging.getLogger("data_designer").warning("⚠️ %s", message)
        return SchedulingPolicy.sync()
    return SchedulingPolicy()


def run_coroutine(coro: Coroutine[Any, Any, Any]) -> Any:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return _run_on_new_loop(coro)
    result: dict[str, Any] = {}

    def target() -> None:
        try:
            result["value"] = _run_on_new_loop(coro)
        except BaseException as exc:  # re-raised in the caller's thread
            result["error"] = exc

    thread = threading.Thread(target=target, name="data-designer-engine", daemon=True)
    thread.start()
    thread.join()
    if "error" in result:
        raise result["error"]
    return result.get("value")


def _run_on_new_loop(coro: Coroutine[Any, Any, Any]) -> Any:
    loop_factory = None
    if os.environ.get("DATA_DESIGNER_UVLOOP", "1") != "0":
        try:
            import uvloop

            loop_factory = uvloop.new_event_loop
        except ImportError:
            loop_factory = None
    with asyncio.Runner(loop_factory=loop_factory) as runner:
        return runner.run(coro)


@dataclass
class EngineRun:
    """Everything one run needs; ``execute`` is a coroutine so callers choose the loop."""

    plan: ExecutionPlan
    context: GeneratorContext
    row_groups: list[RowGroupSpec]
    checkpointer: Checkpointer
    seed: int
    target_records: int
    policy: SchedulingPolicy
    sinks: list[Any]
    journal: Any = None
    throttle_snapshots: Any = None

    async def execute(self) -> RunOutcome:
        units = build_units(self.plan, self.context, seed=self.seed)
        run_config = self.context.run_config
        trace = bool(run_config.async_trace) or os.environ.get("DATA_DESIGNER_ASYNC_TRACE") == "1"
        scheduler = Scheduler(
            units,
            self.row_groups,
            run_config=run_config,
            policy=self.policy,
            checkpointer=self.checkpointer,
            seed=self.seed,
            target_records=self.target_records,
            clock=MonotonicClock(),
            sinks=self.sinks,
            journal=self.journal,
            trace=trace,
            throttle_snapshots=self.throttle_snapshots,
        )
        journal_error: BaseException | None = None
        try:
            outcome = await scheduler.run()
        finally:
            for unit in units:
                close = getattr(unit.generator, "close", None)
                if callable(close):
                    close()
            self.checkpointer.close()
            if self.journal is not None:
                try:
                    self.journal.close()
                except Exception as exc:  # never mask the run's own error; raised below if the run succeeded
                    journal_error = exc
                    logging.getLogger("data_designer.engine").warning("⚠️ could not flush the cell journal: %s", exc)
            models = self.context.models
            if models is not None and hasattr(models, "aclose"):
                await models.aclose()
        if journal_error is not None:  # the batches are durable, but the crash-safety net failed: say so
            raise journal_error
        return outcome
