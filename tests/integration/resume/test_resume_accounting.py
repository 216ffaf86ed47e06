"""Usage accounting and cell-journal housekeeping across resumed runs.

``metadata.json["model_usage"]`` must add up every request paid for over all runs of a dataset (compared with the
simulator's own counter), and the journal of a row group must not outlive its durable parquet file.
"""

from __future__ import annotations

import errno
import os
import types

import orjson
import pyarrow.parquet as pq
import pytest
from resume_support import build_config

import data_designer.storage.parquet as storage_parquet
from data_designer.errors import DataDesignerError
from data_designer.interface import ResumeMode

USAGE_COUNTERS = ("requests_ok", "requests_failed", "input_tokens", "output_tokens", "total_tokens")


def _usage(dataset_dir) -> dict:
    return orjson.loads((dataset_dir / "metadata.json").read_bytes())["model_usage"]["m"]


def test_model_usage_in_metadata_accumulates_over_resumed_runs(make_designer, sim):
    designer = make_designer()
    builder = build_config()
    first = designer.create(builder, num_records=20, dataset_name="d")
    dataset_dir = first.base_dataset_path
    usage_first = dict(designer.last_model_usage["m"])
    assert {k: _usage(dataset_dir)[k] for k in USAGE_COUNTERS} == {k: usage_first[k] for k in USAGE_COUNTERS}

    designer.create(builder, num_records=40, dataset_name="d", resume=ResumeMode.ALWAYS)
    usage_second = designer.last_model_usage["m"]
    designer.create(builder, num_records=40, dataset_name="d", resume=ResumeMode.ALWAYS)  # complete: no requests

    stored = _usage(dataset_dir)
    for key in USAGE_COUNTERS:
        assert stored[key] == usage_first[key] + usage_second[key], key
    assert stored["requests_ok"] + stored["requests_failed"] == sim.stats()["requests"]
    assert stored["model_alias"] == "m" and stored["provider"] == "sim"


def test_model_usage_counts_requests_of_a_run_that_failed_before_the_resume(make_designer, sim, monkeypatch):
    designer = make_designer()
    builder = build_config()
    writes = []

    def write_table(table, where, **kwargs):
        writes.append(None)
        if len(writes) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return pq.write_table(table, where, **kwargs)

    fake = types.SimpleNamespace(write_table=write_table, ParquetFile=pq.ParquetFile, read_table=pq.read_table)
    monkeypatch.setattr(storage_parquet, "pq", fake)
    with pytest.raises(DataDesignerError, match="disk is full"):
        designer.create(builder, num_records=40, dataset_name="d")
    monkeypatch.undo()
    resumed = designer.create(builder, num_records=40, dataset_name="d", resume=ResumeMode.ALWAYS)
    stored = _usage(resumed.base_dataset_path)
    # Requests cancelled in flight when the failed run aborted may or may not have reached the server.
    answered = stored["requests_ok"] + stored["requests_failed"]
    assert answered <= sim.stats()["requests"] <= answered + stored["requests_cancelled"]


def test_resume_removes_the_journal_of_a_row_group_whose_parquet_is_already_durable(make_designer):
    designer = make_designer()
    builder = build_config()
    first = designer.create(builder, num_records=20, dataset_name="d")
    dataset_dir, before = first.base_dataset_path, first.load_dataset()
    # The state a SIGKILL right after batch_00000.parquet was renamed into place leaves behind.
    stale = dataset_dir / "journal" / "row_group_00000.jsonl"
    stale.parent.mkdir(exist_ok=True)
    stale.write_bytes(orjson.dumps({"u": "q", "r": 0, "v": {"q": "stale"}}) + b"\n")

    after = designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS).load_dataset()

    assert after.iloc[:20]["q"].tolist() == before["q"].tolist()
    assert not stale.exists()


def test_completed_run_leaves_no_journal_files(make_designer):
    dataset_dir = make_designer().create(build_config(), num_records=30, dataset_name="d").base_dataset_path
    assert not list((dataset_dir / "journal").glob("*"))


def test_journal_can_be_disabled(make_designer, sim):
    designer = make_designer(cell_journal=False)
    dataset_dir = designer.create(build_config(), num_records=20, dataset_name="d").base_dataset_path
    assert not (dataset_dir / "journal").exists() or not list((dataset_dir / "journal").glob("*"))
    assert len(designer.create(build_config(), num_records=30, dataset_name="d", resume="always").load_dataset()) == 30
