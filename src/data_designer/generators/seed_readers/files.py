"""Readers for tabular seed sources: local files, in-memory DataFrames and (refused) Hugging Face datasets.

Local files are read with pyarrow and kept in memory as one Arrow table; a wildcard is the union of the matching
files in sorted order, with compatible types promoted (int + float -> float). pyarrow exceptions are translated
here, once, into :class:`SeedReaderError` naming the file and the fix.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from data_designer.config.seed_source import (
    SUPPORTED_SEED_FILE_EXTENSIONS,
    DataFrameSeedSource,
    HuggingFaceSeedSource,
    LocalFileSeedSource,
    resolve_local_seed_files,
)
from data_designer.errors import SeedReaderError
from data_designer.generators.seed_readers.base import ArrowSeedTable, ColumnsSeedTable, SeedSourceReader, SeedTable

if TYPE_CHECKING:
    import pyarrow as pa

__all__ = ["LocalFileSeedReader", "DataFrameSeedReader", "HuggingFaceSeedReader", "read_seed_file"]


def _read_parquet(path: Path) -> pa.Table:
    import pyarrow.parquet as pq

    return pq.read_table(path)


def _read_csv(path: Path) -> pa.Table:
    import pyarrow.csv as pacsv

    return pacsv.read_csv(path)


def _read_jsonl(path: Path) -> pa.Table:
    import pyarrow.json as pajson

    return pajson.read_json(path)


def _read_json(path: Path) -> pa.Table:
    """A ``.json`` file is either a JSON array of objects (pandas ``orient="records"``) or JSON lines."""
    import pyarrow as pa

    with path.open("rb") as handle:
        head = handle.read(4096).lstrip()
    if not head.startswith(b"["):
        return _read_jsonl(path)
    records = json.loads(path.read_text(encoding="utf-8"))
    if not all(isinstance(record, dict) for record in records):
        raise ValueError("a JSON array seed file must contain only objects (one per row)")
    return pa.Table.from_pylist(records)


_FILE_READERS: dict[str, Callable[[Path], pa.Table]] = {
    ".parquet": _read_parquet,
    ".csv": _read_csv,
    ".json": _read_json,
    ".jsonl": _read_jsonl,
}


def read_seed_file(path: Path) -> pa.Table:
    """One seed file as an Arrow table; every failure becomes a :class:`SeedReaderError` naming the file."""
    import pyarrow as pa

    suffix = path.suffix.lower()
    reader = _FILE_READERS.get(suffix)
    if reader is None:
        raise SeedReaderError(
            f"seed file {str(path)!r} has unsupported extension {suffix!r}; "
            f"convert it to one of: {', '.join(SUPPORTED_SEED_FILE_EXTENSIONS)}"
        )
    try:
        return reader(path)
    except FileNotFoundError as exc:
        raise SeedReaderError(
            f"seed file {str(path)!r} no longer exists; restore it or update the seed source"
        ) from exc
    except (pa.ArrowException, OSError, ValueError, UnicodeDecodeError) as exc:
        raise SeedReaderError(
            f"could not read seed file {str(path)!r} as {suffix[1:]}: {exc}; "
            f"check that the file is valid {suffix[1:]} (re-export it) or that its extension matches its content"
        ) from exc


class LocalFileSeedReader(SeedSourceReader):
    seed_type = "local"
    source: LocalFileSeedSource

    def _files(self) -> list[Path]:
        files = resolve_local_seed_files(self.source.path)
        if not files:
            raise SeedReaderError(
                f"LocalFileSeedSource.path {self.source.path!r} no longer matches any file; restore the data or "
                "update the path"
            )
        return files

    def _load(self) -> SeedTable:
        import pyarrow as pa

        tables = [(path, read_seed_file(path)) for path in self._files() if path.stat().st_size > 0]
        if not tables:
            raise SeedReaderError(f"seed dataset {self.describe()} is empty (every matching file has 0 bytes)")
        if len(tables) == 1:
            return ArrowSeedTable(tables[0][1])
        try:
            table = pa.concat_tables([table for _, table in tables], promote_options="permissive")
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError) as exc:
            names = ", ".join(str(path) for path, _ in tables)
            raise SeedReaderError(
                f"files matched by {self.source.path!r} have incompatible schemas ({exc}); make the column types "
                f"agree across the files or read them separately: {names}"
            ) from exc
        return ArrowSeedTable(table)

    def column_names(self) -> list[str]:
        """Parquet footers give the schema without reading data; other formats need the full read anyway."""
        if self._table is not None:
            return self._table.column_names
        files = self._files()
        if not all(path.suffix.lower() == ".parquet" for path in files):
            return self.load().column_names
        import pyarrow as pa
        import pyarrow.parquet as pq

        names: dict[str, None] = {}
        for path in files:
            try:
                names.update(dict.fromkeys(pq.read_schema(path).names))
            except (pa.ArrowException, OSError) as exc:
                raise SeedReaderError(
                    f"could not read the schema of seed file {str(path)!r}: {exc}; check that it is valid parquet"
                ) from exc
        return list(names)


class DataFrameSeedReader(SeedSourceReader):
    seed_type = "df"
    source: DataFrameSeedSource

    def describe(self) -> str:
        return "DataFrameSeedSource"

    def _load(self) -> SeedTable:
        import pyarrow as pa

        df = self.source.df
        bad = [repr(name) for name in df.columns if not isinstance(name, str)]
        if bad:
            raise SeedReaderError(
                f"DataFrameSeedSource column names must be strings, got {', '.join(bad)}; "
                "rename them, e.g. df.columns = df.columns.astype(str)"
            )
        duplicated = sorted(set(df.columns[df.columns.duplicated()]))
        if duplicated:
            raise SeedReaderError(f"DataFrameSeedSource has duplicate column names {duplicated}; make them unique")
        try:
            return ArrowSeedTable(pa.Table.from_pandas(df, preserve_index=False))
        except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError):
            # Mixed-type object columns have no single Arrow type; keep the Python values as they are.
            return ColumnsSeedTable({name: df[name].tolist() for name in df.columns})


class HuggingFaceSeedReader(SeedSourceReader):
    """Refuses to read: runs never touch the network for seed data, so a Hub dataset must be downloaded first."""

    seed_type = "hf"
    source: HuggingFaceSeedSource

    def _refuse(self) -> SeedReaderError:
        return SeedReaderError(
            f"HuggingFaceSeedSource {self.source.path!r} cannot be read directly: data-designer does not download "
            "from the Hub during a run. Download the files first (e.g. `hf download <repo> --repo-type dataset "
            "--local-dir data/`) and use LocalFileSeedSource(path='data/<files>.parquet') instead"
        )

    def _load(self) -> SeedTable:
        raise self._refuse()

    def column_names(self) -> list[str]:
        raise self._refuse()
