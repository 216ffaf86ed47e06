"""Durable file writes: every artifact is written to a temporary file, fsynced, then atomically renamed.

A file that exists under its final name is therefore complete; a crash leaves at most a stray ``*.tmp`` file.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path
from typing import Any

import orjson

from data_designer.errors import ArtifactStorageError

__all__ = ["atomic_write_bytes", "atomic_write_json", "fsync_directory", "storage_error", "read_json"]


def storage_error(action: str, path: Path, exc: OSError) -> ArtifactStorageError:
    """One clear line for the usual artifact-directory faults, with what to do about them."""
    if exc.errno in (errno.EACCES, errno.EPERM, errno.EROFS):
        fix = "the directory is not writable; choose another artifact_path or fix its permissions"
    elif exc.errno in (errno.ENOSPC, errno.EDQUOT):
        fix = "the disk is full; free space and resume with resume=ResumeMode.ALWAYS (completed batches are kept)"
    elif exc.errno in (errno.ENOTDIR, errno.ENOENT, errno.EISDIR, errno.ENAMETOOLONG):
        fix = f"{exc.strerror or exc}: the location cannot hold a dataset; choose another artifact_path or dataset_name"
    else:
        fix = exc.strerror or str(exc)
    return ArtifactStorageError(f"could not {action} {path}: {fix}")


def fsync_directory(directory: Path) -> None:
    try:
        fd = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


def atomic_write_bytes(path: Path, data: bytes) -> None:
    tmp = path.with_name(f".{path.name}.{os.getpid()}.tmp")
    try:
        with open(tmp, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        try:
            tmp.unlink(missing_ok=True)
        except OSError:
            pass
        raise storage_error("write", path, exc) from exc
    fsync_directory(path.parent)


def atomic_write_json(path: Path, payload: Any) -> None:
    atomic_write_bytes(path, orjson.dumps(payload, option=orjson.OPT_SORT_KEYS | orjson.OPT_INDENT_2, default=str))


def read_json(path: Path, *, what: str) -> Any:
    try:
        return orjson.loads(path.read_bytes())
    except orjson.JSONDecodeError as exc:
        raise ArtifactStorageError(
            f"{what} at {path} is corrupt ({exc}); delete the dataset directory to start over, or restore the file"
        ) from exc
    except OSError as exc:
        raise storage_error("read", path, exc) from exc
