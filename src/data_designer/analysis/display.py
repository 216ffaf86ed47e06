"""Show one generated record: a panel per group of columns (seed, samplers, LLM outputs, ...), then its traces.

Arguments are checked before anything is printed, and every problem raises :class:`DatasetSampleDisplayError`
naming the argument and how to fix it. Which record to show (cycling through a dataset when ``index`` is None) is
the caller's business; ``index`` here only labels the record.
"""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

import pandas as pd
from rich.console import Console, Group, RenderableType
from rich.constrain import Constrain
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from data_designer.analysis.console_export import NORD, export_renderable, resolve_console, validate_export_path
from data_designer.analysis.value_rendering import DisplayStyle, render_trace, render_value
from data_designer.errors import DatasetSampleDisplayError

__all__ = ["display_sample_record"]

TRACE_SUFFIX = "__trace"
REASONING_SUFFIX = "__reasoning_content"
MIN_DISPLAY_WIDTH = 40

_GROUPS: tuple[tuple[str, str], ...] = (
    ("seed-dataset", "🌱 Seed columns"),
    ("sampler", "🎲 Sampler columns"),
    ("expression", "🧮 Expression columns"),
    ("llm-text", "📝 LLM text columns"),
    ("llm-code", "💻 LLM code columns"),
    ("llm-structured", "🗂️ LLM structured columns"),
    ("llm-judge", "⚖️ LLM judge columns"),
    ("validation", "🔍 Validation columns"),
    ("embedding", "🧬 Embedding columns"),
    ("image", "🖼️ Image columns"),
    ("custom", "🛠️ Custom columns"),
    ("reasoning", "💭 Reasoning"),
    ("other", "🧩 Other columns"),
)
_GROUP_TITLES = dict(_GROUPS)

_THEMES: dict[str, dict[str, Any]] = {
    "dark": {
        "accent": NORD["frost"],
        "muted": NORD["polar"],
        "roles": {
            "system": NORD["purple"],
            "user": NORD["frost"],
            "assistant": NORD["green"],
            "tool": NORD["orange"],
        },
    },
    "light": {
        "accent": NORD["deep_blue"],
        "muted": "grey50",
        "roles": {"system": "magenta", "user": NORD["deep_blue"], "assistant": "dark_green", "tool": "dark_orange"},
    },
}


# ---------------------------------------------------------------- argument checks
def _as_record(record: Any) -> dict[str, Any]:
    if isinstance(record, pd.Series):
        return {str(k): v for k, v in record.items()}
    if isinstance(record, Mapping):
        return {str(k): v for k, v in record.items()}
    if isinstance(record, pd.DataFrame) and len(record) == 1:
        return {str(k): v for k, v in record.iloc[0].items()}
    raise DatasetSampleDisplayError(
        f"record must be a dict or a pandas Series (one dataset row), got {type(record).__name__}; "
        "pass e.g. dataset.iloc[0]"
    )


def _check_index(index: Any) -> int | None:
    if index is None:
        return None
    if isinstance(index, bool) or not isinstance(index, numbers.Integral) or index < 0:
        raise DatasetSampleDisplayError(f"index must be a non-negative integer record number or None, got {index!r}")
    return int(index)


def _check_syntax_theme(name: Any) -> str:
    from pygments.styles import get_all_styles

    available = sorted({*get_all_styles(), "ansi_dark", "ansi_light"})
    if not isinstance(name, str) or name not in available:
        raise DatasetSampleDisplayError(
            f"syntax_highlighting_theme {name!r} is not a Pygments style; use one of: {', '.join(available)}"
        )
    return name


def _check_choice(name: str, value: Any, choices: Iterable[str]) -> str:
    choices = list(choices)
    if value not in choices:
        raise DatasetSampleDisplayError(f"{name} must be one of {choices}, got {value!r}")
    return value


def _check_width(width: Any) -> int:
    if isinstance(width, bool) or not isinstance(width, numbers.Integral) or width < MIN_DISPLAY_WIDTH:
        raise DatasetSampleDisplayError(
            f"display_width must be an integer of at least {MIN_DISPLAY_WIDTH} characters, got {width!r}"
        )
    return int(width)


# ---------------------------------------------------------------- grouping
def _column_type(config: Any) -> str:
    column_type = getattr(config, "column_type", "other")
    return str(getattr(column_type, "value", column_type))


def _group_columns(
    record: dict[str, Any], configs: dict[str, Any], seed_names: set[str], side_effects: set[str]
) -> tuple[dict[str, list[str]], list[str]]:
    """(group -> column names in record order, trace column names)."""
    groups: dict[str, list[str]] = {}
    traces: list[str] = []
    for name in record:
        if name.endswith(TRACE_SUFFIX):
            traces.append(name)
            continue
        if name in configs:
            group = _column_type(configs[name])
        elif name in seed_names:
            group = "seed-dataset"
        elif name.endswith(REASONING_SUFFIX) or name in side_effects:
            group = "reasoning"
        else:
            group = "other"
        groups.setdefault(group if group in _GROUP_TITLES else "other", []).append(name)
    ordered = {group: groups[group] for group, _ in _GROUPS if group in groups}
    return ordered, traces


def _group_panel(
    group: str, names: Sequence[str], record: dict[str, Any], configs: dict[str, Any], style: DisplayStyle
) -> Panel:
    table = Table(show_header=False, box=None, expand=True, padding=(0, 1), leading=1)
    table.add_column("column", style=f"bold {style.accent}", no_wrap=True, max_width=32)
    table.add_column("value", ratio=1, overflow="fold")
    for name in names:
        config = configs.get(name)
        column_type = _column_type(config) if config is not None else group
        table.add_row(name, render_value(record[name], column_type, config, style))
    return Panel(table, title=Text(_GROUP_TITLES[group], style=f"bold {style.accent}"), border_style=style.muted)


def _build_display(
    record: dict[str, Any],
    *,
    configs: dict[str, Any],
    index: int | None,
    seed_names: set[str],
    hide_seed_columns: bool,
    include_traces: bool,
    style: DisplayStyle,
) -> RenderableType:
    side_effects = {s for c in configs.values() for s in (getattr(c, "side_effect_columns", None) or [])}
    groups, traces = _group_columns(record, configs, seed_names, side_effects)
    if hide_seed_columns:
        groups.pop("seed-dataset", None)
    title = "Sample record" if index is None else f"Sample record {index}"
    parts: list[RenderableType] = [Rule(Text(title, style=f"bold {style.accent}"), style=style.muted)]
    parts.extend(_group_panel(group, names, record, configs, style) for group, names in groups.items())
    if include_traces:
        parts.extend(
            Panel(
                render_trace(record[name], style),
                title=Text(f"🧵 Trace: {name.removesuffix(TRACE_SUFFIX)}", style=f"bold {style.accent}"),
                border_style=style.muted,
            )
            for name in traces
        )
    if len(parts) == 1:
        parts.append(Text("(no columns to display)", style=style.muted))
    return Group(*parts)


def display_sample_record(
    record: dict[str, Any] | pd.Series,
    *,
    columns: Sequence[Any] | None = None,
    index: int | None = None,
    syntax_highlighting_theme: str = "dracula",
    background_color: str | None = None,
    hide_seed_columns: bool = False,
    seed_column_names: Iterable[str] = (),
    include_traces: bool = True,
    save_path: str | Path | None = None,
    theme: str = "dark",
    display_width: int = 110,
    console: Console | None = None,
) -> None:
    """Print ``record`` grouped by column type (from ``columns``, the dataset's column configs) to ``console`` and,
    with ``save_path`` (.html/.svg), save the same rendering. Seed columns are those of seed-dataset configs plus
    ``seed_column_names``; ``*__trace`` columns are shown as conversations when ``include_traces``."""
    values = _as_record(record)
    shown_index = _check_index(index)
    palette = _THEMES[_check_choice("theme", theme, _THEMES)]
    width = _check_width(display_width)
    style = DisplayStyle(
        syntax_theme=_check_syntax_theme(syntax_highlighting_theme),
        background_color=background_color,
        accent=palette["accent"],
        muted=palette["muted"],
        roles=palette["roles"],
    )
    path = validate_export_path(save_path, error=DatasetSampleDisplayError, what="display_sample_record")
    configs = {str(c.name): c for c in columns or []}
    seed_names = set(seed_column_names) | {n for n, c in configs.items() if _column_type(c) == "seed-dataset"}
    display = Constrain(
        _build_display(
            values,
            configs=configs,
            index=shown_index,
            seed_names=seed_names,
            hide_seed_columns=hide_seed_columns,
            include_traces=include_traces,
            style=style,
        ),
        width=width,
    )
    resolve_console(console, width=width).print(display)
    if path is not None:
        try:
            export_renderable(display, path, width=width, title="Data Designer sample record")
        except OSError as exc:
            raise DatasetSampleDisplayError(f"display_sample_record: could not save to {str(path)!r}: {exc}") from exc
