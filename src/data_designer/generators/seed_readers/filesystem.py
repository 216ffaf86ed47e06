"""Readers whose rows are files under a directory: a manifest of matching files, hydrated on demand.

The manifest (one row per file, sorted by relative path so the order is stable across machines) is built once;
:class:`FileContentsSeedReader` reads a file's text only when its row is actually taken, so a directory of large
documents costs memory only for the rows in flight.
"""

from __future__ import annotations

import fnmatch
import os
from pathlib import Path

from data_designer.config.seed_source import DirectorySeedSource, FileContentsSeedSource, FileSystemSeedSource
from data_designer.errors import SeedReaderError
from data_designer.generators.seed_readers.base import Columns, ColumnsSeedTable, SeedSourceReader, SeedTable

__all__ = ["DirectorySeedReader", "FileContentsSeedReader", "list_matching_files", "resolve_root"]

MANIFEST_COLUMNS = ["source_kind", "source_path", "relative_path", "file_name"]


def resolve_root(path: str, *, field: str) -> Path:
    """The directory to scan, with ``~`` expanded; a missing or non-directory path is a :class:`SeedReaderError`."""
    root = Path(os.path.expanduser(path)).resolve()
    if not root.exists():
        raise SeedReaderError(f"{field} {path!r} does not exist; point it at an existing directory")
    if not root.is_dir():
        raise SeedReaderError(f"{field} {path!r} is not a directory; point it at the directory containing the files")
    return root


def list_matching_files(root: Path, file_pattern: str, *, recursive: bool) -> list[Path]:
    """Files under ``root`` whose basename matches ``file_pattern`` (case-sensitive), sorted by relative path."""
    if recursive:
        candidates = (Path(dirpath) / name for dirpath, _, names in os.walk(root) for name in names)
    else:
        candidates = (entry for entry in root.iterdir())
    matches = [path for path in candidates if fnmatch.fnmatchcase(path.name, file_pattern) and path.is_file()]
    return sorted(matches, key=lambda path: path.relative_to(root).as_posix())


def _build_manifest(source: FileSystemSeedSource, *, source_name: str) -> Columns:
    root = resolve_root(source.path, field=f"{source_name}.path")
    files = list_matching_files(root, source.file_pattern, recursive=source.recursive)
    if not files:
        scope = "in it or its sub-directories" if source.recursive else "directly in it (recursive=False)"
        raise SeedReaderError(
            f"{source_name} {source.path!r}: no file matches file_pattern {source.file_pattern!r} {scope}; "
            "check the path, the pattern (case-sensitive, matched on file names) and recursive"
        )
    return {
        "source_kind": ["directory_file"] * len(files),
        "source_path": [str(path) for path in files],
        "relative_path": [path.relative_to(root).as_posix() for path in files],
        "file_name": [path.name for path in files],
    }


class DirectorySeedReader(SeedSourceReader):
    seed_type = "directory"
    source: DirectorySeedSource

    def _load(self) -> SeedTable:
        return ColumnsSeedTable(_build_manifest(self.source, source_name="DirectorySeedSource"))

    def column_names(self) -> list[str]:
        return list(MANIFEST_COLUMNS)


class FileContentsSeedReader(SeedSourceReader):
    seed_type = "file_contents"
    source: FileContentsSeedSource

    def _load(self) -> SeedTable:
        return ColumnsSeedTable(_build_manifest(self.source, source_name="FileContentsSeedSource"))

    def column_names(self) -> list[str]:
        return [*MANIFEST_COLUMNS, "content"]

    def hydrate(self, columns: Columns) -> Columns:
        return {**columns, "content": [self._read_text(path) for path in columns["source_path"]]}

    def _read_text(self, path: str) -> str:
        encoding = self.source.encoding
        try:
            return Path(path).read_text(encoding=encoding)
        except UnicodeDecodeError as exc:
            raise SeedReaderError(
                f"seed file {path!r} is not valid {encoding} text ({exc.reason} at byte {exc.start}); set "
                "FileContentsSeedSource.encoding to the file's encoding or narrow file_pattern to text files"
            ) from exc
        except OSError as exc:
            raise SeedReaderError(
                f"could not read seed file {path!r}: {exc}; check it still exists and is readable"
            ) from exc
