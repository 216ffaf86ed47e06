"""Workflow chaining (experimental): linear stages, each a normal ``create()`` seeded with the previous output.

Stage ``i`` runs under ``<artifact_path>/<workflow>/stage-<i>-<name>/``; the next stage reads the selected output
(the main parquet files, or a processor's output with ``output="processor:<name>"``) as a ``LocalFileSeedSource``.
``workflow-metadata.json`` records each stage's status, output path and config fingerprint; with ``resume`` other
than NEVER a completed stage whose fingerprint is unchanged is skipped and its output reused.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from enum import Enum
from pathlib import Path
from typing import Any

from data_designer.config.run_config import ResumeMode
from data_designer.errors import DataDesignerWorkflowError
from data_designer.storage.files import atomic_write_json, read_json

__all__ = ["CompositeWorkflow", "CompositeWorkflowResults", "SkippedStageResult", "SkippedStageStatus"]


class SkippedStageStatus(str, Enum):
    COMPLETED_EARLIER = "completed_earlier"
    NOT_TARGETED = "not_targeted"
    OVERRIDDEN = "overridden"


@dataclass(frozen=True)
class SkippedStageResult:
    stage_name: str
    status: SkippedStageStatus
    output_path: Path | None = None


@dataclass
class _Stage:
    name: str
    config_builder: Any
    num_records: int | None
    on_success: Callable[[Path], Path | str] | None
    on_success_version: str | None
    output: str
    allow_empty: bool
    sampling_strategy: Any
    selection_strategy: Any


def _count_parquet_rows(path: Path) -> int:
    import pyarrow.parquet as pq

    files = [path] if path.is_file() else sorted(path.rglob("*.parquet"))
    return sum(pq.ParquetFile(f).metadata.num_rows for f in files)


class CompositeWorkflowResults(Mapping):
    def __init__(self, results: dict[str, Any], outputs: dict[str, Path]) -> None:
        self._results = results
        self._outputs = outputs

    def __getitem__(self, name: str) -> Any:
        return self._results[name]

    def __iter__(self) -> Iterator[str]:
        return iter(self._results)

    def __len__(self) -> int:
        return len(self._results)

    @property
    def final_result(self) -> Any:
        return list(self._results.values())[-1]

    def get_stage_output_path(self, name: str) -> Path:
        if name not in self._outputs:
            raise DataDesignerWorkflowError(f"stage {name!r} has no output; stages: {list(self._results)}")
        return self._outputs[name]

    def load_stage_output(self, name: str) -> Any:
        from data_designer.interface.results import _frame_from_files

        path = self.get_stage_output_path(name)
        return _frame_from_files([path] if path.is_file() else sorted(path.rglob("*.parquet")))

    def count_stage_output_records(self, name: str) -> int:
        return _count_parquet_rows(self.get_stage_output_path(name))

    def load_dataset(self) -> Any:
        return self.load_stage_output(list(self._results)[-1])

    def count_records(self) -> int:
        return self.count_stage_output_records(list(self._results)[-1])

    def load_analysis(self) -> Any:
        final = self.final_result
        return final.load_analysis() if hasattr(final, "load_analysis") else None

    def export_stage(self, name: str, path: str | Path, *, format: str | None = None) -> Path:
        result = self._results[name]
        if not hasattr(result, "export"):
            raise DataDesignerWorkflowError(f"stage {name!r} was skipped in this run; export it from its directory")
        return result.export(path, format=format)

    def export(self, path: str | Path, *, format: str | None = None) -> Path:
        return self.export_stage(list(self._results)[-1], path, format=format)

    def push_to_hub(self, *args: Any, **kwargs: Any) -> str:
        raise DataDesignerWorkflowError(
            "push_to_hub is not supported by this implementation (it makes no network calls besides model endpoints); "
            "export the dataset and upload it with the Hugging Face CLI"
        )


@dataclass
class CompositeWorkflow:
    designer: Any
    name: str
    stages: list[_Stage] = field(default_factory=list)

    def add_stage(
        self,
        name: str,
        config_builder: Any,
        *,
        num_records: int | None = None,
        on_success: Callable[[Path], Path | str] | None = None,
        on_success_version: str | None = None,
        output_processors: list[Any] | None = None,
        output: str = "final",
        allow_empty: bool = False,
        sampling_strategy: Any = "ordered",
        selection_strategy: Any = None,
    ) -> CompositeWorkflow:
        if any(s.name == name for s in self.stages):
            raise DataDesignerWorkflowError(f"workflow {self.name!r} already has a stage named {name!r}")
        if output != "final" and not output.startswith("processor:"):
            raise DataDesignerWorkflowError(f"stage {name!r}: output must be 'final' or 'processor:<name>'")
        if not self.stages and num_records is None:
            num_records = 10
        if output_processors:
            from data_designer.config.config_builder import DataDesignerConfigBuilder

            config_builder = DataDesignerConfigBuilder.from_config(config_builder.build())  # leave the caller's alone
            for processor in output_processors:
                config_builder.add_processor(processor)
        self.stages.append(
            _Stage(
                name,
                config_builder,
                num_records,
                on_success,
                on_success_version,
                output,
                allow_empty,
                sampling_strategy,
                selection_strategy,
            )
        )
        return self

    @property
    def base_path(self) -> Path:
        return Path(self.designer.artifact_path) / self.name

    def run(
        self,
        *,
        resume: ResumeMode | str = ResumeMode.NEVER,
        targets: list[str] | None = None,
        rerun_from: str | None = None,
        stage_output_overrides: dict[str, str | Path] | None = None,
    ) -> CompositeWorkflowResults:
        from data_designer.config.config_builder import DataDesignerConfigBuilder
        from data_designer.config.seed_source import LocalFileSeedSource

        if not self.stages:
            raise DataDesignerWorkflowError(f"workflow {self.name!r} has no stages; add one with add_stage()")
        names = [s.name for s in self.stages]
        for label, value in (("targets", targets or []), ("rerun_from", [rerun_from] if rerun_from else [])):
            unknown = [v for v in value if v not in names]
            if unknown:
                raise DataDesignerWorkflowError(f"{label} names unknown stages {unknown}; stages are {names}")
        last = max(names.index(t) for t in targets) if targets else len(names) - 1
        mode = getattr(resume, "value", resume)
        state_path = self.base_path / "workflow-metadata.json"
        state = read_json(state_path, what="workflow-metadata.json") if state_path.exists() else {"stages": {}}
        overrides = {k: Path(v) for k, v in (stage_output_overrides or {}).items()}
        results: dict[str, Any] = {}
        outputs: dict[str, Path] = {}
        previous: Path | None = None
        previous_count: int | None = None
        forced = False
        for index, stage in enumerate(self.stages[: last + 1]):
            forced = forced or stage.name == rerun_from
            if stage.name in overrides:
                outputs[stage.name] = previous = overrides[stage.name]
                results[stage.name] = SkippedStageResult(stage.name, SkippedStageStatus.OVERRIDDEN, previous)
                previous_count = _count_parquet_rows(previous)
                continue
            builder = DataDesignerConfigBuilder.from_config(stage.config_builder.build())
            if previous is not None:
                pattern = str(previous / "*.parquet") if previous.is_dir() else str(previous)
                builder.with_seed_dataset(
                    LocalFileSeedSource(path=pattern),
                    sampling_strategy=stage.sampling_strategy,
                    selection_strategy=stage.selection_strategy,
                )
            num_records = stage.num_records or previous_count or 10
            fingerprint = builder.build().fingerprint()["config_hash"] + f"|{stage.on_success_version}|{num_records}"
            recorded = state["stages"].get(stage.name) or {}
            dataset_name = f"stage-{index}-{stage.name}"
            if (
                mode != "never"
                and not forced
                and recorded.get("status") == "complete"
                and recorded.get("fingerprint") == fingerprint
                and Path(recorded.get("output", "")).exists()
            ):
                previous = outputs[stage.name] = Path(recorded["output"])
                previous_count = _count_parquet_rows(previous)
                results[stage.name] = SkippedStageResult(stage.name, SkippedStageStatus.COMPLETED_EARLIER, previous)
                continue
            result = self.designer.create(
                builder,
                num_records=num_records,
                dataset_name=dataset_name,
                artifact_path=self.base_path,
                resume=ResumeMode.NEVER if forced else mode,
            )
            output = result.artifact_storage.parquet_dir
            if stage.output.startswith("processor:"):
                output = result.get_path_to_processor_artifacts(stage.output.split(":", 1)[1])
            if stage.on_success is not None:
                output = Path(stage.on_success(output))
            count = _count_parquet_rows(output)
            if count == 0 and not stage.allow_empty:
                raise DataDesignerWorkflowError(
                    f"stage {stage.name!r} produced no records; pass allow_empty=True to continue anyway"
                )
            results[stage.name] = result
            outputs[stage.name] = previous = output
            previous_count = count
            state["stages"][stage.name] = {
                "status": "complete",
                "fingerprint": fingerprint,
                "output": str(output),
                "records": count,
                "dataset_dir": str(result.artifact_storage.dataset_dir),
            }
            self.base_path.mkdir(parents=True, exist_ok=True)
            atomic_write_json(state_path, state)
        for stage in self.stages[last + 1 :]:
            results[stage.name] = SkippedStageResult(stage.name, SkippedStageStatus.NOT_TARGETED)
        return CompositeWorkflowResults(results, outputs)
