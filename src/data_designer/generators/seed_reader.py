"""The seed row stream: a selection of the source, cycled forever, in order or shuffled per pass.

Design note. ``read(offset, n)`` is a pure function of ``(offset, n)`` given the config and seed: row ``k`` of the
stream is ``selection[k % size]`` (ORDERED) or ``selection[perm_e[k % size]]`` with ``e = k // size`` and
``perm_e = default_rng([seed, e]).permutation(size)`` (SHUFFLE). Nothing depends on what was read before, so the
engine may read row groups in any order and a resumed run re-derives exactly the rows it would have produced.
The source is loaded once, lazily, and kept in memory; only the permutations of the most recent passes are cached.
The reader is not thread-safe; the engine calls it from one task at a time.
"""

from __future__ import annotations

from collections import OrderedDict
from typing import Any

import numpy as np

from data_designer.config.seed import IndexRange, PartitionBlock, SamplingStrategy, SeedConfig
from data_designer.errors import SeedReaderError
from data_designer.generators.base import FromScratchGenerator, GeneratorContext
from data_designer.generators.seed_readers import SeedSourceReader, create_seed_source_reader

__all__ = ["SeedDatasetReader", "SeedDatasetGenerator", "resolve_selection", "stream_indices"]

Columns = dict[str, list[Any]]

_CACHED_PERMUTATIONS = 4


def resolve_selection(selection: IndexRange | PartitionBlock | None, num_records: int) -> IndexRange:
    """The inclusive row range of the source that the stream cycles over."""
    if selection is None:
        return IndexRange(start=0, end=num_records - 1)
    if isinstance(selection, PartitionBlock):
        try:
            return selection.to_index_range(num_records)
        except ValueError as exc:
            raise SeedReaderError(f"seed selection_strategy: {exc}") from exc
    if selection.end >= num_records:
        raise SeedReaderError(
            f"seed selection_strategy IndexRange(start={selection.start}, end={selection.end}) goes beyond the seed "
            f"dataset, which has {num_records} rows (last index {num_records - 1}); lower end to at most "
            f"{num_records - 1}"
        )
    return selection


class _PermutationCache:
    def __init__(self, seed: int, size: int) -> None:
        self._seed = seed
        self._size = size
        self._cache: OrderedDict[int, np.ndarray] = OrderedDict()

    def get(self, epoch: int) -> np.ndarray:
        permutation = self._cache.get(epoch)
        if permutation is None:
            permutation = np.random.default_rng([self._seed, epoch]).permutation(self._size)
            self._cache[epoch] = permutation
            if len(self._cache) > _CACHED_PERMUTATIONS:
                self._cache.popitem(last=False)
        else:
            self._cache.move_to_end(epoch)
        return permutation


def stream_indices(
    offset: int,
    num_rows: int,
    *,
    selection: IndexRange,
    strategy: SamplingStrategy | str,
    seed: int,
    permutations: _PermutationCache | None = None,
) -> np.ndarray:
    """Source row indices of stream rows ``offset .. offset + num_rows - 1`` (see the module design note)."""
    positions = np.arange(offset, offset + num_rows, dtype=np.int64)
    size = selection.size
    within = positions % size
    if SamplingStrategy(strategy) == SamplingStrategy.ORDERED:
        return selection.start + within
    permutations = permutations or _PermutationCache(seed, size)
    epochs = positions // size
    result = np.empty(num_rows, dtype=np.int64)
    for epoch in np.unique(epochs).tolist():
        mask = epochs == epoch
        result[mask] = permutations.get(epoch)[within[mask]]
    return selection.start + result


class SeedDatasetReader:
    """Reads rows of the seed stream for a :class:`SeedConfig`; ``seed`` drives SHUFFLE deterministically."""

    def __init__(self, seed_config: SeedConfig, *, seed: int = 0, source_reader: SeedSourceReader | None = None):
        if seed < 0:
            raise SeedReaderError(f"seed reader seed must be a non-negative integer, got {seed}")
        self.seed_config = seed_config
        self.seed = seed
        self._source = source_reader or create_seed_source_reader(seed_config.source)
        self._selection: IndexRange | None = None
        self._permutations: _PermutationCache | None = None

    def column_names(self) -> list[str]:
        return self._source.column_names()

    def num_rows(self) -> int:
        """Rows in the selection (one pass of the stream)."""
        return self._resolve().size

    def read(self, offset: int, num_rows: int) -> Columns:
        if offset < 0 or num_rows < 0:
            raise SeedReaderError(f"seed read needs offset >= 0 and num_rows >= 0, got offset={offset}, {num_rows=}")
        selection = self._resolve()
        if num_rows == 0:
            return {name: [] for name in self.column_names()}
        indices = stream_indices(
            offset,
            num_rows,
            selection=selection,
            strategy=self.seed_config.sampling_strategy,
            seed=self.seed,
            permutations=self._permutations,
        )
        return self._source.hydrate(self._source.load().take(indices))

    def _resolve(self) -> IndexRange:
        if self._selection is None:
            table = self._source.load()
            self._selection = resolve_selection(self.seed_config.selection_strategy, table.num_rows)
            self._permutations = _PermutationCache(self.seed, self._selection.size)
        return self._selection


class SeedDatasetGenerator(FromScratchGenerator):
    """Seed columns of a row group. Values depend only on the row offset and the run seed, never on ``rng``."""

    def __init__(self, config: SeedConfig, context: GeneratorContext, *, seed: int = 0) -> None:
        super().__init__(config, context)
        self.reader = SeedDatasetReader(config, seed=seed)

    @property
    def name(self) -> str:
        return "seed_dataset"

    @property
    def output_columns(self) -> list[str]:
        return self.reader.column_names()

    def generate(self, *, offset: int, num_rows: int, rng: np.random.Generator) -> Columns:
        return self.reader.read(offset, num_rows)
