"""Typed engine events and the sinks that consume them.

The engine never renders anything: it emits these events and keeps cheap counters (``RunProgress``) that a sink
may read whenever it wants. Per-cell events are deliberately absent: at thousands of cells per second an event per
cell would cost more than the cell's bookkeeping.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any, Protocol

__all__ = [
    "EngineEvent",
    "EventSink",
    "JsonlEventSink",
    "LoggingSink",
    "RecordingSink",
    "RowGroupCheckpointed",
    "RunFinished",
    "RunProgress",
    "RunStarted",
    "UnitProgress",
    "TaskTrace",
]

logger = logging.getLogger("data_designer.engine")


@dataclass
class UnitProgress:
    name: str
    kind: str
    total: int = 0
    done: int = 0
    failed: int = 0
    skipped: int = 0
    retried: int = 0


@dataclass
class RunProgress:
    """Live counters owned by the scheduler; sinks only read them."""

    target_records: int
    started_at: float
    units: dict[str, UnitProgress] = field(default_factory=dict)
    records_written: int = 0
    rows_dropped: int = 0
    row_groups_done: int = 0
    row_groups_total: int = 0
    throttle: dict[str, dict[str, Any]] = field(default_factory=dict)


@dataclass(frozen=True)
class RunStarted:
    target_records: int
    row_groups: int
    units: tuple[str, ...]
    engine: str


@dataclass(frozen=True)
class RowGroupCheckpointed:
    row_group: int
    records: int
    dropped: int
    path: str | None


@dataclass(frozen=True)
class RunFinished:
    records: int
    target_records: int
    elapsed_s: float
    early_shutdown: bool
    progress: RunProgress


@dataclass
class TaskTrace:
    column: str
    row_group: int
    row_index: int | None
    task_type: str
    dispatched_at: float
    slot_acquired_at: float | None = None
    completed_at: float | None = None
    status: str = "pending"
    error: str | None = None


EngineEvent = RunStarted | RowGroupCheckpointed | RunFinished


class EventSink(Protocol):
    def handle(self, event: EngineEvent) -> None: ...

    def tick(self, progress: RunProgress, now: float) -> None: ...


class RecordingSink:
    """Keeps every event; for tests and plugin authors."""

    def __init__(self) -> None:
        self.events: list[EngineEvent] = []

    def handle(self, event: EngineEvent) -> None:
        self.events.append(event)

    def tick(self, progress: RunProgress, now: float) -> None:
        pass


class JsonlEventSink:
    """``scheduler_events.jsonl`` (``RunConfig.write_scheduler_events``): one JSON object per engine event."""

    def __init__(self, path: Any) -> None:
        self.path = path

    def handle(self, event: EngineEvent) -> None:
        import dataclasses

        import orjson

        payload = {"event": type(event).__name__, **dataclasses.asdict(event)}
        payload.pop("progress", None)
        if isinstance(event, RunFinished):
            payload["units"] = {name: dataclasses.asdict(unit) for name, unit in event.progress.units.items()}
        with open(self.path, "ab") as handle:
            handle.write(orjson.dumps(payload, default=str) + b"\n")

    def tick(self, progress: RunProgress, now: float) -> None:
        pass


class LoggingSink:
    """Plain log lines: a progress block every ``interval_s`` and a final summary."""

    def __init__(self, interval_s: float = 5.0) -> None:
        self.interval_s = interval_s
        self._last = None

    def handle(self, event: EngineEvent) -> None:
        if isinstance(event, RunStarted):
            logger.info(
                "🚀 generating %d records in %d row group(s) with the %s engine",
                event.target_records,
                event.row_groups,
                event.engine,
            )
        elif isinstance(event, RunFinished):
            p = event.progress
            ok = sum(u.done for u in p.units.values())
            failed = sum(u.failed for u in p.units.values())
            skipped = sum(u.skipped for u in p.units.values())
            logger.info(
                "✅ generation complete [%.1fs]: %d of %d records (%.1f%%); tasks ok=%d failed=%d skipped=%d%s",
                event.elapsed_s,
                event.records,
                event.target_records,
                100.0 * event.records / max(1, event.target_records),
                ok,
                failed,
                skipped,
                " (stopped early: error rate over the shutdown threshold)" if event.early_shutdown else "",
            )

    def tick(self, progress: RunProgress, now: float) -> None:
        if self._last is None:
            self._last = now
            return
        if now - self._last < self.interval_s:
            return
        self._last = now
        elapsed = max(1e-9, now - progress.started_at)
        lines = [f"📊 Progress [{elapsed:.0f}s]: {progress.records_written}/{progress.target_records} records written"]
        for unit in progress.units.values():
            pct = 100.0 * unit.done / max(1, unit.total)
            lines.append(
                f"  {unit.name}: {unit.done}/{unit.total} ({pct:.0f}%) {unit.done / elapsed:.1f} rec/s"
                + (f", failed {unit.failed}" if unit.failed else "")
                + (f", skipped {unit.skipped}" if unit.skipped else "")
            )
        for name, snap in progress.throttle.items():
            lines.append(f"  ⚙️ {name}: concurrency limit {snap.get('limit')}, in flight {snap.get('in_flight')}")
        logger.info("\n".join(lines))
