"""How seed rows are drawn: which slice of the source (selection) and in what order (sampling).

The stream of seed rows is conceptually infinite: it cycles over the selection. ``ORDERED`` repeats the selection
as-is; ``SHUFFLE`` draws a fresh permutation for every pass, deterministically from the run seed, so a resumed run
re-derives exactly the same rows at any offset.
"""

from __future__ import annotations

from enum import Enum

from pydantic import Field, model_validator

from data_designer.config.base import ConfigBase
from data_designer.config.seed_source import SeedSourceT

__all__ = ["SamplingStrategy", "IndexRange", "PartitionBlock", "SeedConfig"]


class SamplingStrategy(str, Enum):
    ORDERED = "ordered"
    SHUFFLE = "shuffle"


class IndexRange(ConfigBase):
    """Rows ``start`` through ``end`` of the source, both inclusive."""

    start: int = Field(ge=0)
    end: int = Field(ge=0)

    @model_validator(mode="after")
    def _validate_order(self) -> IndexRange:
        if self.start > self.end:
            raise ValueError(f"IndexRange.start ({self.start}) must be <= end ({self.end}); both are inclusive")
        return self

    @property
    def size(self) -> int:
        return self.end - self.start + 1


class PartitionBlock(ConfigBase):
    """Block ``index`` of ``num_partitions`` contiguous, near-equal blocks; the last block takes the remainder.

    Lets several independent jobs split one seed dataset without overlap.
    """

    index: int = Field(default=0, ge=0)
    num_partitions: int = Field(default=1, ge=1)

    @model_validator(mode="after")
    def _validate_index(self) -> PartitionBlock:
        if self.index >= self.num_partitions:
            raise ValueError(
                f"PartitionBlock.index ({self.index}) must be < num_partitions ({self.num_partitions}); "
                "indices count from 0"
            )
        return self

    def to_index_range(self, num_records: int) -> IndexRange:
        """The rows of this block for a source of ``num_records`` rows."""
        block = num_records // self.num_partitions
        if block == 0:
            raise ValueError(
                f"PartitionBlock cannot split {num_records} seed rows into {self.num_partitions} partitions; "
                f"use at most {num_records} partitions"
            )
        start = self.index * block
        end = num_records - 1 if self.index == self.num_partitions - 1 else start + block - 1
        return IndexRange(start=start, end=end)


class SeedConfig(ConfigBase):
    source: SeedSourceT
    sampling_strategy: SamplingStrategy = SamplingStrategy.ORDERED
    selection_strategy: IndexRange | PartitionBlock | None = None
