"""The artifact directory of one dataset and everything written into it.

Layout (inventory §3)::

    <artifact_path>/<dataset_name>/
        builder_config.json, metadata.json
        parquet-files/batch_00000.parquet ...          one file per checkpointed row group (ids may have holes)
        tmp-partial-parquet-files/                      staging for atomic batch writes
        dropped-columns-parquet-files/batch_*.parquet   dropped columns, when preserve_dropped_columns
        processors-files/<name>/batch_*.parquet         schema-transform outputs
        images/<column>/<uuid>.<ext>
        journal/row_group_NNNNN.jsonl                   cell journal of in-flight row groups (removed at checkpoint)

Progress is read from the parquet files (footer row counts), never from metadata, so a crash between a batch write
and the metadata update loses nothing.
"""

from __future__ import annotations

import re
import shutil
from datetime import datetime
from pathlib import Path
from typing import Any

import pyarrow as pa

from data_designer.errors import ArtifactStorageError
from data_designer.storage.files import atomic_write_json, read_json, storage_error
from data_designer.storage.parquet import batch_file_name, read_row_count, write_table_atomic

__all__ = ["ArtifactStorage", "timestamped_name", "unused_timestamped_dir"]

PARQUET_DIR = "parquet-files"
TMP_DIR = "tmp-partial-parquet-files"
DROPPED_DIR = "dropped-columns-parquet-files"
PROCESSORS_DIR = "processors-files"
IMAGES_DIR = "images"
JOURNAL_DIR = "journal"
METADATA = "metadata.json"
BUILDER_CONFIG = "builder_config.json"
_BATCH_RE = re.compile(r"^batch_(\d{5,})\.parquet$")


def timestamped_name(dataset_name: str, now: datetime | None = None) -> str:
    return f"{dataset_name}_{(now or datetime.now()).strftime('%m-%d-%Y_%H%M%S')}"


def unused_timestamped_dir(parent: Path, dataset_name: str) -> Path:
    """``<name>_<timestamp>``; runs started within the same second get ``-2``, ``-3``... rather than colliding."""
    base = timestamped_name(dataset_name)
    candidate, n = parent / base, 1
    while candidate.exists():
        n += 1
        candidate = parent / f"{base}-{n}"
    return candidate


class ArtifactStorage:
    def __init__(self, dataset_dir: Path) -> None:
        self.dataset_dir = Path(dataset_dir)
        self.dataset_name = self.dataset_dir.name

    # ------------------------------------------------------------------ paths
    @property
    def parquet_dir(self) -> Path:
        return self.dataset_dir / PARQUET_DIR

    @property
    def tmp_dir(self) -> Path:
        return self.dataset_dir / TMP_DIR

    @property
    def dropped_dir(self) -> Path:
        return self.dataset_dir / DROPPED_DIR

    @property
    def processors_dir(self) -> Path:
        return self.dataset_dir / PROCESSORS_DIR

    @property
    def images_dir(self) -> Path:
        return self.dataset_dir / IMAGES_DIR

    @property
    def journal_dir(self) -> Path:
        return self.dataset_dir / JOURNAL_DIR

    @property
    def metadata_path(self) -> Path:
        return self.dataset_dir / METADATA

    @property
    def builder_config_path(self) -> Path:
        return self.dataset_dir / BUILDER_CONFIG

    def batch_path(self, batch_id: int) -> Path:
        return self.parquet_dir / batch_file_name(batch_id)

    # ------------------------------------------------------------------ lifecycle
    def prepare(self) -> None:
        try:
            self.parquet_dir.mkdir(parents=True, exist_ok=True)
            probe = self.dataset_dir / ".write-probe"
            probe.write_bytes(b"")
            probe.unlink()
        except OSError as exc:
            raise storage_error("create the dataset directory", self.dataset_dir, exc) from exc

    def clear_staging(self) -> None:
        shutil.rmtree(self.tmp_dir, ignore_errors=True)

    def is_empty(self) -> bool:
        if self.dataset_dir.exists() and not self.dataset_dir.is_dir():
            raise ArtifactStorageError(
                f"the dataset path {self.dataset_dir} exists and is not a directory; choose another artifact_path or "
                "dataset_name"
            )
        try:
            return not self.dataset_dir.exists() or not any(self.dataset_dir.iterdir())
        except OSError as exc:
            raise storage_error("read", self.dataset_dir, exc) from exc

    # ------------------------------------------------------------------ batches
    def completed_batches(self) -> dict[int, int]:
        """``{row group id: rows persisted}`` read from parquet footers (holes in the ids are allowed)."""
        if not self.parquet_dir.is_dir():
            return {}
        found: dict[int, int] = {}
        for path in sorted(self.parquet_dir.iterdir()):
            match = _BATCH_RE.match(path.name)
            if match:
                found[int(match.group(1))] = read_row_count(path)
        return found

    def batch_files(self) -> list[Path]:
        if not self.parquet_dir.is_dir():
            return []
        return sorted(p for p in self.parquet_dir.iterdir() if _BATCH_RE.match(p.name))

    def write_batch(self, batch_id: int, table: pa.Table) -> Path:
        path = self.batch_path(batch_id)
        if path.exists():
            raise ArtifactStorageError(f"refusing to overwrite existing batch file {path}")
        write_table_atomic(table, path, self.tmp_dir)
        return path

    def write_dropped_batch(self, batch_id: int, table: pa.Table) -> Path:
        path = self.dropped_dir / batch_file_name(batch_id)
        write_table_atomic(table, path, self.tmp_dir)
        return path

    def write_processor_batch(self, processor_name: str, batch_id: int, table: pa.Table) -> Path:
        path = self.processors_dir / processor_name / batch_file_name(batch_id)
        write_table_atomic(table, path, self.tmp_dir)
        return path

    def processor_files(self, processor_name: str) -> list[Path]:
        directory = self.processors_dir / processor_name
        return sorted(directory.glob("batch_*.parquet")) if directory.is_dir() else []

    # ------------------------------------------------------------------ metadata and config
    def read_metadata(self) -> dict[str, Any] | None:
        if not self.metadata_path.exists():
            return None
        data = read_json(self.metadata_path, what="metadata.json")
        if not isinstance(data, dict):
            raise ArtifactStorageError(
                f"metadata.json at {self.metadata_path} is corrupt (not an object); delete the dataset directory "
                "to start over"
            )
        return data

    def write_metadata(self, metadata: dict[str, Any]) -> None:
        atomic_write_json(self.metadata_path, metadata)

    def write_builder_config(self, payload: dict[str, Any]) -> None:
        atomic_write_json(self.builder_config_path, payload)

    def read_builder_config(self) -> dict[str, Any] | None:
        if not self.builder_config_path.exists():
            return None
        return read_json(self.builder_config_path, what="builder_config.json")

    def relative(self, path: Path) -> str:
        return str(Path(path).relative_to(self.dataset_dir))
