"""The asyncio runtime: row-group admission, the cell frontier, dispatch, salvage and early shutdown.

Design note
-----------
* One event loop, one ``Scheduler``; the scheduler is the only creator of tasks and the only writer of row-group
  state (``RowGroupFrontier`` + column buffers), so no locks are needed.
* At most ``max_concurrent_row_groups`` row groups are admitted; memory is bounded by
  ``buffer_size x max_concurrent_row_groups`` rows whatever ``num_records`` is.
* From-scratch units (seed reader, samplers) and full-column units run as soon as their dependencies are complete
  for the whole group; cell units run per row as soon as that row's upstream cells are done.
* Retryable model errors (429, timeouts, 5xx, connection) defer the cell to the back of its dispatch group: a rate
  limit never drops a row. Other retryable errors are retried ``MAX_TRANSIENT_RETRIES`` times, then drop the row.
  Non-retryable errors drop the row and feed the early-shutdown window.
* Cancellation: early shutdown cancels in-flight cell tasks, drops the incomplete rows of active groups and
  checkpoints the complete ones; a fatal error (internal bug, failing callback) cancels everything and re-raises.
* No silent task death: every task carries a done-callback, and an exception that escapes a task fails the run
  (otherwise its row group would wait forever). Within a dispatch group the oldest row group is served first.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

import numpy as np

from data_designer.engine.dispatch import DispatchGroup, GlobalBudget
from data_designer.engine.events import (
    RowGroupCheckpointed,
    RunFinished,
    RunProgress,
    RunStarted,
    TaskTrace,
    UnitProgress,
)
from data_designer.engine.frontier import FrontierTopology
from data_designer.engine.policy import RowGroupSpec, RunOutcome, SchedulingPolicy
from data_designer.engine.row_group import RowGroupRun
from data_designer.engine.shutdown import ShutdownWindow
from data_designer.engine.units import MAX_TRANSIENT_RETRIES, EngineUnit
from data_designer.errors import (
    RETRYABLE_MODEL_ERRORS,
    DataDesignerError,
    DataDesignerGenerationError,
    ModelRateLimitError,
)
from data_designer.models.executor import lease_acquired_hook

__all__ = ["Scheduler"]

logger = logging.getLogger("data_designer.engine")


def _row_group_id(item: tuple[RowGroupRun, int, int]) -> int:
    return item[0].spec.id


class Scheduler:
    def __init__(
        self,
        units: list[EngineUnit],
        row_groups: list[RowGroupSpec],
        *,
        run_config: Any,
        policy: SchedulingPolicy,
        checkpointer: Any,
        seed: int,
        target_records: int,
        clock: Any,
        sinks: list[Any] = (),
        journal: Any = None,
        trace: bool = False,
        throttle_snapshots: Any = None,
    ) -> None:
        self.units = units
        self.row_groups = row_groups
        self.run_config = run_config
        self.policy = policy
        self.checkpointer = checkpointer
        self.seed = seed
        self.clock = clock
        self.sinks = list(sinks)
        self.journal = journal
        self.trace = trace
        self._throttle_snapshots = throttle_snapshots
        index = {u.node.name: i for i, u in enumerate(units)}
        self._unit_index = index
        upstream = [[index[d] for d in u.node.upstream if d in index] for u in units]
        self.topology = FrontierTopology.build([u.node.kind for u in units], upstream, barrier=policy.column_barrier)
        self.progress = RunProgress(target_records=target_records, started_at=clock.now())
        for unit in units:
            self.progress.units[unit.node.name] = UnitProgress(unit.node.name, unit.node.kind, total=target_records)
        self.progress.row_groups_total = len(row_groups)
        self._budget = GlobalBudget(run_config.max_in_flight_tasks)
        self._groups: dict[str, DispatchGroup] = {}
        for unit in units:
            if unit.node.kind == "cell":
                key, base = unit.dispatch_key, unit.dispatch_budget
                budget = max(1, int(base * policy.model_budget_factor)) if unit.is_model else base
                group = self._groups.get(key)
                if group is not None and budget < group.budget:
                    group.budget = budget  # aliases of one endpoint share it: the smallest ceiling wins
                if group is None:
                    group = DispatchGroup(key, budget, self._spawn_cell, self._budget, priority=_row_group_id)
                    self._groups[key] = group
                unit.group = group
        self._window = ShutdownWindow(
            run_config.shutdown_error_window,
            run_config.shutdown_error_rate,
            disabled=run_config.disable_early_shutdown,
        )
        self._active: set[RowGroupRun] = set()
        self._stop = False
        self._fatal: BaseException | None = None
        self._retries: dict[tuple[int, int, int], int] = {}
        self.outcome = RunOutcome(progress=self.progress)

    # ================================================================== run
    async def run(self) -> RunOutcome:
        limit = self.policy.max_concurrent_row_groups or self.run_config.max_concurrent_row_groups
        slots = asyncio.Semaphore(limit)
        self._emit(
            RunStarted(self.progress.target_records, len(self.row_groups), tuple(self._unit_names()), self.policy.name)
        )
        ticker = asyncio.create_task(self._tick_loop())
        drivers: list[asyncio.Task] = []
        try:
            for spec in self.row_groups:
                await slots.acquire()
                if self._stop or self._fatal is not None:
                    slots.release()
                    break
                drivers.append(asyncio.create_task(self._drive(spec, slots)))
            results = await asyncio.gather(*drivers, return_exceptions=True)
        except BaseException:
            self._abort_all()
            for task in drivers:
                task.cancel()
            await asyncio.gather(*drivers, return_exceptions=True)
            raise
        finally:
            ticker.cancel()
        errors = [r for r in results if isinstance(r, BaseException)]
        if self._fatal is not None:
            raise self._fatal
        if errors:
            raise errors[0]
        self.outcome.early_shutdown = self._stop
        self._emit(
            RunFinished(
                self.outcome.records,
                self.progress.target_records,
                self.clock.now() - self.progress.started_at,
                self._stop,
                self.progress,
            )
        )
        return self.outcome

    def _unit_names(self) -> list[str]:
        return [u.node.name for u in self.units]

    async def _drive(self, spec: RowGroupSpec, slots: asyncio.Semaphore) -> None:
        group = RowGroupRun(spec, self.topology, (self._ready_cell, self._ready_unit, self._unit_complete))
        try:
            if self._stop:  # shutdown began between slot acquisition and this task's first step
                return
            self._active.add(group)
            self._admit(group)
            await group.finished
            if self._fatal is not None:
                raise self._fatal
            keep = group.frontier.alive_rows()
            self.progress.rows_dropped += max(0, spec.size - len(keep))
            path = await self.checkpointer.checkpoint(spec.id, group.columns, keep)
            self.outcome.records += len(keep)
            self.progress.records_written += len(keep)
            self.progress.row_groups_done += 1
            self._emit(
                RowGroupCheckpointed(spec.id, len(keep), max(0, spec.size - len(keep)), str(path) if path else None)
            )
        except BaseException as exc:
            if self._fatal is None and not isinstance(exc, asyncio.CancelledError):
                self._fail(exc)
            raise
        finally:
            self._active.discard(group)
            slots.release()

    # ================================================================== row groups
    def _admit(self, group: RowGroupRun) -> None:
        spec = group.spec
        group.rng = np.random.default_rng([self.seed, spec.id])
        for unit in self.units:
            for name in unit.node.outputs:
                group.columns[name] = [None] * spec.size
        group.frontier.start()
        if self.journal is not None:
            for unit_name, row, values in self.journal.replay(spec.id):
                self._apply_journaled(group, unit_name, row, values)
        group.check_finished()

    def _unit_complete(self, group: RowGroupRun, index: int) -> None:
        unit = self.units[index]
        if unit.resizes and unit.node.kind == "cell" and index not in group.resized_units:
            per_row = group.resize_rows.pop(index, {})
            rows = [item for r in sorted(per_row) for item in per_row[r]]
            group.resize(index, {name: [item.get(name) for item in rows] for name in group.columns})

    def _apply_journaled(self, group: RowGroupRun, unit_name: str, row: int, values: dict[str, Any]) -> None:
        index = self._unit_index.get(unit_name)
        if index is None or row >= group.spec.size:
            return
        if row == -1:  # a whole full-column unit (custom / validation): restore instead of recomputing
            if group.frontier.complete[index]:
                return
            unit = self.units[index]
            for skipped_row in values.get("skipped", []):
                self._write_skip(unit, group, skipped_row)
            group.apply_full(values["rows"], values["values"], values.get("failed", []))
            self.progress.units[unit_name].done += len(values["rows"]) - len(values.get("failed", []))
            group.frontier.mark_unit_done(index)
            return
        if group.frontier.done[index][row]:
            return
        for name, value in values.items():
            if name in group.columns:
                group.columns[name][row] = value
        self.progress.units[unit_name].done += 1
        group.frontier.mark_done(index, row)

    def _ready_unit(self, group: RowGroupRun, index: int) -> None:
        unit = self.units[index]
        if unit.node.kind in ("seed", "samplers"):
            self._run_from_scratch(group, index)
        else:
            self._track(group, asyncio.get_running_loop().create_task(self._run_full(group, index)))

    def _run_from_scratch(self, group: RowGroupRun, index: int) -> None:
        unit, spec = self.units[index], group.spec
        try:
            values = unit.generator.generate(offset=spec.offset, num_rows=spec.size, rng=group.rng)
        except DataDesignerError as exc:
            self._fail(exc)
            return
        for name, column in values.items():
            group.columns[name] = column.tolist() if isinstance(column, np.ndarray) else list(column)
        self.progress.units[unit.node.name].done += spec.size
        group.frontier.mark_unit_done(index)

    async def _run_full(self, group: RowGroupRun, index: int) -> None:
        unit = self.units[index]
        frontier, columns = group.frontier, group.columns
        if frontier.complete[index]:  # restored from the journal
            return
        rows, skipped = [], []
        for row in frontier.alive_rows():
            if group.should_skip(unit, row):
                self._write_skip(unit, group, row)
                skipped.append(row)
            else:
                rows.append(row)
        progress = self.progress.units[unit.node.name]
        if rows:
            view = {name: [columns[name][r] for r in rows] for name in unit.read_columns}
            result = await unit.run_full_retrying(
                view,
                len(rows),
                on_retry=lambda: setattr(progress, "retried", progress.retried + 1),
                stopping=lambda: self._stop,
            )
            if result is None:
                return
            if (
                isinstance(result, DataDesignerError)
                and not isinstance(result, RETRYABLE_MODEL_ERRORS)
                and (unit.fatal_on_error and not isinstance(result, DataDesignerGenerationError))
            ):
                self._fail(result)
                return
            if isinstance(result, BaseException):  # a non-fatal failure: the unit's rows are dropped
                if self.outcome.first_failure is None:
                    self.outcome.first_failure = result
                for row in rows:
                    progress.failed += 1
                    self._record_outcome(False, result)
                    frontier.drop_row(row)
                group.check_finished()
                return
            if result.resized is not None:
                progress.done += len(next(iter(result.resized.values()), []))
                group.resize(index, result.resized)
                return
            if self.journal is not None and unit.journal_full:
                self.journal.record(
                    group.spec.id,
                    unit.node.name,
                    -1,
                    {"rows": rows, "skipped": skipped, "values": result.values, "failed": list(result.failed_rows)},
                )
            group.apply_full(rows, result.values, list(result.failed_rows))
            if result.failed_rows:
                first = next(iter(result.failed_rows.values()))
                if self.outcome.first_failure is None:
                    self.outcome.first_failure = DataDesignerGenerationError(f"column {unit.node.name!r}: {first}")
                logger.warning(
                    "⚠️ column %r dropped %d row(s) of row group %d; first reason: %s",
                    unit.node.name,
                    len(result.failed_rows),
                    group.spec.id,
                    first,
                )
                progress.failed += len(result.failed_rows)
            progress.done += len(rows) - len(result.failed_rows)
        frontier.mark_unit_done(index)
        group.check_finished()

    # ================================================================== cells
    def _ready_cell(self, group: RowGroupRun, index: int, row: int) -> None:
        self.units[index].group.submit((group, index, row))

    def _spawn_cell(self, item: tuple[RowGroupRun, int, int]) -> None:
        self._track(item[0], asyncio.get_running_loop().create_task(self._run_cell(*item)))

    def _track(self, group: RowGroupRun, task: asyncio.Task) -> None:
        group.tasks.add(task)
        task.add_done_callback(lambda t: self._task_done(group, t))

    def _task_done(self, group: RowGroupRun, task: asyncio.Task) -> None:
        """No task may die silently: an exception that escaped a task would leave its row group waiting forever."""
        group.tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            self._fail(task.exception())

    async def _run_cell(self, group: RowGroupRun, index: int, row: int) -> None:
        unit = self.units[index]
        frontier = group.frontier
        trace = None
        try:
            if group.frontier is not frontier or not frontier.alive[row] or frontier.done[index][row]:
                return
            if self._stop:
                frontier.drop_row(row)
                group.check_finished()
                return
            if group.should_skip(unit, row):
                self._write_skip(unit, group, row)
                frontier.mark_done(index, row)
                group.check_finished()
                return
            if self.trace:
                trace = TaskTrace(unit.node.name, group.spec.id, row, "cell", self.clock.now())
                self.outcome.traces.append(trace)
                lease_acquired_hook.set(lambda t=trace: setattr(t, "slot_acquired_at", self.clock.now()))
            columns = group.columns
            values = await unit.generator.agenerate({name: columns[name][row] for name in unit.read_columns})
        except asyncio.CancelledError:
            if trace is not None:
                trace.status, trace.completed_at = "cancelled", self.clock.now()
            raise
        except RETRYABLE_MODEL_ERRORS as exc:
            self._defer(group, index, row, exc, trace)
            return
        except DataDesignerError as exc:
            if trace is not None:
                trace.status, trace.error, trace.completed_at = "failed", str(exc), self.clock.now()
            self._cell_failed(group, index, row, exc)
            return
        except Exception as exc:
            self._fail(exc)
            return
        finally:
            unit.group.task_finished()
        if group.frontier is not frontier or not frontier.alive[row] or frontier.done[index][row]:
            return
        if self._retries:
            self._retries.pop((group.spec.id, index, row), None)
        columns = group.columns
        if unit.resizes:
            group.resize_rows.setdefault(index, {})[row] = values["__rows__"]
        else:
            for name in unit.node.outputs:
                columns[name][row] = values.get(name)
        if self.journal is not None and not unit.resizes:
            try:
                self.journal.record(group.spec.id, unit.node.name, row, values)
            except DataDesignerError as exc:  # the journal is the crash-safety net: failing to write it is fatal
                self._fail(exc)
                return
        if trace is not None:
            trace.status, trace.completed_at = "ok", self.clock.now()
        self.progress.units[unit.node.name].done += 1
        self._record_outcome(True, None)
        frontier.mark_done(index, row)
        group.check_finished()

    def _defer(self, group: RowGroupRun, index: int, row: int, exc: BaseException, trace: TaskTrace | None) -> None:
        unit = self.units[index]
        self.progress.units[unit.node.name].retried += 1
        if trace is not None:
            trace.status, trace.error, trace.completed_at = "deferred", type(exc).__name__, self.clock.now()
        if not isinstance(exc, ModelRateLimitError):
            key = (group.spec.id, index, row)
            attempts = self._retries.get(key, 0) + 1
            self._retries[key] = attempts
            if attempts > MAX_TRANSIENT_RETRIES:
                self._retries.pop(key, None)
                self._cell_failed(group, index, row, exc)
                return
        if self._stop:
            group.frontier.drop_row(row)
            group.check_finished()
            return
        unit.group.resubmit((group, index, row))
        unit.group.pump()

    def _cell_failed(self, group: RowGroupRun, index: int, row: int, exc: BaseException) -> None:
        unit = self.units[index]
        self.progress.units[unit.node.name].failed += 1
        if self.outcome.first_failure is None:
            self.outcome.first_failure = exc
        logger.debug("row %d of row group %d dropped by %s: %s", row, group.spec.id, unit.node.name, exc)
        if unit.keep_row_on_failure(exc):
            for name in unit.node.outputs:
                group.columns[name][row] = None
            group.frontier.mark_done(index, row)
        else:
            group.frontier.drop_row(row)
        self._record_outcome(False, exc)
        group.check_finished()

    def _write_skip(self, unit: EngineUnit, group: RowGroupRun, row: int) -> None:
        group.write_skip(unit, row)
        self.progress.units[unit.node.name].skipped += 1

    # ================================================================== shutdown and failure
    def _record_outcome(self, ok: bool, exc: BaseException | None) -> None:
        if self._window.record(ok) and not self._stop:
            logger.warning(
                "⛔ early shutdown: %d of the last %d tasks failed (threshold %.0f%%); last error: %s",
                self._window.failures,
                self._window.size,
                100 * self._window.rate,
                exc,
            )
            self._begin_shutdown()

    def _begin_shutdown(self) -> None:
        self._stop = True
        for group in list(self._active):
            for task in list(group.tasks):
                task.cancel()
            frontier = group.frontier
            for row in frontier.alive_rows():
                if not frontier.is_row_complete(row):
                    frontier.drop_row(row)
            group.check_finished()

    def _fail(self, exc: BaseException) -> None:
        if self._fatal is None:
            self._fatal = exc
        self._abort_all()

    def _abort_all(self) -> None:
        self._stop = True
        for group in list(self._active):
            for task in list(group.tasks):
                task.cancel()
            if not group.finished.done():
                group.finished.set_result(None)

    # ================================================================== observability
    def _emit(self, event: Any) -> None:
        for sink in self.sinks:
            sink.handle(event)

    async def _tick_loop(self) -> None:
        interval = min(1.0, float(self.run_config.progress_interval))
        if self.journal is not None:
            interval = min(interval, self.journal.flush_interval_s)
        while True:
            await asyncio.sleep(interval)
            if self.journal is not None:
                try:
                    self.journal.flush_if_due()
                except DataDesignerError as exc:
                    self._fail(exc)
                    return
            if self._throttle_snapshots is not None:
                self.progress.throttle = self._throttle_snapshots()
            now = self.clock.now()
            for sink in self.sinks:
                sink.tick(self.progress, now)
