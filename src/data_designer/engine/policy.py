"""Value types of a run: the row-group layout, the scheduling policy (async vs legacy sync) and the outcome."""

from __future__ import annotations

from dataclasses import dataclass, field

from data_designer.engine.events import RunProgress, TaskTrace

__all__ = ["RowGroupSpec", "RunOutcome", "SchedulingPolicy"]


@dataclass(frozen=True)
class RowGroupSpec:
    id: int
    offset: int
    size: int


@dataclass(frozen=True)
class SchedulingPolicy:
    """How the one runtime schedules: the async engine (default) or the legacy sync behaviour."""

    name: str = "async"
    column_barrier: bool = False  # sync: columns one at a time within a row group
    max_concurrent_row_groups: int | None = None  # sync: 1
    model_budget_factor: float = 2.0  # admitted model tasks per endpoint = factor x max_parallel_requests

    @classmethod
    def sync(cls) -> SchedulingPolicy:
        return cls(name="sync", column_barrier=True, max_concurrent_row_groups=1, model_budget_factor=1.0)


@dataclass
class RunOutcome:
    records: int = 0
    early_shutdown: bool = False
    progress: RunProgress | None = None
    traces: list[TaskTrace] = field(default_factory=list)
    first_failure: BaseException | None = None
