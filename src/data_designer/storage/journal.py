"""The cell journal: completed cells of in-flight row groups, so a crash loses no paid LLM call.

One append-only JSONL file per in-flight row group (``journal/row_group_NNNNN.jsonl``), one line per completed cell:
``{"u": unit, "r": row, "v": {column: value}}``. Lines are buffered and written + fsynced together at most every
``flush_interval_s`` or every ``max_pending`` cells, so the cost is a few fsyncs per second rather than one per
cell; the write + fsync happen on one writer thread, so the event loop never waits on the disk (a write error is
raised on the loop thread at the next flush). A crash can lose only the last unflushed batch. Replay ignores a torn last line. The file is deleted once the
row group's parquet file is durable. Sampler and seed values are not journaled: they are re-derived
deterministically from the run seed and the row-group id.
"""

from __future__ import annotations

import concurrent.futures
import os
from pathlib import Path
from typing import Any

import orjson

from data_designer.storage.files import fsync_directory, storage_error

__all__ = ["CellJournal"]


class CellJournal:
    def __init__(
        self,
        directory: Path,
        clock: Any,
        *,
        flush_interval_s: float = 0.1,
        max_pending: int = 512,
        background: bool = False,
    ) -> None:
        """``background=True`` (what the engine uses) writes and fsyncs on a writer thread; otherwise inline."""
        self.background = background
        self.directory = Path(directory)
        self.clock = clock
        self.flush_interval_s = flush_interval_s
        self.max_pending = max_pending
        self._pending: dict[int, list[bytes]] = {}
        self._count = 0
        self._last_flush = clock.now()
        self._handles: dict[int, Any] = {}  # writer thread only
        self._writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dd-journal")
        self._error: BaseException | None = None  # set by the writer thread, raised on the loop thread
        self.flushes = 0
        self.directory.mkdir(parents=True, exist_ok=True)

    def path(self, row_group: int) -> Path:
        return self.directory / f"row_group_{row_group:05d}.jsonl"

    def replay(self, row_group: int) -> list[tuple[str, int, dict[str, Any]]]:
        path = self.path(row_group)
        if not path.exists():
            return []
        data = path.read_bytes()
        if data and not data.endswith(b"\n"):
            # A torn tail from a crash mid-write: cut it so that new lines appended by this run stay readable.
            data = data[: data.rfind(b"\n") + 1]
            with open(path, "r+b") as handle:
                handle.truncate(len(data))
        entries = []
        for line in data.splitlines():
            try:
                item = orjson.loads(line)
                entries.append((item["u"], int(item["r"]), item["v"]))
            except (orjson.JSONDecodeError, KeyError, TypeError, ValueError):
                continue  # an unreadable line loses only its own cell
        return entries

    def prune(self, completed_row_groups: set[int]) -> None:
        """Delete journals of row groups whose parquet file is already durable (a crash after the rename)."""
        for path in self.directory.glob("row_group_*.jsonl"):
            try:
                row_group = int(path.stem.rsplit("_", 1)[1])
            except ValueError:
                continue
            if row_group in completed_row_groups:
                path.unlink(missing_ok=True)

    def flush_if_due(self) -> None:
        self._raise_writer_error()
        if self._count and self.clock.now() - self._last_flush >= self.flush_interval_s:
            self.flush(wait=False)

    def record(self, row_group: int, unit: str, row: int, values: dict[str, Any]) -> None:
        line = orjson.dumps(
            {"u": unit, "r": row, "v": values}, default=str, option=orjson.OPT_SERIALIZE_NUMPY | orjson.OPT_NON_STR_KEYS
        )
        self._pending.setdefault(row_group, []).append(line)
        self._count += 1
        if self._count >= self.max_pending or self.clock.now() - self._last_flush >= self.flush_interval_s:
            self.flush(wait=False)

    def flush(self, *, wait: bool = True) -> None:
        """Hand the buffered lines to the writer thread (write + fsync there, off the event loop)."""
        self._raise_writer_error()
        if self._pending:
            batch, self._pending = self._pending, {}
            future = self._writer.submit(self._write_batch, batch)
            if wait or not self.background:
                future.result()
                self._raise_writer_error()
        self._count = 0
        self._last_flush = self.clock.now()
        self.flushes += 1

    def discard(self, row_group: int) -> None:
        self._pending.pop(row_group, None)
        future = self._writer.submit(self._discard_files, row_group)  # runs after this group's queued writes
        if not self.background:
            future.result()

    def close(self) -> None:
        try:
            self.flush(wait=True)
        finally:
            self._writer.submit(self._close_files)
            self._writer.shutdown(wait=True)
        self._raise_writer_error()

    # ------------------------------------------------------------------ writer thread only (owns the handles)
    def _raise_writer_error(self) -> None:
        error, self._error = self._error, None
        if error is not None:
            raise error

    def _write_batch(self, batch: dict[int, list[bytes]]) -> None:
        for row_group, lines in batch.items():
            path = self.path(row_group)
            try:
                handle = self._handles.get(row_group)
                if handle is None:
                    handle = open(path, "ab")  # noqa: SIM115 - kept open for the group's lifetime
                    self._handles[row_group] = handle
                handle.write(b"\n".join(lines) + b"\n")
                handle.flush()
                os.fsync(handle.fileno())
            except OSError as exc:
                self._error = storage_error("write the cell journal", path, exc)
                return

    def _discard_files(self, row_group: int) -> None:
        handle = self._handles.pop(row_group, None)
        if handle is not None:
            handle.close()
        self.path(row_group).unlink(missing_ok=True)

    def _close_files(self) -> None:
        for handle in self._handles.values():
            handle.close()
        self._handles.clear()
        fsync_directory(self.directory)
