"""The resume decision: a pure function of what is on disk and what the caller asks for.

Progress comes from the parquet files (``completed``: row-group id -> persisted rows), never from metadata;
metadata only supplies the run's shape (``buffer_size``, targets, row-group layout) and the config fingerprint.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from typing import Any, Literal

from data_designer.errors import ArtifactStorageError

__all__ = ["ResumeDecision", "Segment", "decide_resume", "layout_row_groups"]

Segment = tuple[int, int, int]  # (first row-group id, first record offset, number of records)


def layout_row_groups(segments: list[Segment], buffer_size: int) -> list[tuple[int, int, int]]:
    """Every (id, offset, size) of a run made of segments; each segment is cut into groups of ``buffer_size``."""
    groups = []
    for first_id, first_offset, num_records in segments:
        for i in range(math.ceil(num_records / buffer_size)):
            size = min(buffer_size, num_records - i * buffer_size)
            groups.append((first_id + i, first_offset + i * buffer_size, size))
    return groups


@dataclass
class ResumeDecision:
    action: Literal["fresh", "fresh_timestamped", "resume", "complete"]
    reason: str = ""
    segments: list[Segment] = field(default_factory=list)
    remaining: list[tuple[int, int, int]] = field(default_factory=list)
    completed: dict[int, int] = field(default_factory=dict)
    seed: int | None = None
    previous_metadata: dict[str, Any] | None = None


def _refuse_or_fresh(mode: str, reason: str) -> ResumeDecision:
    if mode == "always":
        raise ArtifactStorageError(f"cannot resume: {reason}")
    return ResumeDecision("fresh_timestamped", reason=reason)


def decide_resume(
    *,
    mode: str,
    dir_has_content: bool,
    dataset_dir: str = "",
    metadata: dict[str, Any] | None,
    completed: dict[int, int],
    stored_fingerprint: str | None,
    current_fingerprint: str,
    buffer_size: int,
    num_records: int,
    preserve_dropped_columns: bool,
    allows_resize: bool,
) -> ResumeDecision:
    fresh_segments = [(0, 0, num_records)]
    if mode not in ("never", "always", "if_possible"):
        raise ArtifactStorageError(f"unknown resume mode {mode!r}; use one of never, always, if_possible")
    if mode == "never":
        action = "fresh_timestamped" if dir_has_content else "fresh"
        return ResumeDecision(action, segments=fresh_segments)
    if not dir_has_content:
        if mode == "always":
            raise ArtifactStorageError(
                f"cannot resume: the dataset directory {dataset_dir or '(unknown)'} does not exist or is empty; check "
                "artifact_path and dataset_name, or run with resume=ResumeMode.NEVER (or IF_POSSIBLE) to start a new "
                "dataset"
            )
        return ResumeDecision("fresh", segments=fresh_segments)
    if allows_resize:
        return _refuse_or_fresh(
            mode, "the config has allow_resize=True columns, whose row boundaries can change, so it is not resumable"
        )
    if metadata is None:
        if completed:
            return _refuse_or_fresh(
                mode,
                f"metadata.json is missing from {dataset_dir or 'the dataset directory'} although "
                f"{len(completed)} batch file(s) exist, so the run's shape (buffer_size, target) is unknown; restore "
                "metadata.json, or start a new run (the existing batches are left untouched)",
            )
        # Metadata is written before the first batch, so without it nothing durable exists: start over in place.
        return ResumeDecision("fresh", reason="no metadata.json: nothing was checkpointed", segments=fresh_segments)
    if stored_fingerprint is None:
        return _refuse_or_fresh(
            mode,
            "the stored config fingerprint cannot be read (metadata.json and builder_config.json give none), so "
            "compatibility cannot be proven; start a new run",
        )
    if stored_fingerprint != current_fingerprint:
        return _refuse_or_fresh(
            mode,
            "the config changed since the dataset was created (config fingerprint differs); restore the "
            "original config or start a new run",
        )
    stored_preserve = bool(metadata.get("preserve_dropped_columns", True))
    if stored_preserve != bool(preserve_dropped_columns):
        return _refuse_or_fresh(
            mode,
            f"preserve_dropped_columns is {bool(preserve_dropped_columns)} but the dataset was created with "
            f"preserve_dropped_columns={stored_preserve}; set RunConfig(preserve_dropped_columns={stored_preserve}) "
            "to resume",
        )
    stored_buffer = metadata.get("buffer_size")
    if stored_buffer != buffer_size:
        return _refuse_or_fresh(
            mode,
            f"buffer_size is {buffer_size} but the dataset was created with buffer_size={stored_buffer}; "
            f"set RunConfig(buffer_size={stored_buffer}) to resume",
        )
    target = int(metadata.get("target_num_records", 0))
    actual = sum(completed.values())
    if num_records < target or num_records < actual:
        return _refuse_or_fresh(
            mode,
            f"num_records={num_records} is below the original target of {target} records; request at least "
            f"{max(target, actual)} (a run can be extended, not shrunk)",
        )
    post_state = metadata.get("post_generation_state")
    if post_state == "started":
        return _refuse_or_fresh(
            mode, "after-generation processing was interrupted and may have rewritten batch files; start a new run"
        )
    segments = [tuple(s) for s in metadata.get("row_group_segments") or [(0, 0, target)]]
    if post_state == "complete" and num_records > target:
        return _refuse_or_fresh(mode, "the dataset is final (after-generation processors ran); extend with a new run")
    if num_records > target:
        last_id = max((s[0] + math.ceil(s[2] / buffer_size) for s in segments), default=0)
        segments.append((last_id, target, num_records - target))
    groups = layout_row_groups(segments, buffer_size)
    known_ids = {g[0] for g in groups}
    unknown = sorted(set(completed) - known_ids)
    if unknown:
        raise ArtifactStorageError(
            f"parquet-files holds batch ids {unknown} that this run's layout does not know; the directory does not "
            "belong to this dataset"
        )
    remaining = [g for g in groups if g[0] not in completed]
    action = "resume" if remaining else "complete"
    return ResumeDecision(
        action,
        segments=[tuple(s) for s in segments],
        remaining=remaining,
        completed=dict(completed),
        seed=metadata.get("seed"),
        previous_metadata=metadata,
    )
