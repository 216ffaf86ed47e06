"""The contract between the engine and column generators.

A generator is built once per run per (compiled) column. The engine owns all scheduling; generators only compute:

* ``FromScratchGenerator`` makes the first columns of a row group (samplers, seed data) from nothing but the row
  group's position and a deterministic RNG, so a resumed row group re-derives exactly the same values.
* ``FullColumnGenerator`` sees every surviving row of a row group at once (expressions, validators, full-column
  custom columns) and may reject individual rows.
* ``CellGenerator`` computes one row's cell(s) asynchronously (LLM columns, cell-by-cell custom columns).

Row groups are held column-wise: ``dict[column name -> list of values]`` with one entry per row of the group.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, ClassVar, Literal

import numpy as np

__all__ = [
    "GeneratorContext",
    "ColumnGenerator",
    "FromScratchGenerator",
    "FullColumnGenerator",
    "FullColumnResult",
    "CellGenerator",
    "SchedulingKey",
]

Columns = dict[str, list[Any]]


@dataclass(frozen=True)
class SchedulingKey:
    """Which throttle domain a cell task draws permits from; ``None`` domain means purely local work."""

    provider: str
    model: str
    domain: Literal["chat", "embedding", "image"] = "chat"


@dataclass
class GeneratorContext:
    """Run-scoped facilities a generator may use. Fields are filled by the engine."""

    run_config: Any = None
    mode: Literal["create", "preview"] = "create"
    artifact_dir: Path | None = None
    managed_assets_path: Path | None = None
    models: Any = None  # ModelRegistry: alias -> ModelFacade
    jinja_engine: str = "secure"
    extras: dict[str, Any] = field(default_factory=dict)


class ColumnGenerator(ABC):
    strategy: ClassVar[Literal["from_scratch", "full_column", "cell"]]

    def __init__(self, config: Any, context: GeneratorContext) -> None:
        self.config = config
        self.context = context

    @property
    def name(self) -> str:
        return self.config.name

    @property
    def output_columns(self) -> list[str]:
        """Every column this generator writes (its own plus side-effect columns)."""
        return [self.config.name, *getattr(self.config, "side_effect_columns", [])]


class FromScratchGenerator(ColumnGenerator):
    strategy = "from_scratch"

    @abstractmethod
    def generate(self, *, offset: int, num_rows: int, rng: np.random.Generator) -> Columns:
        """Values for rows ``offset .. offset + num_rows - 1`` of the dataset."""


@dataclass
class FullColumnResult:
    values: Columns
    failed_rows: dict[int, str] = field(default_factory=dict)  # row index in the group -> reason
    # allow_resize generators only: every column of the row group after the resize (any number of rows)
    resized: Columns | None = None


class FullColumnGenerator(ColumnGenerator):
    strategy = "full_column"

    @abstractmethod
    def generate(self, columns: Columns, num_rows: int) -> FullColumnResult:
        """Compute this generator's output columns for all ``num_rows`` rows given the upstream ``columns``."""


class CellGenerator(ColumnGenerator):
    strategy = "cell"

    @property
    def scheduling_key(self) -> SchedulingKey | None:
        return None

    @abstractmethod
    async def agenerate(self, row: dict[str, Any]) -> dict[str, Any]:
        """Values of :attr:`output_columns` for one row; raise a ``DataDesignerError`` to fail the cell."""
