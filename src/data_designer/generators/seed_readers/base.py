"""What a seed source reader produces: an in-memory table that can hand out arbitrary rows by index.

A reader loads its source once (``load``) into a :class:`SeedTable`; the sampling layer above decides which indices
to take. Columnar sources stay in Arrow; sources whose values are irregular Python structures (agent rollouts)
keep plain column lists, because forcing them into one Arrow type would reject real-world logs. Readers may also
``hydrate`` taken rows lazily (file contents are read only for the rows actually requested).
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import TYPE_CHECKING, Any, ClassVar, Protocol

import numpy as np

from data_designer.errors import SeedReaderError

if TYPE_CHECKING:
    import pyarrow as pa

    from data_designer.config.seed_source import SeedSource

__all__ = ["SeedTable", "ArrowSeedTable", "ColumnsSeedTable", "SeedSourceReader", "Columns"]

Columns = dict[str, list[Any]]


class SeedTable(Protocol):
    @property
    def column_names(self) -> list[str]: ...

    @property
    def num_rows(self) -> int: ...

    def take(self, indices: np.ndarray) -> Columns:
        """Rows at ``indices`` (any order, repeats allowed), column-wise."""
        ...


class ArrowSeedTable:
    def __init__(self, table: pa.Table) -> None:
        self.table = table

    @property
    def column_names(self) -> list[str]:
        return list(self.table.column_names)

    @property
    def num_rows(self) -> int:
        return self.table.num_rows

    def take(self, indices: np.ndarray) -> Columns:
        import pyarrow as pa

        taken = self.table.take(pa.array(indices, type=pa.int64()))
        return {name: taken.column(name).to_pylist() for name in taken.column_names}


class ColumnsSeedTable:
    def __init__(self, columns: Columns) -> None:
        lengths = {len(values) for values in columns.values()}
        if len(lengths) > 1:
            raise ValueError(f"seed columns have different lengths: {sorted(lengths)}")
        self.columns = columns
        self._num_rows = lengths.pop() if lengths else 0

    @property
    def column_names(self) -> list[str]:
        return list(self.columns)

    @property
    def num_rows(self) -> int:
        return self._num_rows

    def take(self, indices: np.ndarray) -> Columns:
        positions = indices.tolist()
        return {name: [values[i] for i in positions] for name, values in self.columns.items()}


class SeedSourceReader(ABC):
    """Reads one kind of :class:`SeedSource`; registered by its ``seed_type``."""

    seed_type: ClassVar[str]

    def __init__(self, source: SeedSource) -> None:
        self.source = source
        self._table: SeedTable | None = None

    @abstractmethod
    def _load(self) -> SeedTable:
        """Read the whole source; raise :class:`SeedReaderError` naming the path and the fix on failure."""

    def load(self) -> SeedTable:
        """The source's table, read once and kept; empty sources are an error because nothing could be seeded."""
        if self._table is None:
            table = self._load()
            if table.num_rows == 0 or not table.column_names:
                raise SeedReaderError(
                    f"seed dataset {self.describe()} is empty (no rows or no columns); {self.fix_hint}"
                )
            self._table = table
        return self._table

    def column_names(self) -> list[str]:
        """Column names of the rows :meth:`hydrate` returns; override when the schema is cheaper than the data."""
        return self.load().column_names

    def hydrate(self, columns: Columns) -> Columns:
        """Complete taken rows (e.g. read file contents); the default returns them unchanged."""
        return columns

    def describe(self) -> str:
        path = getattr(self.source, "path", None)
        return f"{self.seed_type!r} source {path!r}" if path is not None else f"{self.seed_type!r} source"

    @property
    def fix_hint(self) -> str:
        return "point the seed source at data with at least one row"
