"""Shared console plumbing for the report and the sample-record display: the palette, the console to print to,
and HTML/SVG export.

Export renders the same renderable a second time into a private recording console instead of requiring the
caller's console to have ``record=True``: the user's console (or a notebook's) is never mutated, and printing and
saving cannot disagree about what was shown.
"""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

from rich.console import Console, RenderableType

from data_designer.errors import DataDesignerError

__all__ = ["EXPORT_SUFFIXES", "NORD", "export_renderable", "resolve_console", "validate_export_path"]

NORD = {
    "polar": "#4C566A",
    "snow": "#D8DEE9",
    "frost_teal": "#8FBCBB",
    "frost": "#88C0D0",
    "frost_blue": "#81A1C1",
    "deep_blue": "#5E81AC",
    "red": "#BF616A",
    "orange": "#D08770",
    "yellow": "#EBCB8B",
    "green": "#A3BE8C",
    "purple": "#B48EAD",
}
"""The Nord palette (https://www.nordtheme.com), used as literal colours so any console can render them."""

EXPORT_SUFFIXES = (".html", ".svg")


def validate_export_path(
    save_path: str | Path | None,
    *,
    error: type[DataDesignerError],
    what: str,
    path_error: type[DataDesignerError] | None = None,
) -> Path | None:
    """Check ``save_path`` before anything is printed, so a typo fails fast instead of after rendering. ``error`` is
    raised for a wrong kind of path, ``path_error`` (default: ``error``) for a folder that does not exist."""
    if save_path is None:
        return None
    if not isinstance(save_path, (str, Path)) or not str(save_path).strip():
        raise error(f"{what}: save_path must be a file path ending in .html or .svg, got {save_path!r}")
    path = Path(save_path).expanduser()
    if path.suffix.lower() not in EXPORT_SUFFIXES:
        raise error(
            f"{what}: cannot save to {str(path)!r}: the file extension must be .html or .svg "
            f"(got {path.suffix or 'no extension'!r}); choose e.g. {str(path.with_suffix('.html'))!r}"
        )
    if not path.parent.is_dir():
        raise (path_error or error)(
            f"{what}: cannot save to {str(path)!r}: folder {str(path.parent)!r} does not exist; create it first"
        )
    return path


def resolve_console(console: Console | None, *, width: int | None = None) -> Console:
    """The caller's console, or a fresh one (which prints plain text when stdout is not a terminal)."""
    if console is not None:
        return console
    return Console(width=width) if width is not None else Console()


def export_renderable(renderable: RenderableType, path: Path, *, width: int, title: str, **options: Any) -> None:
    """Render again into a recording console and save as HTML or SVG according to the suffix."""
    recorder = Console(record=True, file=io.StringIO(), width=width, force_terminal=True, color_system="truecolor")
    recorder.print(renderable)
    if path.suffix.lower() == ".svg":
        recorder.save_svg(str(path), title=title, **options)
    else:
        recorder.save_html(str(path), **options)
