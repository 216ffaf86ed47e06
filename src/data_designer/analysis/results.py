"""The profile of one dataset: counts plus one statistics model per column.

Kept free of Rich: ``to_report`` imports the renderer only when called, so loading or serialising results (e.g.
``DatasetCreationResults.load_analysis``) never pulls in the console stack.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from pydantic import BaseModel, ConfigDict, Field

from data_designer.analysis.statistics import ColumnStatisticsT, GeneralColumnStatistics, percent_of

if TYPE_CHECKING:
    from rich.console import Console

    from data_designer.analysis.report import ReportSection

__all__ = ["DatasetProfilerResults"]


class DatasetProfilerResults(BaseModel):
    model_config = ConfigDict(extra="forbid")

    num_records: int = Field(ge=0)
    target_num_records: int = Field(ge=0)
    column_statistics: list[ColumnStatisticsT] = Field(default_factory=list)
    side_effect_column_names: list[str] = Field(default_factory=list)
    column_profiles: list[dict[str, Any]] = Field(default_factory=list)
    """Results of optional column profilers (e.g. an LLM summary of judge scores); each a JSON-able dict."""

    @property
    def percent_complete(self) -> float:
        """Share of the requested records that were generated; a target of zero is trivially complete."""
        if self.target_num_records == 0:
            return 100.0
        return float(percent_of(self.num_records, self.target_num_records))

    @property
    def column_types(self) -> list[str]:
        """Column types present, in first-seen order (the order the report shows them)."""
        return list(dict.fromkeys(s.column_type for s in self.column_statistics))

    def get_column_statistics_by_type(self, column_type: str) -> list[GeneralColumnStatistics]:
        return [s for s in self.column_statistics if s.column_type == str(getattr(column_type, "value", column_type))]

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable (missing statistics appear as ``"--"``); ``model_validate`` of it round-trips."""
        return self.model_dump(mode="json")

    def to_report(
        self,
        save_path: str | Path | None = None,
        include_sections: Iterable[ReportSection | str] | None = None,
        console: Console | None = None,
    ) -> None:
        """Print the Rich report to ``console`` (a new one by default); also export it when ``save_path`` ends with
        ``.html`` or ``.svg``. ``include_sections``: ``ReportSection`` members and/or column types (all by default)."""
        from data_designer.analysis.report import render_report

        render_report(self, save_path=save_path, include_sections=include_sections, console=console)
