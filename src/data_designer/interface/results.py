"""Results of ``DataDesigner.create`` (on disk) and ``DataDesigner.preview`` (in memory)."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from data_designer.errors import ArtifactStorageError, InvalidFileFormatError

__all__ = ["DatasetCreationResults", "DatasetMetadata", "PreviewResults"]


@dataclass
class DatasetMetadata:
    seed_column_names: list[str] = field(default_factory=list)


def _frame_from_files(paths: list[Path]) -> Any:
    import pandas as pd
    import pyarrow as pa
    import pyarrow.parquet as pq

    if not paths:
        return pd.DataFrame()
    tables = [pq.read_table(p) for p in paths]
    try:
        table = pa.concat_tables(tables, promote_options="permissive")
        return table.to_pandas()
    except (pa.ArrowInvalid, pa.ArrowTypeError):
        return pd.concat([t.to_pandas() for t in tables], ignore_index=True)


def sample_frame(paths: list[Path], max_rows: int, seed: int = 0) -> tuple[Any, int]:
    """A uniform sample of at most ``max_rows`` rows over the batch files, and the total row count.

    Profiling a large dataset must not load it whole: memory stays bounded by ``max_rows`` whatever the dataset size.
    """
    import numpy as np
    import pyarrow as pa
    import pyarrow.parquet as pq

    counts = [pq.ParquetFile(p).metadata.num_rows for p in paths]
    total = sum(counts)
    if total <= max_rows:
        return _frame_from_files(paths), total
    rng = np.random.default_rng(seed)
    fraction = max_rows / total
    tables = []
    for path, count in zip(paths, counts, strict=True):
        take = min(count, int(round(count * fraction)))
        if take:
            indices = np.sort(rng.choice(count, size=take, replace=False))
            tables.append(pq.read_table(path).take(pa.array(indices)))
    return pa.concat_tables(tables, promote_options="permissive").to_pandas(), total


class _DisplayMixin:
    _cursor: int = 0

    def _records_frame(self) -> Any:
        raise NotImplementedError

    def display_sample_record(self, index: int | None = None, **kwargs: Any) -> None:
        from data_designer.analysis import display_sample_record
        from data_designer.errors import DatasetSampleDisplayError

        df = self._records_frame()
        if len(df) == 0:
            raise DatasetSampleDisplayError("the dataset has no records to display")
        if index is None:
            index = self._cursor % len(df)
            self._cursor += 1
        if not 0 <= index < len(df):
            raise DatasetSampleDisplayError(f"index {index} is out of range for {len(df)} records")
        display_sample_record(
            df.iloc[index].to_dict(),
            columns=self._column_configs,
            index=index,
            seed_column_names=self.dataset_metadata.seed_column_names,
            **kwargs,
        )


class PreviewResults(_DisplayMixin):
    def __init__(
        self,
        *,
        dataset: Any,
        analysis: Any,
        processor_artifacts: dict[str, list[dict]],
        dataset_metadata: DatasetMetadata,
        task_traces: list[Any],
        column_configs: list[Any],
        model_usage: dict[str, Any] | None = None,
        config_builder: Any = None,
    ) -> None:
        self.dataset = dataset
        self.analysis = analysis
        self.processor_artifacts = processor_artifacts
        self.dataset_metadata = dataset_metadata
        self.task_traces = task_traces
        self.model_usage = model_usage or {}
        self._column_configs = column_configs
        self._config_builder = config_builder

    def _records_frame(self) -> Any:
        return self.dataset

    def to_config_builder(self, columns: list[str] | None = None) -> Any:
        from data_designer.config.config_builder import DataDesignerConfigBuilder
        from data_designer.config.seed_source import DataFrameSeedSource

        df = self.dataset if columns is None else self.dataset[columns]
        models = self._config_builder.model_configs if self._config_builder is not None else []
        return DataDesignerConfigBuilder(model_configs=models).with_seed_dataset(DataFrameSeedSource(df=df))


class DatasetCreationResults(_DisplayMixin):
    def __init__(
        self,
        *,
        artifact_storage: Any,
        analysis: Any,
        dataset_metadata: DatasetMetadata,
        task_traces: list[Any],
        column_configs: list[Any],
        model_usage: dict[str, Any] | None = None,
        target_num_records: int = 0,
    ) -> None:
        self.artifact_storage = artifact_storage
        self._analysis = analysis
        self.dataset_metadata = dataset_metadata
        self.task_traces = task_traces
        self.model_usage = model_usage or {}
        self.target_num_records = target_num_records
        self._column_configs = column_configs

    @property
    def base_dataset_path(self) -> Path:
        return self.artifact_storage.dataset_dir

    def _records_frame(self) -> Any:
        return self.load_dataset()

    def load_dataset(self) -> Any:
        return _frame_from_files(self.artifact_storage.batch_files())

    def count_records(self) -> int:
        return sum(self.artifact_storage.completed_batches().values())

    def load_analysis(self) -> Any:
        return self._analysis

    def get_path_to_processor_artifacts(self, processor_name: str) -> Path:
        path = self.artifact_storage.processors_dir / processor_name
        if not path.is_dir():
            raise ArtifactStorageError(f"no artifacts for processor {processor_name!r} under {path}")
        return path

    def load_processor_dataset(self, processor_name: str) -> Any:
        self.get_path_to_processor_artifacts(processor_name)
        return _frame_from_files(self.artifact_storage.processor_files(processor_name))

    def export(self, path: str | Path, *, format: str | None = None) -> Path:
        import pyarrow as pa
        import pyarrow.parquet as pq

        path = Path(path)
        fmt = (format or path.suffix.lstrip(".")).lower()
        if fmt not in ("jsonl", "csv", "parquet"):
            raise InvalidFileFormatError(f"cannot export to {path}: format must be jsonl, csv or parquet")
        files = self.artifact_storage.batch_files()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        if fmt == "parquet":
            tables = [pq.read_table(p) for p in files]
            table = pa.concat_tables(tables, promote_options="permissive") if tables else pa.table({})
            pq.write_table(table, tmp)
        else:
            with open(tmp, "w", encoding="utf-8", newline="") as handle:
                for i, file in enumerate(files):  # stream one batch at a time
                    frame = pq.read_table(file).to_pandas()
                    if fmt == "jsonl":
                        for record in frame.to_dict(orient="records"):
                            handle.write(json.dumps(record, default=_json_default, ensure_ascii=False) + "\n")
                    else:
                        frame.to_csv(handle, index=False, header=i == 0)
        tmp.replace(path)
        return path


def _json_default(value: Any) -> Any:
    if hasattr(value, "tolist"):
        return value.tolist()
    if hasattr(value, "isoformat"):
        return value.isoformat()
    return str(value)
