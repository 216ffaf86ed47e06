"""Choosing the dataset directory of a ``create`` call and deciding whether (and where) it resumes."""

from __future__ import annotations

import logging
import shutil
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from data_designer.storage.artifacts import ArtifactStorage, unused_timestamped_dir
from data_designer.storage.resume import ResumeDecision, decide_resume

__all__ = ["DatasetSetup", "prepare_dataset_dir"]

logger = logging.getLogger("data_designer")


@dataclass
class DatasetSetup:
    storage: ArtifactStorage
    decision: ResumeDecision

    @property
    def seed(self) -> int | None:
        return self.decision.seed

    def base_metadata(self, storage: ArtifactStorage, *, seed: int, config_fingerprint: dict, num_records: int) -> dict:
        previous = self.decision.previous_metadata or {}
        buffer_size = self._buffer_size
        segments = [list(s) for s in self.decision.segments]
        total_batches = sum(-(-s[2] // buffer_size) for s in segments)
        files = [storage.relative(p) for p in storage.batch_files()]
        return {
            **{k: v for k, v in previous.items() if k not in ("column_statistics",)},
            "dataset_name": storage.dataset_name,
            "target_num_records": num_records,
            "original_target_num_records": previous.get("original_target_num_records", num_records),
            "actual_num_records": sum(self.decision.completed.values()),
            "total_num_batches": total_batches,
            "num_completed_batches": len(files),
            "buffer_size": buffer_size,
            "file_paths": {
                "parquet-files": files,
                "processor-files": previous.get("file_paths", {}).get("processor-files", {}),
            },
            **config_fingerprint,
            "preserve_dropped_columns": self._preserve_dropped,
            "seed": seed,
            "row_group_segments": segments,
            "post_generation_processed": previous.get("post_generation_processed", False),
        }

    _buffer_size: int = 0
    _preserve_dropped: bool = True


def _stored_fingerprint(storage: ArtifactStorage, metadata: dict | None) -> str | None:
    if metadata and metadata.get("config_hash"):
        return metadata["config_hash"]
    builder = storage.read_builder_config()
    if builder and "data_designer" in builder:
        from data_designer.config.data_designer_config import DataDesignerConfig

        try:
            return DataDesignerConfig.model_validate(builder["data_designer"]).fingerprint()["config_hash"]
        except Exception:  # an unreadable old config simply cannot prove compatibility
            return None
    return None


def prepare_dataset_dir(
    artifact_path: Path,
    dataset_name: str,
    *,
    mode: str,
    fingerprint: dict[str, Any],
    run_config: Any,
    num_records: int,
    allows_resize: bool,
) -> DatasetSetup:
    storage = ArtifactStorage(Path(artifact_path) / dataset_name)
    has_content = not storage.is_empty()
    metadata = storage.read_metadata() if has_content and mode != "never" else None
    completed = storage.completed_batches() if has_content and mode != "never" else {}
    if metadata:
        completed.update({int(i): 0 for i in metadata.get("empty_row_groups") or [] if int(i) not in completed})
    decision = decide_resume(
        mode=mode,
        dir_has_content=has_content,
        dataset_dir=str(storage.dataset_dir),
        metadata=metadata,
        completed=completed,
        stored_fingerprint=_stored_fingerprint(storage, metadata) if has_content and mode != "never" else None,
        current_fingerprint=fingerprint["config_hash"],
        buffer_size=run_config.buffer_size,
        num_records=num_records,
        preserve_dropped_columns=run_config.preserve_dropped_columns,
        allows_resize=allows_resize,
    )
    if decision.action == "fresh_timestamped":
        if decision.reason:
            logger.warning("🆕 not resuming (%s); starting a fresh run in a new directory", decision.reason)
        storage = ArtifactStorage(unused_timestamped_dir(Path(artifact_path), dataset_name))
        decision.segments = [(0, 0, num_records)]
    elif decision.action == "fresh" and has_content:
        for sub in (
            storage.parquet_dir,
            storage.tmp_dir,
            storage.journal_dir,
            storage.dropped_dir,
            storage.processors_dir,
        ):
            shutil.rmtree(sub, ignore_errors=True)
    elif decision.action == "resume":
        logger.info(
            "♻️ resuming %s: %d row group(s) done, %d to go",
            storage.dataset_dir,
            len(decision.completed),
            len(decision.remaining),
        )
    storage.prepare()
    storage.clear_staging()
    setup = DatasetSetup(storage, decision)
    setup._buffer_size = run_config.buffer_size
    setup._preserve_dropped = run_config.preserve_dropped_columns
    return setup
