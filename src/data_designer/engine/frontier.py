"""The ready frontier of one row group: which (unit, row) cells may run now.

Pure bookkeeping, no asyncio. The scheduler owns one ``RowGroupFrontier`` per admitted row group and is the only
writer. Dependencies come in two flavours:

* per-row: a cell unit downstream of another cell unit may run row ``r`` as soon as row ``r`` of the upstream unit
  is done (this is what lets independent LLM columns and chained columns overlap);
* whole-unit: a full-column unit, or anything downstream of a seed/sampler/full-column unit, waits until that unit
  is done for every row. The legacy sync policy turns every dependency into a whole-unit barrier.

A row is *done* for a unit when its cell was generated, skipped, or the row was dropped. A unit is complete when it
is done for all rows; the group is complete when every unit is.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

__all__ = ["FrontierTopology", "RowGroupFrontier"]


@dataclass(frozen=True)
class FrontierTopology:
    """Static wiring shared by every row group of a run (computed once per run)."""

    kinds: tuple[str, ...]  # per unit: seed | samplers | full_column | cell
    row_deps: tuple[tuple[int, ...], ...]  # per unit: upstream units with per-row dependency
    unit_deps: tuple[tuple[int, ...], ...]  # per unit: upstream units that must be complete first

    @classmethod
    def build(cls, kinds: Sequence[str], upstream: Sequence[Sequence[int]], *, barrier: bool) -> FrontierTopology:
        row_deps, unit_deps = [], []
        for index, deps in enumerate(upstream):
            if barrier:
                row_deps.append(())
                unit_deps.append(tuple(range(index)))
                continue
            per_row = tuple(d for d in deps if kinds[index] == "cell" and kinds[d] == "cell")
            row_deps.append(per_row)
            unit_deps.append(tuple(d for d in deps if d not in per_row))
        return cls(tuple(kinds), tuple(row_deps), tuple(unit_deps))

    @property
    def num_units(self) -> int:
        return len(self.kinds)


class RowGroupFrontier:
    """Tracks completion of one row group and reports cells/units as they become ready.

    ``on_ready_cell(unit, row)`` and ``on_ready_unit(unit)`` are called synchronously from the mutating methods.
    """

    def __init__(
        self,
        topology: FrontierTopology,
        size: int,
        on_ready_cell: Callable[[int, int], None],
        on_ready_unit: Callable[[int], None],
        on_unit_complete: Callable[[int], None] | None = None,
    ) -> None:
        self.topology = topology
        self.size = size
        n_units = topology.num_units
        self.alive = bytearray(b"\x01") * size
        self.done = [bytearray(size) for _ in range(n_units)]
        self.rows_done = [0] * n_units
        self.complete = [False] * n_units
        self.pending_units = [len(topology.unit_deps[u]) for u in range(n_units)]
        self.waiting = [
            [len(topology.row_deps[u])] * size if topology.kinds[u] == "cell" else None for u in range(n_units)
        ]
        self.cell_children: list[list[int]] = [[] for _ in range(n_units)]
        self.unit_children: list[list[int]] = [[] for _ in range(n_units)]
        for unit in range(n_units):
            for dep in topology.row_deps[unit]:
                self.cell_children[dep].append(unit)
            for dep in topology.unit_deps[unit]:
                self.unit_children[dep].append(unit)
        self._on_ready_cell = on_ready_cell
        self._on_ready_unit = on_ready_unit
        self._on_unit_complete = on_unit_complete
        self.units_complete = 0
        self._started = False

    # ------------------------------------------------------------------ queries
    @property
    def is_complete(self) -> bool:
        return self.units_complete == self.topology.num_units

    def alive_rows(self) -> list[int]:
        return [r for r in range(self.size) if self.alive[r]]

    def is_row_complete(self, row: int) -> bool:
        return all(done[row] for done in self.done)

    # ------------------------------------------------------------------ mutations
    def start(self) -> None:
        """Announce every unit with no dependencies (the from-scratch units)."""
        if self._started:
            return
        self._started = True
        # Snapshot first: activating a from-scratch unit completes it synchronously, which activates its children;
        # they must not be activated a second time by this loop.
        roots = [unit for unit in range(self.topology.num_units) if self.pending_units[unit] == 0]
        for unit in roots:
            self._activate(unit)

    def mark_done(self, unit: int, row: int) -> None:
        done = self.done[unit]
        if done[row]:
            return
        done[row] = 1
        self.rows_done[unit] += 1
        for child in self.cell_children[unit]:
            waiting = self.waiting[child]
            waiting[row] -= 1
            if waiting[row] == 0 and self.pending_units[child] == 0 and self.alive[row] and not self.done[child][row]:
                self._on_ready_cell(child, row)
        if self.rows_done[unit] == self.size:
            self._complete_unit(unit)

    def mark_unit_done(self, unit: int) -> None:
        """A whole-unit task finished: every row not already done becomes done."""
        done = self.done[unit]
        for row in range(self.size):
            if not done[row]:
                self.mark_done(unit, row)

    def drop_row(self, row: int) -> None:
        if not self.alive[row]:
            return
        self.alive[row] = 0
        for unit in range(self.topology.num_units):
            self.mark_done(unit, row)

    # ------------------------------------------------------------------ internals
    def _complete_unit(self, unit: int) -> None:
        if self.complete[unit]:
            return
        self.complete[unit] = True
        self.units_complete += 1
        if self._on_unit_complete is not None:
            self._on_unit_complete(unit)
        for child in self.unit_children[unit]:
            self.pending_units[child] -= 1
            if self.pending_units[child] == 0:
                self._activate(child)

    def _activate(self, unit: int) -> None:
        if self.topology.kinds[unit] != "cell":
            if not self.complete[unit]:
                self._on_ready_unit(unit)
            return
        waiting = self.waiting[unit]
        done = self.done[unit]
        for row in range(self.size):
            if waiting[row] == 0 and self.alive[row] and not done[row]:
                self._on_ready_cell(unit, row)
