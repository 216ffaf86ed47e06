"""Row groups to immutable parquet files, written with pyarrow directly.

A batch file is written under ``tmp-partial-parquet-files/``, fsynced, then renamed into place: once a
``batch_NNNNN.parquet`` exists it is complete and is never rewritten.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import orjson
import pyarrow as pa
import pyarrow.parquet as pq

from data_designer.errors import ArtifactStorageError
from data_designer.storage.files import fsync_directory, storage_error

__all__ = ["batch_file_name", "columns_to_table", "read_row_count", "read_table", "write_table_atomic"]


_JSON_OPTS = orjson.OPT_NON_STR_KEYS | orjson.OPT_SERIALIZE_NUMPY


def batch_file_name(batch_id: int) -> str:
    return f"batch_{batch_id:05d}.parquet"


def _to_array(values: list[Any]) -> pa.Array:
    try:
        return pa.array(values)
    except (pa.ArrowInvalid, pa.ArrowTypeError, pa.ArrowNotImplementedError, TypeError, ValueError, OverflowError):
        # Mixed or ragged objects: keep them faithfully as JSON text rather than failing the checkpoint.
        return pa.array(
            [
                None
                if v is None
                else (v if isinstance(v, str) else orjson.dumps(v, default=str, option=_JSON_OPTS).decode())
                for v in values
            ],
            type=pa.string(),
        )


def columns_to_table(columns: dict[str, list[Any]], names: list[str], keep: list[int] | None = None) -> pa.Table:
    """Build a table from column lists, keeping only the row indices in ``keep`` (all rows when ``None``)."""
    arrays = []
    for name in names:
        values = columns[name]
        if keep is not None and len(keep) != len(values):
            values = [values[i] for i in keep]
        elif hasattr(values, "tolist") and not isinstance(values, list):
            values = values.tolist()
        try:
            arrays.append(_to_array(values))
        except (TypeError, ValueError, orjson.JSONEncodeError) as exc:
            raise ArtifactStorageError(f"column {name!r} holds values that cannot be stored in parquet: {exc}") from exc
    return pa.Table.from_arrays(arrays, names=names) if names else pa.table({})


def write_table_atomic(table: pa.Table, final_path: Path, tmp_dir: Path) -> None:
    tmp_dir.mkdir(parents=True, exist_ok=True)
    tmp_path = tmp_dir / final_path.name
    try:
        with open(tmp_path, "wb") as handle:
            pq.write_table(table, handle, compression="zstd")
            handle.flush()
            os.fsync(handle.fileno())
        final_path.parent.mkdir(parents=True, exist_ok=True)
        os.replace(tmp_path, final_path)
    except OSError as exc:
        tmp_path.unlink(missing_ok=True)
        raise storage_error("write", final_path, exc) from exc
    fsync_directory(final_path.parent)


def read_row_count(path: Path) -> int:
    try:
        return pq.ParquetFile(path).metadata.num_rows
    except (pa.ArrowInvalid, OSError) as exc:
        raise ArtifactStorageError(
            f"batch file {path} is truncated or corrupt ({exc}); delete that file to regenerate its rows on resume"
        ) from exc


def read_table(path: Path) -> pa.Table:
    try:
        return pq.read_table(path)
    except (pa.ArrowInvalid, OSError) as exc:
        raise ArtifactStorageError(f"could not read {path}: {exc}") from exc
