"""One admitted row group: its frontier, its column buffers, its skip markers and its in-flight tasks.

Owned and mutated only by the scheduler (single event loop), so no locks. Columns are stored column-wise
(``dict[name -> list]``, one slot per row); a cell task writes one slot, a full-column task a whole list.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from typing import Any

from data_designer.engine.frontier import FrontierTopology, RowGroupFrontier
from data_designer.engine.units import EngineUnit

__all__ = ["RowGroupRun"]


class RowGroupRun:
    __slots__ = (
        "spec",
        "frontier",
        "columns",
        "skipped",
        "finished",
        "tasks",
        "rng",
        "resize_rows",
        "resized_units",
        "_topology",
        "_callbacks",
    )

    def __init__(self, spec: Any, topology: FrontierTopology, callbacks: tuple[Callable, Callable, Callable]) -> None:
        """``callbacks`` are the scheduler's (ready_cell(group, unit, row), ready_unit(group, unit),
        unit_complete(group, unit)); they are only forwarded from the group's current frontier."""
        self.spec = spec
        self._topology = topology
        self._callbacks = callbacks
        self.frontier = self.new_frontier(spec.size)
        self.columns: dict[str, list[Any]] = {}
        self.skipped: dict[int, set[str]] = {}  # row -> columns skipped in that row (sparse)
        self.finished: asyncio.Future = asyncio.get_running_loop().create_future()
        self.tasks: set[asyncio.Task] = set()
        self.resize_rows: dict[int, dict[int, list[dict[str, Any]]]] = {}  # resize cell unit -> row -> new rows
        self.resized_units: set[int] = set()

    def new_frontier(self, size: int) -> RowGroupFrontier:
        """A frontier whose callbacks go quiet once the group has moved on to a newer (resized) one."""
        ready_cell, ready_unit, unit_complete = self._callbacks
        holder: list[RowGroupFrontier] = []

        def current() -> bool:
            return self.frontier is holder[0]

        frontier = RowGroupFrontier(
            self._topology,
            size,
            on_ready_cell=lambda u, r: ready_cell(self, u, r) if current() else None,
            on_ready_unit=lambda u: ready_unit(self, u) if current() else None,
            on_unit_complete=lambda u: unit_complete(self, u) if current() else None,
        )
        holder.append(frontier)
        return frontier

    def resize(self, index: int, columns: dict[str, list[Any]]) -> None:
        """allow_resize: adopt a new set of rows; every unit up to ``index`` is done for all of them."""
        self.resized_units.add(index)  # the rebuilt frontier completes this unit again: resize only once
        size = self.replace_rows(columns)
        self.frontier = self.new_frontier(max(1, size))
        if size == 0:
            self.frontier.drop_row(0)
        else:
            for unit in range(index + 1):
                self.frontier.mark_unit_done(unit)
        self.check_finished()

    def apply_full(self, rows: list[int], values: dict[str, list[Any]], failed: list[int]) -> None:
        """Scatter a full-column result (one value per listed row) and drop the rows it failed."""
        columns = self.columns
        for name, column in values.items():
            target = columns.setdefault(name, [None] * self.frontier.size)
            for position, row in enumerate(rows):
                target[row] = column[position]
        for position in failed:
            self.frontier.drop_row(rows[position])

    def check_finished(self) -> None:
        if self.frontier.is_complete and not self.finished.done():
            self.finished.set_result(None)

    def should_skip(self, unit: EngineUnit, row: int) -> bool:
        """Skip propagation (an upstream column of this row was skipped) first, then the unit's ``skip.when``."""
        if unit.propagate_skip and self.skipped:
            skipped = self.skipped.get(row)
            if skipped and not skipped.isdisjoint(unit.required_set):
                return True
        if unit.skip is not None:
            columns = self.columns
            return unit.skip.evaluate({name: columns[name][row] for name in unit.skip_columns})
        return False

    def write_skip(self, unit: EngineUnit, row: int) -> None:
        columns = self.columns
        columns[unit.node.name][row] = unit.skip_value
        for name in unit.node.outputs[1:]:
            columns[name][row] = None
        self.skipped.setdefault(row, set()).add(unit.node.name)

    def replace_rows(self, columns: dict[str, list[Any]]) -> int:
        """allow_resize: adopt a new set of rows (every known column, missing ones as None); returns the size."""
        size = len(next(iter(columns.values()))) if columns else 0
        self.columns = {name: list(columns.get(name, [None] * size)) for name in self.columns}
        self.skipped = {}
        return size
