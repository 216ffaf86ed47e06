"""Rich rendering of :class:`DatasetProfilerResults`: an overview, one table per column type, bar histograms.

Building renderables is separate from printing them (:func:`build_report` vs :func:`render_report`) so the same
report can go to the user's console and to an HTML/SVG export, and so tests can render into a string console.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Any

from rich.console import Console, Group, RenderableType
from rich.panel import Panel
from rich.rule import Rule
from rich.table import Table
from rich.text import Text

from data_designer.analysis.console_export import NORD, export_renderable, resolve_console, validate_export_path
from data_designer.analysis.statistics import (
    CategoricalDistribution,
    GeneralColumnStatistics,
    MissingValue,
    NumericalDistribution,
)
from data_designer.errors import InvalidConfigError, InvalidFileFormatError, InvalidFilePathError

if TYPE_CHECKING:
    from data_designer.analysis.results import DatasetProfilerResults

__all__ = ["ReportSection", "build_report", "format_bar", "render_report"]

REPORT_WIDTH = 110
BAR_WIDTH = 30
_BAR_EIGHTHS = " ▏▎▍▌▋▊▉"


class ReportSection(str, Enum):
    """Report parts besides the per-column-type tables (which are selected by their column type string)."""

    OVERVIEW = "overview"
    COLUMN_PROFILERS = "column_profilers"


# ---------------------------------------------------------------- formatting
def _fmt_count(value: Any) -> str:
    return MissingValue.CALCULATION_FAILED.value if isinstance(value, MissingValue) else f"{value:,}"


def _fmt_pct(value: Any) -> str:
    return MissingValue.CALCULATION_FAILED.value if isinstance(value, MissingValue) else f"{value:.1f}%"


def _fmt_num(value: Any) -> str:
    if isinstance(value, MissingValue):
        return value.value
    if isinstance(value, float) and value.is_integer() and abs(value) < 1e15:
        return f"{int(value):,}"
    return f"{value:,.2f}" if isinstance(value, float) else str(value)


def _count_with_pct(count: Any, pct: Any) -> str:
    if isinstance(count, MissingValue):
        return count.value
    return f"{_fmt_count(count)} ({_fmt_pct(pct)})"


def format_bar(count: int, max_count: int, width: int = BAR_WIDTH) -> str:
    """A horizontal bar of ``count / max_count * width`` cells, with eighth-cell resolution."""
    if max_count <= 0 or count <= 0:
        return ""
    eighths = max(1, round(count / max_count * width * 8))
    return "█" * (eighths // 8) + _BAR_EIGHTHS[eighths % 8].strip()


def _tokens(stats: Any, prefix: str) -> str:
    mean, median, stddev = (getattr(stats, f"{prefix}_tokens_{s}") for s in ("mean", "median", "stddev"))
    if isinstance(mean, MissingValue):
        return mean.value
    return f"{mean:,.1f} ± {stddev:,.1f} (median {median:,.1f})"


def _distribution_summary(stats: Any) -> str:
    distribution = stats.distribution
    if distribution is None:
        return ""
    if isinstance(distribution, MissingValue):
        return distribution.value
    if isinstance(distribution, NumericalDistribution):
        return (
            f"min {_fmt_num(distribution.min)}, max {_fmt_num(distribution.max)}, mean {_fmt_num(distribution.mean)} "
            f"± {_fmt_num(distribution.stddev)}, median {_fmt_num(distribution.median)}"
        )
    shown = ", ".join(f"{c} ({n})" for c, n in distribution.most_common[:3])
    more = len(distribution.histogram.categories) - 3
    return shown + (f", +{more} more" if more > 0 else "")


# ---------------------------------------------------------------- tables
_Column = tuple[str, Callable[[Any], str]]

_COMMON_COLUMNS: list[_Column] = [
    ("column name", lambda s: s.column_name),
    ("data type", lambda s: str(getattr(s.simple_dtype, "value", s.simple_dtype))),
    ("unique (%)", lambda s: _count_with_pct(s.num_unique, s.percent_unique)),
    ("null (%)", lambda s: _count_with_pct(s.num_null, s.percent_null)),
]
_LLM_COLUMNS: list[_Column] = [
    ("prompt tokens (est.)", lambda s: _tokens(s, "input")),
    ("completion tokens (est.)", lambda s: _tokens(s, "output")),
]
_EXTRA_COLUMNS: dict[str, list[_Column]] = {
    "llm-text": _LLM_COLUMNS,
    "llm-code": _LLM_COLUMNS,
    "llm-structured": _LLM_COLUMNS,
    "llm-judge": _LLM_COLUMNS,
    "sampler": [("sampler type", lambda s: s.sampler_type), ("distribution", _distribution_summary)],
    "validation": [("valid records (%)", lambda s: _count_with_pct(s.num_valid_records, s.percent_valid))],
}


def _column_type_title(column_type: str) -> str:
    from data_designer.config.column_configs import COLUMN_CONFIG_CLASSES

    config_cls = COLUMN_CONFIG_CLASSES.get(column_type)
    emoji = config_cls.get_column_emoji() if config_cls is not None else "🧩"
    return f"{emoji} {column_type} columns"


def _stats_table(column_type: str, stats: list[GeneralColumnStatistics]) -> Table:
    columns = [*_COMMON_COLUMNS, *_EXTRA_COLUMNS.get(column_type, [])]
    table = Table(
        title=_column_type_title(column_type),
        title_style=f"bold {NORD['frost']}",
        header_style=f"bold {NORD['frost_blue']}",
        border_style=NORD["polar"],
        expand=True,
    )
    for header, _ in columns:
        table.add_column(header, overflow="fold")
    for item in stats:
        table.add_row(*(render(item) for _, render in columns))
    return table


def _histogram(title: str, distribution: CategoricalDistribution | MissingValue) -> RenderableType:
    if isinstance(distribution, MissingValue):
        return Text(f"{title}: {distribution.value}", style=NORD["polar"])
    counts = distribution.histogram.counts
    total, peak = sum(counts), max(counts, default=0)
    table = Table(title=title, title_style=f"italic {NORD['frost_teal']}", show_header=False, box=None, pad_edge=False)
    table.add_column("category", justify="right", style=NORD["snow"], overflow="fold", max_width=30)
    table.add_column("bar", style=NORD["frost"], width=BAR_WIDTH + 1, no_wrap=True)
    table.add_column("count", justify="right")
    table.add_column("percent", justify="right", style=NORD["polar"])
    for category, count in zip(distribution.histogram.categories, counts, strict=True):
        pct = 100.0 * count / total if total else 0.0
        table.add_row(str(category), format_bar(count, peak), f"{count:,}", f"{pct:.1f}%")
    return table


def _histograms(column_type: str, stats: list[Any]) -> list[RenderableType]:
    shown: list[RenderableType] = []
    for item in stats:
        if column_type == "sampler" and isinstance(item.distribution, CategoricalDistribution):
            shown.append(_histogram(f"{item.column_name} ({item.sampler_type})", item.distribution))
        for score_name, distribution in (getattr(item, "score_distributions", None) or {}).items():
            shown.append(_histogram(f"{item.column_name} · {score_name}", distribution))
    return shown


def _overview(results: DatasetProfilerResults) -> Table:
    table = Table(
        title="📋 Overview",
        title_style=f"bold {NORD['frost']}",
        show_header=False,
        border_style=NORD["polar"],
        min_width=60,
    )
    table.add_column("metric", style=f"bold {NORD['frost_blue']}")
    table.add_column("value")
    complete = results.percent_complete
    style = NORD["green"] if complete >= 100.0 else NORD["yellow"]
    table.add_row("records generated", f"{results.num_records:,}")
    table.add_row("target records", f"{results.target_num_records:,}")
    table.add_row("percent complete", Text(f"{complete:.1f}%", style=style))
    table.add_row("columns profiled", f"{len(results.column_statistics):,}")
    for column_type in results.column_types:
        count = len(results.get_column_statistics_by_type(column_type))
        table.add_row(f"  {column_type}", f"{count:,}")
    if results.side_effect_column_names:
        table.add_row("side-effect columns", ", ".join(results.side_effect_column_names))
    return table


def _column_profiles(results: DatasetProfilerResults) -> list[RenderableType]:
    return [
        Panel(
            Text(json.dumps(profile, indent=2, default=str)),
            title=str(profile.get("column_name", profile.get("name", "column profile"))),
            border_style=NORD["purple"],
        )
        for profile in results.column_profiles
    ]


def _selected_sections(include_sections: Iterable[ReportSection | str] | None) -> set[str] | None:
    if include_sections is None:
        return None
    if isinstance(include_sections, (str, Enum)):
        include_sections = [include_sections]
    selected = set()
    for section in include_sections:
        value = getattr(section, "value", section)
        if not isinstance(value, str):
            raise InvalidConfigError(
                f"include_sections: {section!r} is not a section; use ReportSection members or column type names"
            )
        selected.add(value)
    return selected


def build_report(
    results: DatasetProfilerResults, include_sections: Iterable[ReportSection | str] | None = None
) -> Group:
    """The report as one renderable. ``include_sections`` selects ReportSection members and column types."""
    selected = _selected_sections(include_sections)

    def wanted(section: str) -> bool:
        return selected is None or section in selected

    parts: list[RenderableType] = [Rule("🎨 Data Designer Dataset Profile", style=NORD["frost"])]
    if wanted(ReportSection.OVERVIEW.value):
        parts.append(_overview(results))
    for column_type in results.column_types:
        if not wanted(column_type):
            continue
        stats = results.get_column_statistics_by_type(column_type)
        parts.append(_stats_table(column_type, stats))
        parts.extend(_histograms(column_type, stats))
    if results.column_profiles and wanted(ReportSection.COLUMN_PROFILERS.value):
        parts.extend(_column_profiles(results))
    return Group(*parts)


def render_report(
    results: DatasetProfilerResults,
    *,
    save_path: str | Path | None = None,
    include_sections: Iterable[ReportSection | str] | None = None,
    console: Console | None = None,
) -> None:
    path = validate_export_path(
        save_path, error=InvalidFileFormatError, path_error=InvalidFilePathError, what="dataset profile report"
    )
    report = build_report(results, include_sections)
    target = resolve_console(console, width=None)
    target.print(report)
    if path is None:
        return
    try:
        export_renderable(report, path, width=REPORT_WIDTH, title="Data Designer Dataset Profile")
    except OSError as exc:
        raise InvalidFilePathError(f"dataset profile report: could not save to {str(path)!r}: {exc}") from exc
