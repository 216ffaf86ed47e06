"""The engine's journal mode: write + fsync on a writer thread; errors surface on the caller's thread."""

from __future__ import annotations

import errno
import os
import types

import pytest

import data_designer.storage.journal as journal_module
from data_designer.errors import ArtifactStorageError
from data_designer.storage.journal import CellJournal
from data_designer.throttle.clock import FakeClock


def test_background_writes_are_durable_after_close(tmp_path):
    clock = FakeClock()
    journal = CellJournal(tmp_path, clock, flush_interval_s=0.1, background=True)
    for row in range(5):
        journal.record(0, "col", row, {"col": f"v{row}"})
        clock.advance(0.2)  # every record is past the interval: each one hands a batch to the writer thread
    journal.close()
    assert [entry[1] for entry in CellJournal(tmp_path, clock).replay(0)] == [0, 1, 2, 3, 4]


def test_a_background_write_failure_is_raised_at_the_next_flush(tmp_path, monkeypatch):
    def fsync(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(journal_module, "os", types.SimpleNamespace(fsync=fsync))
    clock = FakeClock()
    journal = CellJournal(tmp_path, clock, background=True)
    journal.record(0, "col", 0, {"col": 1})
    journal.flush(wait=False)
    journal._writer.submit(lambda: None).result()  # let the writer thread finish the failing batch
    with pytest.raises(ArtifactStorageError, match="disk is full"):
        journal.flush_if_due()
    journal.close()
