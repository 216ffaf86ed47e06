"""Turning a finished row group into durable output (create) or in-memory tables (preview).

Order of a checkpoint, chosen so that a crash at any point is recoverable: processor side outputs and dropped
columns first, then the main ``batch_NNNNN.parquet`` (the commit point: resume trusts it), then ``metadata.json``,
then the cell journal of the group is deleted, then the user's ``on_batch_complete`` callback runs.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import fnmatch
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pyarrow as pa

from data_designer.generators.jinja_render import compile_json_template
from data_designer.storage.parquet import columns_to_table

__all__ = ["Checkpointer", "resolve_dropped_columns"]


def resolve_dropped_columns(plan: Any) -> list[str]:
    dropped = set(plan.dropped_columns)
    names = plan.column_names
    for processor in plan.config.processors or []:
        if processor.processor_type == "drop_columns":
            for pattern in processor.column_names:
                dropped.update(n for n in names if fnmatch.fnmatchcase(n, pattern))
    return [n for n in names if n in dropped]


class Checkpointer:
    """Writes row groups. ``storage`` None means preview: tables are kept in memory."""

    def __init__(
        self,
        plan: Any,
        *,
        storage: Any = None,
        run_config: Any,
        on_batch_written: Callable[[int, int, Path], None] | None = None,
        on_batch_complete: Callable[[Path], None] | None = None,
        on_empty_group: Callable[[int], None] | None = None,
        journal: Any = None,
    ) -> None:
        self.storage = storage
        self.run_config = run_config
        self.dropped = resolve_dropped_columns(plan)
        dropped = set(self.dropped)
        self.output_columns = [c for c in plan.column_names if c not in dropped]
        self.on_batch_written = on_batch_written
        self.on_batch_complete = on_batch_complete
        self.on_empty_group = on_empty_group
        self.journal = journal
        engine = getattr(run_config.jinja_rendering_engine, "value", run_config.jinja_rendering_engine)
        self.transforms = [
            (p.name, compile_json_template(p.template, engine=engine, where=f"schema_transform processor {p.name!r}"))
            for p in plan.config.processors or []
            if p.processor_type == "schema_transform"
        ]
        self.all_columns = plan.column_names
        self.tables: list[pa.Table] = []
        self.dropped_tables: list[pa.Table] = []
        self.processor_rows: dict[str, list[Any]] = {name: [] for name, _ in self.transforms}
        # One writer thread: batch files are written one at a time, and the allocator keeps one extra arena instead
        # of one per default-executor thread (which showed up as RSS creeping with the number of batches).
        self._writer = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="dd-checkpoint")

    def close(self) -> None:
        self._writer.shutdown(wait=True)

    def _transform(self, columns: dict[str, list[Any]], keep: list[int]) -> dict[str, list[Any]]:
        outputs: dict[str, list[Any]] = {}
        for name, template in self.transforms:
            rows = []
            for r in keep:
                rows.append(template({c: columns[c][r] for c in self.all_columns}))
            outputs[name] = rows
        return outputs

    async def checkpoint(self, batch_id: int, columns: dict[str, list[Any]], keep: list[int]) -> Path | None:
        if not keep:  # every row was dropped: remember the group as done so a resume does not pay for it again
            if self.storage is not None and self.on_empty_group is not None:
                self.on_empty_group(batch_id)
            if self.journal is not None:
                self.journal.discard(batch_id)
            return None
        table = columns_to_table(columns, self.output_columns, keep)
        dropped_table = columns_to_table(columns, self.dropped, keep) if self.dropped else None
        transformed = self._transform(columns, keep) if self.transforms else {}
        if self.storage is None:
            self.tables.append(table)
            if dropped_table is not None:
                self.dropped_tables.append(dropped_table)
            for name, rows in transformed.items():
                self.processor_rows[name].extend(rows)
            return None
        loop = asyncio.get_running_loop()
        path = await loop.run_in_executor(self._writer, self._write, batch_id, table, dropped_table, transformed)
        if self.on_batch_written is not None:
            self.on_batch_written(batch_id, table.num_rows, path)
        if self.journal is not None:
            self.journal.discard(batch_id)
        if self.on_batch_complete is not None:
            await asyncio.to_thread(self.on_batch_complete, path)
        return path

    def _write(self, batch_id: int, table: pa.Table, dropped: pa.Table | None, transformed: dict[str, list]) -> Path:
        storage = self.storage
        for name, rows in transformed.items():
            storage.write_processor_batch(name, batch_id, pa.Table.from_pylist(_as_records(rows)))
        if dropped is not None and self.run_config.preserve_dropped_columns:
            storage.write_dropped_batch(batch_id, dropped)
        return storage.write_batch(batch_id, table)


def _as_records(rows: list[Any]) -> list[dict[str, Any]]:
    return [row if isinstance(row, dict) else {"value": row} for row in rows]
