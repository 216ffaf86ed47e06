"""Artifact-directory faults: unwritable location, disk full, truncated parquet and corrupt metadata on resume.

Each fault must give one clear ``DataDesignerError`` that names the file or directory and says what to do, leave
no partial file under a final name, and (for disk full) be recoverable with ``resume=ResumeMode.ALWAYS``.
Disk full is injected at the storage seams (``data_designer.storage.parquet.pq`` and the journal's ``os``).
"""

from __future__ import annotations

import errno
import os
import subprocess
import sys
import textwrap
import types
from pathlib import Path

import orjson
import pyarrow.parquet as pq
import pytest
from resume_support import build_config, file_hashes

import data_designer.storage.parquet as storage_parquet
from data_designer.errors import ArtifactStorageError, DataDesignerError
from data_designer.interface import ResumeMode

CELLS_PER_RECORD = 2
PROBE_REQUESTS = 1


def _enospc() -> OSError:
    return OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))


def _fail_parquet_write_number(monkeypatch, failing_call: int) -> None:
    """Make the ``failing_call``-th parquet write die with ENOSPC after writing a few bytes (a half-written file)."""
    calls = []

    def write_table(table, where, **kwargs):
        calls.append(None)
        if len(calls) == failing_call:
            where.write(b"PAR1 half a file")
            raise _enospc()
        return pq.write_table(table, where, **kwargs)

    fake = types.SimpleNamespace(write_table=write_table, ParquetFile=pq.ParquetFile, read_table=pq.read_table)
    monkeypatch.setattr(storage_parquet, "pq", fake)


def _journaled_cells(dataset_dir: Path) -> int:
    keys = set()
    for path in (dataset_dir / "journal").glob("row_group_*.jsonl"):
        for line in path.read_bytes().splitlines():
            item = orjson.loads(line)
            keys.add((path.name, item["u"], item["r"]))
    return len(keys)


# ---------------------------------------------------------------------------------------------------- unwritable
@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores directory permissions; the file-based tests cover root")
def test_read_only_artifact_directory_gives_a_clear_error(make_designer, artifacts):
    artifacts.mkdir()
    artifacts.chmod(0o500)
    try:
        with pytest.raises(ArtifactStorageError, match=r"not writable.*artifact_path") as info:
            make_designer().create(build_config(with_llm=False), num_records=10, dataset_name="d")
        assert str(artifacts) in str(info.value)
    finally:
        artifacts.chmod(0o700)


def test_artifact_path_that_is_a_file_gives_an_error_naming_the_path(make_designer, artifacts):
    artifacts.parent.mkdir(parents=True, exist_ok=True)
    artifacts.write_text("not a directory")
    with pytest.raises(ArtifactStorageError) as info:
        make_designer().create(build_config(with_llm=False), num_records=10, dataset_name="d")
    assert str(artifacts / "d") in str(info.value)
    assert artifacts.read_text() == "not a directory"


def test_unusable_artifact_location_error_says_to_choose_another_artifact_path(make_designer, artifacts):
    artifacts.parent.mkdir(parents=True, exist_ok=True)
    artifacts.write_text("not a directory")
    with pytest.raises(ArtifactStorageError, match=r"artifact_path"):
        make_designer().create(build_config(with_llm=False), num_records=10, dataset_name="d")


def test_artifact_path_under_proc_gives_a_storage_error(make_designer):
    designer = make_designer()
    with pytest.raises(ArtifactStorageError, match=r"/proc/"):
        designer.create(build_config(with_llm=False), num_records=10, dataset_name="d", artifact_path="/proc/dd-x")


@pytest.mark.parametrize("mode", [ResumeMode.NEVER, ResumeMode.ALWAYS])
def test_dataset_path_that_is_a_file_gives_an_artifact_storage_error(make_designer, artifacts, mode):
    artifacts.mkdir(parents=True)
    (artifacts / "d").write_text("a file where the dataset directory should be")
    with pytest.raises(ArtifactStorageError, match=r"/d\b"):
        make_designer().create(build_config(with_llm=False), num_records=10, dataset_name="d", resume=mode)


# ---------------------------------------------------------------------------------------------------- disk full
def test_disk_full_on_a_batch_write_fails_cleanly_and_resume_completes(make_designer, sim, monkeypatch):
    designer = make_designer()
    builder = build_config()
    _fail_parquet_write_number(monkeypatch, failing_call=3)
    with pytest.raises(DataDesignerError, match=r"(?i)disk is full.*ResumeMode\.ALWAYS") as info:
        designer.create(builder, num_records=60, dataset_name="d")
    failed_file = str(info.value).split("could not write ")[1].split(":")[0]
    dataset_dir = Path(failed_file.split("/parquet-files/")[0])
    # The failing batch is absent; a row group already being written on another thread may still land (a hole is
    # fine: resume trusts whatever complete files exist).
    assert Path(failed_file).name not in file_hashes(dataset_dir)
    assert len(file_hashes(dataset_dir)) in (2, 3)
    assert not any((dataset_dir / "tmp-partial-parquet-files").glob("*")), "a half-written staging file was left"
    kept = file_hashes(dataset_dir)
    journaled = _journaled_cells(dataset_dir)

    monkeypatch.undo()
    sim.reset_stats()
    resumed = designer.create(builder, num_records=60, dataset_name="d", resume=ResumeMode.ALWAYS)

    df = resumed.load_dataset()
    assert len(df) == 60 and df["row_id"].is_unique
    assert {k: v for k, v in file_hashes(dataset_dir).items() if k in kept} == kept
    # Neither the checkpointed rows nor the journaled cells of the failed run are paid for again.
    persisted = 10 * len(kept)
    assert sim.stats()["requests"] == (60 - persisted) * CELLS_PER_RECORD - journaled + PROBE_REQUESTS


_JOURNAL_DISK_FULL_CHILD = textwrap.dedent(
    """
    import errno, os, sys, types
    sys.path.insert(0, sys.argv[2])
    import data_designer.config as dd
    import data_designer.storage.journal as journal
    from data_designer.interface import DataDesigner
    from data_designer.testing import SimulatedEndpoint
    from resume_support import build_config

    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    journal.os = types.SimpleNamespace(fsync=fsync)
    with SimulatedEndpoint(port=0) as sim:
        designer = DataDesigner(artifact_path=sys.argv[1], auto_configure_logging=False,
                                model_providers=[dd.ModelProvider(name="sim", endpoint=sim.base_url)])
        designer.set_run_config(dd.RunConfig(buffer_size=10, seed=1))
        try:
            designer.create(build_config(), num_records=20, dataset_name="d")
        except Exception as exc:
            print("RAISED", type(exc).__name__, exc, flush=True)
        else:
            print("NO ERROR", flush=True)
    """
)


def test_disk_full_on_a_journal_write_fails_with_a_clear_error_instead_of_hanging(tmp_path):
    script = tmp_path / "journal_disk_full.py"
    script.write_text(_JOURNAL_DISK_FULL_CHILD)
    try:
        done = subprocess.run(
            [sys.executable, str(script), str(tmp_path / "artifacts"), str(Path(__file__).parent)],
            capture_output=True,
            text=True,
            timeout=5,
        )
    except subprocess.TimeoutExpired:
        pytest.fail("create() hung after a journal write failed with ENOSPC")
    assert "RAISED" in done.stdout, done.stdout + done.stderr[-2000:]
    assert "disk is full" in done.stdout


# ---------------------------------------------------------------------------------------------------- found on resume
def test_truncated_parquet_on_resume_names_the_file_and_deleting_it_regenerates_its_rows(make_designer, sim):
    designer = make_designer()
    builder = build_config()
    original = designer.create(builder, num_records=30, dataset_name="d")
    dataset_dir = original.base_dataset_path
    expected = original.load_dataset()
    victim = dataset_dir / "parquet-files" / "batch_00001.parquet"
    victim.write_bytes(victim.read_bytes()[: victim.stat().st_size // 2])

    with pytest.raises(ArtifactStorageError, match=r"(?i)truncated or corrupt.*delete that file") as info:
        designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS)
    assert str(victim) in str(info.value)

    victim.unlink()
    sim.reset_stats()
    repaired = designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS)
    assert sim.stats()["requests"] == 10 * CELLS_PER_RECORD + PROBE_REQUESTS
    df = repaired.load_dataset()
    assert len(df) == 30
    # Samplers are re-derived from (seed, row-group id), so the regenerated rows are the lost ones.
    assert df["row_id"].tolist() == expected["row_id"].tolist()


@pytest.mark.parametrize(
    "content", [b'{"buffer_size": 10, "target_num', b"", b"[1, 2, 3]"], ids=["truncated", "empty", "not-an-object"]
)
@pytest.mark.parametrize("mode", [ResumeMode.ALWAYS, ResumeMode.IF_POSSIBLE])
def test_corrupt_metadata_on_resume_names_the_file(make_designer, sim, content, mode):
    designer = make_designer()
    builder = build_config(with_llm=False)
    dataset_dir = designer.create(builder, num_records=20, dataset_name="d").base_dataset_path
    hashes = file_hashes(dataset_dir)
    (dataset_dir / "metadata.json").write_bytes(content)
    with pytest.raises(ArtifactStorageError, match=r"metadata\.json.*corrupt.*(delete|restore)") as info:
        designer.create(builder, num_records=30, dataset_name="d", resume=mode)
    assert str(dataset_dir / "metadata.json") in str(info.value)
    assert file_hashes(dataset_dir) == hashes


def test_always_with_missing_metadata_but_batches_on_disk_refuses_and_keeps_them(make_designer):
    designer = make_designer()
    builder = build_config(with_llm=False)
    dataset_dir = designer.create(builder, num_records=20, dataset_name="d").base_dataset_path
    identity = _file_identities(dataset_dir)
    (dataset_dir / "metadata.json").unlink()
    try:
        with pytest.raises(ArtifactStorageError, match=r"metadata\.json"):
            designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS)
    finally:
        assert _file_identities(dataset_dir) == identity, "completed batch files were deleted or rewritten"


def _file_identities(dataset_dir: Path) -> dict[str, tuple[int, int]]:
    return {p.name: (p.stat().st_ino, p.stat().st_mtime_ns) for p in (dataset_dir / "parquet-files").glob("*.parquet")}
