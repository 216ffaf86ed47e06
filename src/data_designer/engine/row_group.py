"""One admitted row group: its frontier, its column buffers, its skip markers and its in-flight tasks.

Owned and mutated only by the scheduler (single event loop), so no locks. Columns are stored column-wise
(``dict[name -> list]``, one slot per row); a cell task writes one slot, a full-column task a whole list.
"""

from __future__ import annotations

import asyncio
from typing import Any

from data_designer.engine.frontier import RowGroupFrontier
from data_designer.engine.units import EngineUnit

__all__ = ["RowGroupRun"]


class RowGroupRun:
    __slots__ = ("spec", "frontier", "columns", "skipped", "finished", "tasks", "rng", "resize_rows", "resized_units")

    def __init__(self, spec: Any) -> None:
        self.spec = spec
        self.frontier: RowGroupFrontier
        self.columns: dict[str, list[Any]] = {}
        self.skipped: dict[int, set[str]] = {}  # row -> columns skipped in that row (sparse)
        self.finished: asyncio.Future = asyncio.get_running_loop().create_future()
        self.tasks: set[asyncio.Task] = set()
        self.resize_rows: dict[int, dict[int, list[dict[str, Any]]]] = {}  # resize cell unit -> row -> new rows
        self.resized_units: set[int] = set()

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
