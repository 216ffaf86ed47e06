"""A live Rich view of a run (TTY only): per-column progress, rate, ETA and each model's current concurrency."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table

from data_designer.engine.events import LoggingSink, RunFinished, RunProgress, RunStarted

__all__ = ["RichProgressSink", "render_progress"]


def render_progress(progress: RunProgress, now: float) -> Table:
    elapsed = max(1e-9, now - progress.started_at)
    table = Table(
        title=f"data-designer · {progress.records_written}/{progress.target_records} records written · {elapsed:.0f}s",
        expand=False,
    )
    for header in ("column", "done", "total", "%", "rec/s", "ETA", "failed", "skipped"):
        table.add_column(header, justify="right" if header != "column" else "left")
    for unit in progress.units.values():
        rate = unit.done / elapsed
        remaining = max(0, unit.total - unit.done - unit.failed - unit.skipped)
        eta = f"{remaining / rate:.0f}s" if rate > 0 and remaining else "-"
        pct = 100.0 * (unit.done + unit.skipped) / max(1, unit.total)
        table.add_row(
            unit.name,
            str(unit.done),
            str(unit.total),
            f"{pct:.0f}",
            f"{rate:.1f}",
            eta,
            str(unit.failed),
            str(unit.skipped),
        )
    for name, snap in progress.throttle.items():
        table.add_row(
            f"⚙️ {name}",
            f"limit {snap.get('limit')}",
            f"in flight {snap.get('in_flight')}",
            "",
            "",
            "",
            str(snap.get("rate_limited", 0)) + " 429s",
            "",
        )
    return table


class RichProgressSink:
    def __init__(self, console: Console | None = None) -> None:
        self.console = console or Console(stderr=True)
        self._live: Live | None = None
        self._summary = LoggingSink()

    def handle(self, event: Any) -> None:
        if isinstance(event, RunStarted):
            self._live = Live(console=self.console, refresh_per_second=4, transient=False)
            self._live.start()
        elif isinstance(event, RunFinished):
            if self._live is not None:
                self._live.update(render_progress(event.progress, event.progress.started_at + event.elapsed_s))
                self._live.stop()
                self._live = None
            self._summary.handle(event)

    def tick(self, progress: RunProgress, now: float) -> None:
        if self._live is not None:
            self._live.update(render_progress(progress, now))
