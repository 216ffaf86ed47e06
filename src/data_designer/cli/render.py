"""Terminal output for the CLI: one place decides between Rich and plain text.

Rich (colour, boxes, paging prompts) only when stdout is a terminal; when it is a pipe or a file (scripts, CI, tests)
the same renderables are printed without colour codes and nothing ever waits for input. Errors go to stderr as one
line so a script can show them as-is. Nothing here prints a secret: callers pass API keys and header values through
:func:`mask_headers` / ``mask_secret`` before they reach a table.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.table import Table
from rich.text import Text

__all__ = [
    "PLAIN_WIDTH",
    "Output",
    "format_cell",
    "make_output",
    "mask_headers",
    "print_error",
    "record_renderable",
    "table_of",
]

PLAIN_WIDTH = 160
"""Width of plain output: pipes and files have no width, and folded table cells are harder to read or grep."""


@dataclass(frozen=True)
class Output:
    """The console a command prints to, and whether it may use terminal features (colour, prompts, paging)."""

    console: Console
    interactive: bool

    def say(self, message: str, *, style: str | None = None) -> None:
        """Print literal text (no Rich markup), so paths and values containing ``[...]`` print as they are."""
        self.console.print(Text(message, style=style or "") if self.interactive else Text(message))

    def show(self, renderable: RenderableType) -> None:
        self.console.print(renderable)


def stdout_is_terminal() -> bool:
    try:
        return sys.stdout.isatty()
    except (AttributeError, ValueError):  # closed or replaced stream
        return False


def make_output(*, force_plain: bool = False, plain_width: int | None = None) -> Output:
    """Rich on a TTY (its own width), plain otherwise; ``force_plain`` (``--non-interactive``) always gives plain."""
    if stdout_is_terminal() and not force_plain:
        return Output(Console(highlight=False), interactive=True)
    console = Console(
        force_terminal=False,
        no_color=True,
        color_system=None,
        highlight=False,
        emoji=False,
        width=plain_width or PLAIN_WIDTH,
        soft_wrap=False,
    )
    return Output(console, interactive=False)


def print_error(message: str) -> None:
    """One line (or one indented block for multi-error messages) on stderr, no traceback, no colour codes."""
    text = str(message).strip() or "unknown error"
    sys.stderr.write(f"Error: {text}\n")
    sys.stderr.flush()


def format_cell(value: Any) -> str:
    """A record value as text: strings as-is, containers as JSON, numpy values via ``tolist``."""
    if value is None:
        return ""
    if hasattr(value, "tolist") and not isinstance(value, (str, bytes)):
        value = value.tolist()
    if isinstance(value, str):
        return value
    if isinstance(value, (dict, list, tuple)):
        return json.dumps(value, ensure_ascii=False, default=str)
    return str(value)


def table_of(title: str, headers: Sequence[str], rows: Iterable[Sequence[Any]], *, empty: str = "(none)") -> Table:
    table = Table(title=title, title_justify="left", show_lines=False, expand=False)
    for header in headers:
        table.add_column(header, overflow="fold")
    count = 0
    for row in rows:
        table.add_row(*(Text(format_cell(cell)) for cell in row))
        count += 1
    if count == 0:
        table.add_row(Text(empty), *([""] * (len(headers) - 1)))
    return table


def mask_headers(headers: Mapping[str, str] | None) -> str:
    """Header names only: values are often credentials (``Authorization``), so they are never shown."""
    if not headers:
        return ""
    return ", ".join(f"{name}=****" for name in headers)


def record_renderable(
    record: Mapping[str, Any], *, index: int, column_types: Mapping[str, str] | None = None
) -> RenderableType:
    """One record as a two- or three-column table inside a titled panel (also what ``--save-results`` exports)."""
    types = column_types or {}
    table = Table(show_header=True, expand=False, show_lines=True)
    table.add_column("column", no_wrap=True)
    if types:
        table.add_column("type", no_wrap=True)
    table.add_column("value", overflow="fold")
    for name, value in record.items():
        cells = [Text(str(name))]
        if types:
            cells.append(Text(types.get(str(name), "")))
        cells.append(Text(format_cell(value)))
        table.add_row(*cells)
    return Panel(Group(table), title=f"Record {index}", title_align="left", expand=False)
