"""``decide_resume`` and ``layout_row_groups``: the pure resume decision, tested with no files and no event loop."""

from __future__ import annotations

import math

import pytest
from hypothesis import given
from hypothesis import strategies as st

from data_designer.errors import ArtifactStorageError
from data_designer.storage.resume import decide_resume, layout_row_groups

FINGERPRINT = "abc123"


def _metadata(**overrides) -> dict:
    base = {
        "buffer_size": 10,
        "target_num_records": 30,
        "config_hash": FINGERPRINT,
        "seed": 77,
        "preserve_dropped_columns": True,
        "row_group_segments": [[0, 0, 30]],
    }
    return {**base, **overrides}


def _decide(mode: str = "always", **overrides):
    kwargs = {
        "mode": mode,
        "dir_has_content": True,
        "metadata": _metadata(),
        "completed": {},
        "stored_fingerprint": FINGERPRINT,
        "current_fingerprint": FINGERPRINT,
        "buffer_size": 10,
        "num_records": 30,
        "preserve_dropped_columns": True,
        "allows_resize": False,
    }
    kwargs.update(overrides)
    return decide_resume(**kwargs)


# ---------------------------------------------------------------------------------------------------- layout
def test_layout_cuts_each_segment_into_buffer_sized_groups_with_a_short_last_one():
    assert layout_row_groups([(0, 0, 25)], 10) == [(0, 0, 10), (1, 10, 10), (2, 20, 5)]


def test_layout_of_an_extended_run_continues_ids_and_offsets_after_the_first_segment():
    assert layout_row_groups([(0, 0, 25), (3, 25, 12)], 10) == [
        (0, 0, 10),
        (1, 10, 10),
        (2, 20, 5),
        (3, 25, 10),
        (4, 35, 2),
    ]


# ---------------------------------------------------------------------------------------------------- NEVER / empty dir
def test_never_on_an_empty_directory_starts_fresh_in_place():
    decision = _decide("never", dir_has_content=False, metadata=None)
    assert decision.action == "fresh" and decision.segments == [(0, 0, 30)]


def test_never_on_an_existing_dataset_starts_a_timestamped_run_without_reading_it():
    decision = _decide("never", metadata=None, stored_fingerprint=None, current_fingerprint="other")
    assert decision.action == "fresh_timestamped"


def test_always_on_an_empty_directory_refuses_and_points_to_never():
    with pytest.raises(ArtifactStorageError, match=r"does not exist or is empty.*ResumeMode\.NEVER"):
        _decide("always", dir_has_content=False, metadata=None)


def test_if_possible_on_an_empty_directory_starts_fresh_in_place():
    assert _decide("if_possible", dir_has_content=False, metadata=None).action == "fresh"


def test_content_without_metadata_and_without_batches_starts_fresh_in_place():
    assert _decide("always", metadata=None, stored_fingerprint=None).action == "fresh"


def test_always_without_metadata_but_with_batches_on_disk_refuses():
    with pytest.raises(ArtifactStorageError, match=r"metadata\.json"):
        _decide("always", metadata=None, stored_fingerprint=None, completed={0: 10})


# ---------------------------------------------------------------------------------------------------- refusals
REFUSALS = {
    "fingerprint": ({"current_fingerprint": "changed"}, r"config changed.*fingerprint"),
    "allow_resize": ({"allows_resize": True}, r"allow_resize=True"),
    "preserve_dropped": ({"preserve_dropped_columns": False}, r"preserve_dropped_columns"),
    "buffer_size": ({"buffer_size": 20}, r"buffer_size is 20 .* RunConfig\(buffer_size=10\)"),
    "shrink": ({"num_records": 20}, r"num_records=20 is below the original target of 30.*at least 30"),
    "post_started": ({"metadata": _metadata(post_generation_state="started")}, r"after-generation processing"),
    "post_complete_extend": (
        {"metadata": _metadata(post_generation_state="complete"), "num_records": 40},
        r"final.*new run",
    ),
}


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_always_refuses_with_a_reason(case):
    overrides, pattern = REFUSALS[case]
    with pytest.raises(ArtifactStorageError, match=rf"^cannot resume: .*{pattern}"):
        _decide("always", **overrides)


@pytest.mark.parametrize("case", sorted(REFUSALS))
def test_if_possible_turns_every_refusal_into_a_timestamped_fresh_run(case):
    overrides, pattern = REFUSALS[case]
    decision = _decide("if_possible", **overrides)
    assert decision.action == "fresh_timestamped"
    assert decision.reason


def test_a_stored_fingerprint_that_cannot_be_read_is_not_taken_as_compatible():
    with pytest.raises(ArtifactStorageError, match="fingerprint cannot be read"):
        _decide("always", stored_fingerprint=None, current_fingerprint="anything")
    assert _decide("if_possible", stored_fingerprint=None).action == "fresh_timestamped"


# ---------------------------------------------------------------------------------------------------- resume
def test_resume_keeps_the_stored_seed_and_skips_completed_groups_even_with_holes():
    decision = _decide(completed={0: 10, 2: 10})
    assert decision.action == "resume"
    assert decision.remaining == [(1, 10, 10)]
    assert decision.seed == 77
    assert decision.completed == {0: 10, 2: 10}
    assert decision.previous_metadata["config_hash"] == FINGERPRINT


def test_a_group_checkpointed_with_dropped_rows_counts_as_done():
    decision = _decide(completed={0: 7, 1: 10, 2: 3})
    assert decision.action == "complete" and decision.remaining == []


def test_a_finished_dataset_with_after_generation_done_and_the_same_target_is_complete():
    decision = _decide(metadata=_metadata(post_generation_state="complete"), completed={0: 10, 1: 10, 2: 10})
    assert decision.action == "complete"


def test_extension_appends_a_segment_after_the_last_group_including_a_partial_one():
    metadata = _metadata(target_num_records=25, row_group_segments=[[0, 0, 25]])
    decision = _decide(metadata=metadata, num_records=50, completed={0: 10, 1: 10, 2: 5})
    assert decision.segments == [(0, 0, 25), (3, 25, 25)]
    assert decision.remaining == [(3, 25, 10), (4, 35, 10), (5, 45, 5)]


def test_extension_of_an_extended_run_uses_the_stored_segments():
    metadata = _metadata(target_num_records=50, row_group_segments=[[0, 0, 25], [3, 25, 25]])
    decision = _decide(metadata=metadata, num_records=60, completed={i: 10 for i in range(6)})
    assert decision.segments[-1] == (6, 50, 10)
    assert decision.remaining == [(6, 50, 10)]


def test_metadata_without_segments_is_laid_out_from_its_target():
    decision = _decide(metadata=_metadata(row_group_segments=None), completed={0: 10})
    assert decision.remaining == [(1, 10, 10), (2, 20, 10)]


def test_batch_ids_outside_the_layout_mean_a_foreign_directory():
    with pytest.raises(ArtifactStorageError, match=r"\[7\].*does not belong"):
        _decide(completed={0: 10, 7: 10})


def test_an_unknown_mode_is_rejected():
    with pytest.raises(Exception, match=r"(?i)resume"):
        _decide("alway", current_fingerprint="changed")


# ---------------------------------------------------------------------------------------------------- properties
@given(
    buffer_size=st.integers(1, 12),
    target=st.integers(1, 80),
    extra=st.integers(0, 40),
    done_mask=st.lists(st.booleans(), min_size=0, max_size=20),
)
def test_resume_plan_covers_every_record_exactly_once(buffer_size, target, extra, done_mask):
    original = layout_row_groups([(0, 0, target)], buffer_size)
    completed = {g[0]: g[2] for g, done in zip(original, done_mask, strict=False) if done}
    metadata = _metadata(buffer_size=buffer_size, target_num_records=target, row_group_segments=[[0, 0, target]])
    decision = _decide(metadata=metadata, buffer_size=buffer_size, num_records=target + extra, completed=completed)
    groups = layout_row_groups(decision.segments, buffer_size)
    assert sorted(decision.remaining) == [g for g in groups if g[0] not in completed]
    covered = sorted((offset, size) for _, offset, size in groups)
    assert sum(size for _, size in covered) == target + extra
    assert all(a + n == b for (a, n), (b, _) in zip(covered, covered[1:], strict=False))
    assert all(0 < size <= buffer_size for _, _, size in groups)
    new_ids = [g[0] for g in groups if g[1] >= target]
    assert all(i > max(g[0] for g in original) for i in new_ids)
    assert len(groups) == math.ceil(target / buffer_size) + math.ceil(extra / buffer_size)
    assert decision.action == ("resume" if decision.remaining else "complete")
