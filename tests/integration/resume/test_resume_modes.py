"""Every path of the "Resuming Interrupted Runs" spec page: extension, the refusals, the completed dataset, NEVER.

Each test builds a real dataset on disk with ``DataDesigner.create`` against the simulated endpoint, then calls
``create`` again with another resume mode or a changed config and checks what is (and is not) touched.
"""

from __future__ import annotations

import shutil
from datetime import datetime, timedelta

import orjson
import pandas as pd
import pytest
from resume_support import BUFFER_SIZE, build_config, dataset_dirs, file_hashes

import data_designer.config as dd
from data_designer.errors import ArtifactStorageError
from data_designer.interface import ResumeMode
from data_designer.storage.artifacts import timestamped_name

LLM_CELLS_PER_RECORD = 2
PROBE_REQUESTS = 1  # the readiness check of the one model alias, once per create call that generates


def _metadata(dataset_dir) -> dict:
    return orjson.loads((dataset_dir / "metadata.json").read_bytes())


# ---------------------------------------------------------------------------------------------------- extension
@pytest.mark.parametrize("first", [30, 25], ids=["whole-row-groups", "partial-last-row-group"])
def test_always_extends_n_to_2n_keeping_first_rows_and_appending_new_batch_ids(make_designer, artifacts, sim, first):
    designer = make_designer()
    builder = build_config()
    original = designer.create(builder, num_records=first, dataset_name="d")
    dataset_dir = original.base_dataset_path
    before_df = original.load_dataset()
    before_hashes = file_hashes(dataset_dir)
    sim.reset_stats()

    extended = designer.create(builder, num_records=2 * first, dataset_name="d", resume=ResumeMode.ALWAYS)

    assert extended.base_dataset_path == dataset_dir
    after_df = extended.load_dataset()
    assert len(after_df) == 2 * first
    pd.testing.assert_frame_equal(after_df.iloc[:first].reset_index(drop=True), before_df)
    assert after_df["row_id"].is_unique
    hashes = file_hashes(dataset_dir)
    assert {name: hashes[name] for name in before_hashes} == before_hashes
    old_ids = sorted(int(n[6:11]) for n in before_hashes)
    new_ids = sorted(int(n[6:11]) for n in set(hashes) - set(before_hashes))
    assert new_ids and min(new_ids) > max(old_ids)
    assert new_ids == list(range(max(old_ids) + 1, max(old_ids) + 1 + len(new_ids)))
    assert sim.stats()["requests"] == first * LLM_CELLS_PER_RECORD + PROBE_REQUESTS
    meta = _metadata(dataset_dir)
    assert meta["target_num_records"] == 2 * first
    assert meta["buffer_size"] == BUFFER_SIZE


def test_extension_of_an_extension_keeps_every_earlier_row(make_designer):
    designer = make_designer()
    builder = build_config(with_llm=False)
    first = designer.create(builder, num_records=15, dataset_name="d").load_dataset()
    second = designer.create(builder, num_records=27, dataset_name="d", resume=ResumeMode.ALWAYS).load_dataset()
    third = designer.create(builder, num_records=40, dataset_name="d", resume="always").load_dataset()
    assert len(third) == 40 and third["row_id"].is_unique
    pd.testing.assert_frame_equal(third.iloc[:27].reset_index(drop=True), second)
    pd.testing.assert_frame_equal(third.iloc[:15].reset_index(drop=True), first)


# ---------------------------------------------------------------------------------------------------- refusals
def test_always_without_a_dataset_directory_explains_how_to_start(make_designer, artifacts):
    with pytest.raises(ArtifactStorageError, match=r"(?i)does not exist.*ResumeMode\.NEVER"):
        make_designer().create(build_config(), num_records=10, dataset_name="missing", resume=ResumeMode.ALWAYS)
    assert not (artifacts / "missing").exists()


def test_always_with_a_changed_config_refuses_and_touches_nothing(make_designer, sim):
    designer = make_designer()
    dataset_dir = designer.create(build_config(), num_records=20, dataset_name="d").base_dataset_path
    hashes, meta = file_hashes(dataset_dir), _metadata(dataset_dir)
    sim.reset_stats()
    changed = build_config(question_prompt="Q::{{ row_id }}:: a different question about {{ topic }}")
    with pytest.raises(ArtifactStorageError, match=r"(?i)config.*(changed|fingerprint)") as info:
        designer.create(changed, num_records=20, dataset_name="d", resume=ResumeMode.ALWAYS)
    assert "restore the original config or start a new run" in str(info.value)
    assert sim.stats()["requests"] == 0
    assert file_hashes(dataset_dir) == hashes and _metadata(dataset_dir) == meta


def test_if_possible_with_a_changed_config_starts_a_fresh_timestamped_run(make_designer, artifacts):
    designer = make_designer()
    original = designer.create(build_config(), num_records=20, dataset_name="d")
    hashes = file_hashes(original.base_dataset_path)
    changed = build_config(question_prompt="Q::{{ row_id }}:: something else about {{ topic }}")
    fresh = designer.create(changed, num_records=10, dataset_name="d", resume=ResumeMode.IF_POSSIBLE)
    assert fresh.base_dataset_path != original.base_dataset_path
    assert fresh.base_dataset_path.name.startswith("d_")
    assert len(fresh.load_dataset()) == 10
    assert file_hashes(original.base_dataset_path) == hashes
    assert len(dataset_dirs(artifacts, "d")) == 2


def test_if_possible_with_the_same_config_resumes_in_place(make_designer, artifacts):
    designer = make_designer()
    builder = build_config(with_llm=False)
    designer.create(builder, num_records=20, dataset_name="d")
    resumed = designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.IF_POSSIBLE)
    assert resumed.base_dataset_path == artifacts / "d"
    assert len(resumed.load_dataset()) == 30
    assert dataset_dirs(artifacts, "d") == [artifacts / "d"]


def test_buffer_size_mismatch_refuses_with_the_setting_that_would_resume(make_designer, artifacts):
    builder = build_config(with_llm=False)
    make_designer().create(builder, num_records=20, dataset_name="d")
    other = make_designer(buffer_size=7)
    with pytest.raises(ArtifactStorageError, match=r"buffer_size=10"):
        other.create(builder, num_records=20, dataset_name="d", resume=ResumeMode.ALWAYS)
    fresh = other.create(builder, num_records=20, dataset_name="d", resume=ResumeMode.IF_POSSIBLE)
    assert fresh.base_dataset_path != artifacts / "d"
    assert _metadata(fresh.base_dataset_path)["buffer_size"] == 7


def test_fewer_records_than_the_original_target_refuses(make_designer):
    designer = make_designer()
    builder = build_config(with_llm=False)
    dataset_dir = designer.create(builder, num_records=30, dataset_name="d").base_dataset_path
    hashes = file_hashes(dataset_dir)
    with pytest.raises(ArtifactStorageError, match=r"num_records=20.*30") as info:
        designer.create(builder, num_records=20, dataset_name="d", resume=ResumeMode.ALWAYS)
    assert "at least 30" in str(info.value)
    assert file_hashes(dataset_dir) == hashes


@dd.custom_column_generator(required_columns=["topic"])
def _shout(df):
    df["loud"] = df["topic"].str.upper()
    return df


def _resizable_config():
    builder = build_config(with_llm=False)
    builder.add_column(
        dd.CustomColumnConfig(
            name="loud", generator_function=_shout, generation_strategy="full_column", allow_resize=True
        )
    )
    return builder


def test_allow_resize_columns_are_not_resumable(make_designer, artifacts):
    designer = make_designer()
    builder = _resizable_config()
    original = designer.create(builder, num_records=20, dataset_name="d")
    assert len(original.load_dataset()) == 20
    with pytest.raises(ArtifactStorageError, match=r"allow_resize"):
        designer.create(builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS)
    fresh = designer.create(builder, num_records=10, dataset_name="d", resume=ResumeMode.IF_POSSIBLE)
    assert fresh.base_dataset_path != original.base_dataset_path
    assert len(original.load_dataset()) == 20


def test_preserve_dropped_columns_mismatch_refuses(make_designer):
    builder = build_config(with_llm=False)
    make_designer(preserve_dropped_columns=True).create(builder, num_records=20, dataset_name="d")
    with pytest.raises(ArtifactStorageError, match=r"preserve_dropped_columns"):
        make_designer(preserve_dropped_columns=False).create(
            builder, num_records=30, dataset_name="d", resume=ResumeMode.ALWAYS
        )


def test_preserve_dropped_columns_refusal_says_which_value_resumes(make_designer):
    builder = build_config(with_llm=False)
    make_designer(preserve_dropped_columns=True).create(builder, num_records=20, dataset_name="d")
    with pytest.raises(ArtifactStorageError, match=r"preserve_dropped_columns=True"):
        make_designer(preserve_dropped_columns=False).create(
            builder, num_records=20, dataset_name="d", resume=ResumeMode.ALWAYS
        )


# ---------------------------------------------------------------------------------------------------- completed dataset
@pytest.mark.parametrize("mode", [ResumeMode.ALWAYS, ResumeMode.IF_POSSIBLE])
def test_completed_dataset_with_the_same_target_is_returned_without_generating(make_designer, sim, mode):
    designer = make_designer()
    builder = build_config()
    original = designer.create(builder, num_records=20, dataset_name="d")
    dataset_dir = original.base_dataset_path
    hashes, meta = file_hashes(dataset_dir), _metadata(dataset_dir)
    sim.reset_stats()
    again = designer.create(builder, num_records=20, dataset_name="d", resume=mode)
    assert sim.stats()["requests"] == 0
    assert again.base_dataset_path == dataset_dir
    pd.testing.assert_frame_equal(again.load_dataset(), original.load_dataset())
    assert file_hashes(dataset_dir) == hashes and _metadata(dataset_dir) == meta


# ---------------------------------------------------------------------------------------------------- NEVER
def test_never_with_an_existing_directory_writes_a_timestamped_one(make_designer, artifacts):
    designer = make_designer()
    builder = build_config(with_llm=False)
    original = designer.create(builder, num_records=20, dataset_name="d")
    hashes = file_hashes(original.base_dataset_path)
    second = designer.create(builder, num_records=10, dataset_name="d", resume=ResumeMode.NEVER)
    assert second.base_dataset_path.parent == artifacts
    assert second.base_dataset_path.name.startswith("d_")
    assert len(second.load_dataset()) == 10
    assert file_hashes(original.base_dataset_path) == hashes


def test_never_picks_an_unused_directory_when_the_timestamped_one_exists(make_designer, artifacts):
    designer = make_designer()
    builder = build_config(with_llm=False)
    original = designer.create(builder, num_records=20, dataset_name="d")
    now = datetime.now()
    # Earlier NEVER runs in the same few seconds: occupy every timestamped name the next call could choose.
    occupied = [artifacts / timestamped_name("d", now + timedelta(seconds=s)) for s in range(-1, 30)]
    for directory in occupied:
        shutil.copytree(original.base_dataset_path, directory, dirs_exist_ok=True)
    hashes = file_hashes(occupied[0])
    fresh = designer.create(builder, num_records=10, dataset_name="d", resume=ResumeMode.NEVER)
    assert fresh.base_dataset_path not in occupied and fresh.base_dataset_path != original.base_dataset_path
    assert len(fresh.load_dataset()) == 10
    assert all(file_hashes(d) == hashes for d in occupied)
