"""``storage.files``: atomic writes (tmp + fsync + rename), JSON helpers, and the wording of storage errors."""

from __future__ import annotations

import datetime
import errno
import os
from pathlib import Path

import pytest

import data_designer.storage.files as files
from data_designer.errors import ArtifactStorageError
from data_designer.storage.files import atomic_write_bytes, atomic_write_json, read_json, storage_error


def _leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if p.name.endswith(".tmp"))


def test_atomic_write_replaces_the_file_and_leaves_no_temporary(tmp_path):
    target = tmp_path / "metadata.json"
    atomic_write_bytes(target, b"one")
    atomic_write_bytes(target, b"two")
    assert target.read_bytes() == b"two"
    assert _leftovers(tmp_path) == []


def test_a_failed_write_keeps_the_previous_content_and_removes_the_temporary(tmp_path, monkeypatch):
    target = tmp_path / "metadata.json"
    atomic_write_bytes(target, b"previous")

    def full_disk(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(files.os, "fsync", full_disk)
    with pytest.raises(ArtifactStorageError, match=r"could not write .*metadata\.json: the disk is full"):
        atomic_write_bytes(target, b"new content that never lands")
    monkeypatch.undo()
    assert target.read_bytes() == b"previous"
    assert _leftovers(tmp_path) == []


def test_writing_into_a_missing_directory_names_the_file(tmp_path):
    target = tmp_path / "missing" / "metadata.json"
    with pytest.raises(ArtifactStorageError, match=r"could not write .*missing/metadata\.json"):
        atomic_write_bytes(target, b"x")


def test_json_is_written_with_sorted_keys_and_non_json_values_as_text(tmp_path):
    target = tmp_path / "m.json"
    atomic_write_json(target, {"b": 1, "a": datetime.date(2024, 1, 2), "p": Path("/x")})
    text = target.read_text()
    assert text.index('"a"') < text.index('"b"')
    assert read_json(target, what="m.json") == {"a": "2024-01-02", "b": 1, "p": "/x"}


def test_reading_corrupt_json_names_the_file_and_what_to_do(tmp_path):
    target = tmp_path / "metadata.json"
    target.write_bytes(b'{"buffer_size": 1')
    with pytest.raises(ArtifactStorageError, match=r"metadata\.json at .*metadata\.json is corrupt.*delete.*restore"):
        read_json(target, what="metadata.json")


def test_reading_a_missing_file_is_a_storage_error(tmp_path):
    with pytest.raises(ArtifactStorageError, match=r"could not read .*nothing\.json"):
        read_json(tmp_path / "nothing.json", what="nothing.json")


@pytest.mark.parametrize(
    ("code", "advice"),
    [
        (errno.EACCES, "not writable; choose another artifact_path"),
        (errno.EPERM, "not writable"),
        (errno.EROFS, "not writable"),
        (errno.ENOSPC, "disk is full; free space and resume with resume=ResumeMode.ALWAYS"),
        (errno.EDQUOT, "disk is full"),
    ],
)
def test_storage_errors_say_what_to_do(code, advice):
    error = storage_error("write", Path("/data/d/batch_00001.parquet"), OSError(code, os.strerror(code)))
    assert isinstance(error, ArtifactStorageError)
    assert str(error).startswith("could not write /data/d/batch_00001.parquet: ")
    assert advice in str(error)


def test_fsync_of_a_missing_directory_is_harmless(tmp_path):
    files.fsync_directory(tmp_path / "gone")
