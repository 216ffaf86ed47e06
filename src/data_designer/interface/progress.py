"""Progress sinks chosen for the terminal: a live Rich view on a TTY when asked for, log blocks otherwise."""

from __future__ import annotations

import sys
from typing import Any

from data_designer.engine.events import LoggingSink

__all__ = ["make_sinks"]


def make_sinks(run_config: Any) -> list[Any]:
    if run_config.display_tui and sys.stderr.isatty():
        from data_designer.interface.rich_progress import RichProgressSink

        return [RichProgressSink()]
    return [LoggingSink(run_config.progress_interval)]
