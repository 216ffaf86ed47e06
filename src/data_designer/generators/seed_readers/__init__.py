"""Seed source readers, one per ``seed_type``, looked up in a registry (no if-chains on the source type).

Plugins add a reader with :func:`register_seed_source_reader`; the sampling layer on top lives in
``data_designer.generators.seed_reader``.
"""

from __future__ import annotations

from data_designer.config.seed_source import SeedSource
from data_designer.errors import SeedReaderConfigError
from data_designer.generators.seed_readers.agent_rollout import AgentRolloutSeedReader
from data_designer.generators.seed_readers.base import (
    ArrowSeedTable,
    Columns,
    ColumnsSeedTable,
    SeedSourceReader,
    SeedTable,
)
from data_designer.generators.seed_readers.files import DataFrameSeedReader, HuggingFaceSeedReader, LocalFileSeedReader
from data_designer.generators.seed_readers.filesystem import DirectorySeedReader, FileContentsSeedReader

__all__ = [
    "SEED_SOURCE_READERS",
    "register_seed_source_reader",
    "create_seed_source_reader",
    "SeedSourceReader",
    "SeedTable",
    "ArrowSeedTable",
    "ColumnsSeedTable",
    "Columns",
    "LocalFileSeedReader",
    "DataFrameSeedReader",
    "HuggingFaceSeedReader",
    "DirectorySeedReader",
    "FileContentsSeedReader",
    "AgentRolloutSeedReader",
]

SEED_SOURCE_READERS: dict[str, type[SeedSourceReader]] = {
    reader.seed_type: reader
    for reader in (
        HuggingFaceSeedReader,
        LocalFileSeedReader,
        DataFrameSeedReader,
        DirectorySeedReader,
        FileContentsSeedReader,
        AgentRolloutSeedReader,
    )
}


def register_seed_source_reader(reader: type[SeedSourceReader]) -> type[SeedSourceReader]:
    """Register (or replace) the reader for ``reader.seed_type``; usable as a class decorator."""
    SEED_SOURCE_READERS[reader.seed_type] = reader
    return reader


def create_seed_source_reader(source: SeedSource) -> SeedSourceReader:
    reader = SEED_SOURCE_READERS.get(source.seed_type)
    if reader is None:
        raise SeedReaderConfigError(
            f"no seed reader is registered for seed_type {source.seed_type!r} (known: "
            f"{', '.join(sorted(SEED_SOURCE_READERS))}); install/register the plugin that provides it"
        )
    return reader(source)
