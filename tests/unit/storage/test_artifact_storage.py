"""``ArtifactStorage`` and the parquet helpers: layout, immutable batch files, progress from footers, metadata."""

from __future__ import annotations

import errno
import os
import types
from datetime import datetime

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

import data_designer.storage.parquet as storage_parquet
from data_designer.errors import ArtifactStorageError
from data_designer.storage.artifacts import ArtifactStorage, timestamped_name
from data_designer.storage.parquet import batch_file_name, columns_to_table, read_row_count


def _table(rows: int) -> pa.Table:
    return pa.table({"x": list(range(rows))})


@pytest.fixture
def storage(tmp_path) -> ArtifactStorage:
    store = ArtifactStorage(tmp_path / "my-data")
    store.prepare()
    return store


def test_layout_follows_the_inventory(tmp_path):
    store = ArtifactStorage(tmp_path / "d")
    assert store.dataset_name == "d"
    relative = {
        name: getattr(store, name).relative_to(store.dataset_dir).as_posix()
        for name in (
            "parquet_dir",
            "tmp_dir",
            "dropped_dir",
            "processors_dir",
            "images_dir",
            "journal_dir",
            "metadata_path",
            "builder_config_path",
        )
    }
    assert relative == {
        "parquet_dir": "parquet-files",
        "tmp_dir": "tmp-partial-parquet-files",
        "dropped_dir": "dropped-columns-parquet-files",
        "processors_dir": "processors-files",
        "images_dir": "images",
        "journal_dir": "journal",
        "metadata_path": "metadata.json",
        "builder_config_path": "builder_config.json",
    }
    assert store.relative(store.batch_path(3)) == "parquet-files/batch_00003.parquet"


def test_timestamped_name_has_the_upstream_shape():
    assert timestamped_name("d", datetime(2024, 3, 9, 7, 5, 1)) == "d_03-09-2024_070501"


def test_is_empty_for_missing_and_empty_directories_only(tmp_path):
    store = ArtifactStorage(tmp_path / "d")
    assert store.is_empty()
    store.dataset_dir.mkdir()
    assert store.is_empty()
    (store.dataset_dir / "builder_config.json").write_text("{}")
    assert not store.is_empty()


def test_prepare_under_a_file_is_a_storage_error_naming_the_directory(tmp_path):
    (tmp_path / "blocker").write_text("file")
    store = ArtifactStorage(tmp_path / "blocker" / "d")
    with pytest.raises(ArtifactStorageError, match=r"could not create the dataset directory .*blocker/d"):
        store.prepare()


def test_progress_comes_from_footers_with_holes_and_foreign_files_ignored(storage):
    storage.write_batch(0, _table(10))
    storage.write_batch(2, _table(7))
    for name in ("batch_1.parquet", "notes.txt", ".batch_00003.parquet.tmp"):
        (storage.parquet_dir / name).write_bytes(b"junk")
    assert storage.completed_batches() == {0: 10, 2: 7}
    assert [p.name for p in storage.batch_files()] == ["batch_00000.parquet", "batch_00002.parquet"]


def test_batch_ids_past_five_digits_are_still_found(storage):
    storage.write_batch(123456, _table(1))
    assert batch_file_name(123456) == "batch_123456.parquet"
    assert storage.completed_batches() == {123456: 1}


def test_a_batch_file_is_never_overwritten(storage):
    path = storage.write_batch(1, _table(3))
    before = path.read_bytes()
    with pytest.raises(ArtifactStorageError, match=r"refusing to overwrite .*batch_00001\.parquet"):
        storage.write_batch(1, _table(5))
    assert path.read_bytes() == before


def test_a_truncated_batch_file_is_named_with_what_to_do(storage):
    path = storage.write_batch(4, _table(50))
    path.write_bytes(path.read_bytes()[:-20])
    with pytest.raises(ArtifactStorageError, match=r"batch_00004\.parquet is truncated or corrupt.*delete that file"):
        storage.completed_batches()
    with pytest.raises(ArtifactStorageError, match=r"batch_00004"):
        read_row_count(path)


def test_a_failed_batch_write_leaves_neither_a_final_nor_a_staging_file(storage, monkeypatch):
    def write_table(table, where, **kwargs):
        where.write(b"PAR1 partial")
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(storage_parquet, "pq", types.SimpleNamespace(write_table=write_table))
    with pytest.raises(ArtifactStorageError, match=r"batch_00000\.parquet: the disk is full"):
        storage.write_batch(0, _table(2))
    monkeypatch.undo()
    assert not storage.batch_path(0).exists()
    assert list(storage.tmp_dir.iterdir()) == []
    storage.write_batch(0, _table(2))  # after the fault is gone the same batch can be written
    assert storage.completed_batches() == {0: 2}


def test_side_outputs_go_to_their_own_folders(storage):
    dropped = storage.write_dropped_batch(0, _table(2))
    processed = storage.write_processor_batch("flat", 0, _table(2))
    assert storage.relative(dropped) == "dropped-columns-parquet-files/batch_00000.parquet"
    assert storage.processor_files("flat") == [processed]
    assert storage.processor_files("absent") == []
    assert storage.completed_batches() == {}


def test_clear_staging_removes_leftovers_of_a_crash(storage):
    storage.tmp_dir.mkdir(parents=True, exist_ok=True)
    (storage.tmp_dir / "batch_00009.parquet").write_bytes(b"half")
    storage.clear_staging()
    assert not storage.tmp_dir.exists()


def test_metadata_round_trip_and_absence(storage):
    assert storage.read_metadata() is None
    storage.write_metadata({"buffer_size": 10, "row_group_segments": [[0, 0, 30]]})
    assert storage.read_metadata() == {"buffer_size": 10, "row_group_segments": [[0, 0, 30]]}
    storage.write_builder_config({"data_designer": {"columns": []}})
    assert storage.read_builder_config() == {"data_designer": {"columns": []}}


@pytest.mark.parametrize("content", [b"[]", b'"text"', b"{broken"])
def test_metadata_that_is_not_a_json_object_is_named_as_corrupt(storage, content):
    storage.metadata_path.write_bytes(content)
    with pytest.raises(ArtifactStorageError, match=r"metadata\.json at .*metadata\.json is corrupt.*delete"):
        storage.read_metadata()


def test_columns_to_table_keeps_the_selected_rows_in_order():
    table = columns_to_table({"a": [1, 2, 3, 4], "b": ["w", "x", "y", "z"]}, ["b", "a"], keep=[0, 2, 3])
    assert table.column_names == ["b", "a"]
    assert table.to_pylist() == [{"b": "w", "a": 1}, {"b": "y", "a": 3}, {"b": "z", "a": 4}]


def test_ragged_objects_are_kept_as_json_text_rather_than_failing_the_checkpoint(tmp_path):
    table = columns_to_table({"v": [{"k": 1}, [1, "two"], None, "plain"]}, ["v"])
    assert table.column("v").to_pylist() == ['{"k":1}', '[1,"two"]', None, "plain"]
    path = tmp_path / "t.parquet"
    pq.write_table(table, path)
    assert read_row_count(path) == 4
