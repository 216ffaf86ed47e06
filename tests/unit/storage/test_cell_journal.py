"""``CellJournal``: batched durable appends, replay after a crash, deletion once a row group is checkpointed.

Time is a ``FakeClock``; "a crash" is simply dropping the journal object without ``close()`` and opening a new one
on the same directory, which is what a resumed process does.
"""

from __future__ import annotations

import numpy as np
import pytest

from data_designer.storage.journal import CellJournal
from data_designer.testing import FakeClock


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


def _journal(tmp_path, clock, **kwargs) -> CellJournal:
    return CellJournal(tmp_path / "journal", clock, **kwargs)


def test_cells_stay_in_memory_until_the_flush_interval_elapses(tmp_path, clock):
    journal = _journal(tmp_path, clock, flush_interval_s=0.1, max_pending=512)
    journal.record(3, "q", 0, {"q": "first"})
    journal.record(3, "q", 1, {"q": "second"})
    assert _journal(tmp_path, clock).replay(3) == []  # what a crash right now would find
    clock.advance(0.1)
    journal.record(3, "a", 0, {"a": "third"})
    assert _journal(tmp_path, clock).replay(3) == [
        ("q", 0, {"q": "first"}),
        ("q", 1, {"q": "second"}),
        ("a", 0, {"a": "third"}),
    ]
    assert journal.flushes == 1


def test_max_pending_cells_force_a_flush_without_time_passing(tmp_path, clock):
    journal = _journal(tmp_path, clock, flush_interval_s=3600, max_pending=4)
    for row in range(4):
        journal.record(0, "q", row, {"q": row})
    assert [entry[1] for entry in _journal(tmp_path, clock).replay(0)] == [0, 1, 2, 3]
    journal.record(0, "q", 4, {"q": 4})
    assert len(_journal(tmp_path, clock).replay(0)) == 4


def test_one_flush_writes_every_row_group_to_its_own_file(tmp_path, clock):
    journal = _journal(tmp_path, clock, max_pending=3)
    journal.record(0, "q", 0, {"q": "g0"})
    journal.record(1, "q", 0, {"q": "g1"})
    journal.record(0, "a", 0, {"a": "g0"})
    assert sorted(p.name for p in (tmp_path / "journal").iterdir()) == [
        "row_group_00000.jsonl",
        "row_group_00001.jsonl",
    ]
    fresh = _journal(tmp_path, clock)
    assert fresh.replay(0) == [("q", 0, {"q": "g0"}), ("a", 0, {"a": "g0"})]
    assert fresh.replay(1) == [("q", 0, {"q": "g1"})]


def test_close_flushes_what_is_pending(tmp_path, clock):
    journal = _journal(tmp_path, clock, flush_interval_s=3600)
    journal.record(5, "q", 2, {"q": "kept", "q__reasoning_content": None})
    journal.close()
    assert _journal(tmp_path, clock).replay(5) == [("q", 2, {"q": "kept", "q__reasoning_content": None})]


def test_discard_deletes_the_file_and_forgets_pending_cells_of_that_group_only(tmp_path, clock):
    journal = _journal(tmp_path, clock, max_pending=2)
    journal.record(0, "q", 0, {"q": "durable"})
    journal.record(1, "q", 0, {"q": "other"})
    journal.record(0, "q", 1, {"q": "pending"})
    journal.discard(0)
    journal.close()
    assert not journal.path(0).exists()
    assert _journal(tmp_path, clock).replay(0) == []
    assert _journal(tmp_path, clock).replay(1) == [("q", 0, {"q": "other"})]


def test_replay_of_a_row_group_without_a_journal_is_empty(tmp_path, clock):
    assert _journal(tmp_path, clock).replay(42) == []


def test_numpy_values_are_journaled_as_plain_json(tmp_path, clock):
    journal = _journal(tmp_path, clock, max_pending=1)
    journal.record(0, "n", 0, {"n": np.int64(7), "v": np.array([1.5, 2.5])})
    assert _journal(tmp_path, clock).replay(0) == [("n", 0, {"n": 7, "v": [1.5, 2.5]})]


def test_replay_ignores_a_torn_last_line(tmp_path, clock):
    journal = _journal(tmp_path, clock, max_pending=1)
    journal.record(0, "q", 0, {"q": "whole"})
    with open(journal.path(0), "ab") as handle:
        handle.write(b'{"u": "q", "r": 1, "v": {"q": "tor')  # SIGKILL / power loss in the middle of a write
    assert _journal(tmp_path, clock).replay(0) == [("q", 0, {"q": "whole"})]


def test_cells_journaled_after_a_torn_tail_survive_the_next_crash(tmp_path, clock):
    first = _journal(tmp_path, clock, max_pending=1)
    first.record(0, "q", 0, {"q": "before the crash"})
    with open(first.path(0), "ab") as handle:
        handle.write(b'{"u": "q", "r": 1, "v"')
    resumed = _journal(tmp_path, clock, max_pending=1)
    assert resumed.replay(0) == [("q", 0, {"q": "before the crash"})]
    resumed.record(0, "q", 1, {"q": "after the resume"})
    resumed.record(0, "a", 0, {"a": "also after"})
    assert _journal(tmp_path, clock).replay(0) == [
        ("q", 0, {"q": "before the crash"}),
        ("q", 1, {"q": "after the resume"}),
        ("a", 0, {"a": "also after"}),
    ]


def test_a_resumed_journal_appends_after_the_replayed_cells(tmp_path, clock):
    first = _journal(tmp_path, clock, max_pending=1)
    first.record(2, "q", 0, {"q": "old"})
    resumed = _journal(tmp_path, clock, max_pending=1)
    resumed.record(2, "q", 1, {"q": "new"})
    assert [row for _, row, _ in _journal(tmp_path, clock).replay(2)] == [0, 1]
