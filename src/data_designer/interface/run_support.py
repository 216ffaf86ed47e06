"""Small pieces of a run's set-up and bookkeeping used by ``DataDesigner`` (kept apart to keep it readable)."""

from __future__ import annotations

import logging
import os
from pathlib import Path
from typing import Any

from data_designer.config.config_builder import DataDesignerConfigBuilder
from data_designer.config.data_designer_config import DataDesignerConfig
from data_designer.config.run_config import RunConfig
from data_designer.errors import DataDesignerError, InvalidConfigError

__all__ = [
    "ANALYSIS_MAX_ROWS",
    "RunMetadata",
    "profile_frame",
    "profile_stored_dataset",
    "as_config",
    "compile_templates",
    "log_usage",
    "merge_usage",
    "retry_policy",
    "is_model_setup_error",
]

logger = logging.getLogger("data_designer")

ANALYSIS_MAX_ROWS = 10_000  # the post-run profile reads at most this many rows (a uniform sample beyond it)


def as_config(config_builder: Any) -> DataDesignerConfig:
    if isinstance(config_builder, DataDesignerConfigBuilder):
        return config_builder.build()
    if isinstance(config_builder, DataDesignerConfig):
        return config_builder
    raise InvalidConfigError(
        f"expected a DataDesignerConfigBuilder (or DataDesignerConfig), got {type(config_builder).__name__}"
    )


def compile_templates(config: DataDesignerConfig, run_config: RunConfig) -> None:
    """Compile every template with the configured engine so sandbox violations surface at validation time."""
    from data_designer.generators.jinja_render import compile_template

    engine = getattr(run_config.jinja_rendering_engine, "value", run_config.jinja_rendering_engine)
    for column in config.columns:
        for field_name in ("prompt", "system_prompt", "expr"):
            text = getattr(column, field_name, None)
            if text:
                compile_template(text, engine=engine, where=f"column {column.name!r} {field_name}")


def retry_policy(policy_cls: Any, scheduling_policy: Any) -> Any:
    """Transport retry settings: backoff from ``DATA_DESIGNER_RETRY_BACKOFF_S`` (e.g. "2,4,8"); 429 retried in
    transport only under the legacy sync policy."""
    raw = os.environ.get("DATA_DESIGNER_RETRY_BACKOFF_S")
    backoff = tuple(float(x) for x in raw.split(",") if x.strip()) if raw else (2.0, 4.0, 8.0)
    sync = scheduling_policy is not None and scheduling_policy.name == "sync"
    return policy_cls(retry_backoff_s=backoff, retry_rate_limits=5 if sync else 0)


def is_model_setup_error(exc: DataDesignerError) -> bool:
    from data_designer.errors import ModelError, SecretResolutionError, UnknownProviderError

    return isinstance(exc, (ModelError, SecretResolutionError, UnknownProviderError))


def merge_usage(previous: dict[str, Any], current: dict[str, Any]) -> dict[str, Any]:
    merged = {alias: dict(stats) for alias, stats in previous.items()}
    for alias, stats in current.items():
        into = merged.setdefault(alias, {})
        for key, value in stats.items():
            if isinstance(value, (int, float)) and not isinstance(value, bool):
                into[key] = round(into.get(key, 0) + value, 6)
            else:
                into[key] = value
    return merged


def log_usage(usage: dict[str, Any]) -> None:
    for alias, stats in usage.items():
        logger.info("📈 model usage [%s]: %s", alias, ", ".join(f"{k}={v}" for k, v in stats.items()))


class RunMetadata:
    """``metadata.json`` of one create() call: written before the first batch, after every batch and at the end."""

    def __init__(self, storage: Any, metadata: dict[str, Any], config: DataDesignerConfig, registry: Any) -> None:
        self.storage = storage
        self.data = metadata
        self.registry = registry
        self.previous_usage = dict(metadata.get("model_usage") or {})
        self._transforms = [p.name for p in config.processors or [] if p.processor_type == "schema_transform"]

    def write(self) -> None:
        self.storage.write_metadata(self.data)

    def on_batch_written(self, batch_id: int, rows: int, path: Path) -> None:
        storage = self.storage
        files = [storage.relative(p) for p in storage.batch_files()]
        processor_files = {
            name: [storage.relative(f) for f in storage.processor_files(name)] for name in self._transforms
        }
        self.data.update(
            actual_num_records=self.data.get("actual_num_records", 0) + rows,
            num_completed_batches=len(files),
            file_paths={"parquet-files": files, "processor-files": processor_files},
        )
        if self.registry is not None:
            self.data["model_usage"] = merge_usage(self.previous_usage, self.registry.usage_summary())
        self.write()

    def on_empty_group(self, batch_id: int) -> None:
        """A row group whose rows were all dropped wrote no file; record it so resume treats it as done."""
        empty = self.data.setdefault("empty_row_groups", [])
        if batch_id not in empty:
            empty.append(batch_id)
        self.write()

    def finish(self, usage: dict[str, Any], elapsed_s: float) -> None:
        """Usage is paid for even when the run failed: keep it for the next (resumed) run."""
        self.data["model_usage"] = merge_usage(self.previous_usage, usage)
        self.data["last_run_elapsed_s"] = round(elapsed_s, 3)
        try:
            self.write()
        except DataDesignerError as exc:
            logger.warning("⚠️ could not update metadata.json: %s", exc)


def profile_frame(df: Any, plan: Any, target: int) -> Any:
    """Column statistics of ``df``; ``None`` (and a warning) if profiling fails: it must never lose a dataset."""
    from data_designer.errors import DataDesignerProfilingError

    if df is None or len(df) == 0:
        return None
    try:
        from data_designer.analysis import profile_dataset

        outputs = set(df.columns)
        columns = [c for c in [*plan.sampler_columns, *plan.config.columns] if c.name in outputs]
        side = [s for c in plan.config.columns for s in c.side_effect_columns]
        return profile_dataset(
            df,
            columns=columns,
            target_num_records=target,
            side_effect_column_names=side,
            seed_column_names=plan.seed_columns,
        )
    except Exception as exc:
        logger.warning("⚠️ profiling failed: %s", exc)
        if isinstance(exc, DataDesignerProfilingError):
            raise
        return None


def profile_stored_dataset(storage: Any, plan: Any, target: int) -> Any:
    """Profile the batch files on disk through a bounded uniform sample (memory does not grow with the dataset)."""
    from data_designer.interface.results import sample_frame

    df, total = sample_frame(storage.batch_files(), ANALYSIS_MAX_ROWS)
    if total > len(df):
        logger.info("🔎 profiling a uniform sample of %d of %d records", len(df), total)
    analysis = profile_frame(df, plan, target)
    if analysis is not None and total > len(df):
        analysis = analysis.model_copy(update={"num_records": total})
    return analysis
