"""Progress sinks chosen for the terminal: a live Rich view on a TTY when asked for, log blocks otherwise."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from data_designer.engine.events import JsonlEventSink, LoggingSink

__all__ = ["make_sinks"]


def make_sinks(run_config: Any, dataset_dir: Path | None = None) -> list[Any]:
    sinks: list[Any] = []
    if run_config.display_tui and sys.stderr.isatty():
        from data_designer.interface.rich_progress import RichProgressSink

        sinks.append(RichProgressSink())
    else:
        sinks.append(LoggingSink(run_config.progress_interval))
    if run_config.write_scheduler_events and dataset_dir is not None:
        sinks.append(JsonlEventSink(Path(dataset_dir) / "scheduler_events.jsonl"))
    return sinks
