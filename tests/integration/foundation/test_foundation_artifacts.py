"""What ``DataDesigner.create`` leaves on disk (inventory §3) and what the results object offers on top of it."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pandas as pd
import pyarrow.parquet as pq
import pytest

import data_designer.config as dd
from data_designer import errors
from data_designer.interface import DataDesigner, DatasetCreationResults, ResumeMode

METADATA_KEYS = {
    "target_num_records",
    "original_target_num_records",
    "actual_num_records",
    "total_num_batches",
    "num_completed_batches",
    "buffer_size",
    "dataset_name",
    "file_paths",
    "config_hash",
    "config_hash_algo",
    "config_hash_version",
    "preserve_dropped_columns",
    "post_generation_processed",
    "column_statistics",
}


def _pipeline() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 100})
    builder.add_column(name="kind", column_type="sampler", sampler_type="category", params={"values": ["a", "b"]})
    builder.add_column(name="double", column_type="expression", expr="{{ x * 2 }}", dtype="float")
    builder.add_column(name="tag", column_type="expression", expr="{{ kind }}-{{ double | round | int }}")
    return builder


@pytest.fixture
def created(designer) -> DatasetCreationResults:
    return designer.create(_pipeline(), num_records=45, dataset_name="demo")


def test_layout_has_builder_config_metadata_and_batches(created: DatasetCreationResults, tmp_path: Path) -> None:
    root = tmp_path / "artifacts" / "demo"
    assert created.base_dataset_path == root
    builder_config = json.loads((root / "builder_config.json").read_text())
    assert set(builder_config) == {"data_designer", "library_version"}
    assert builder_config["library_version"] == dd.get_library_version()
    reloaded = dd.DataDesignerConfigBuilder.from_config(builder_config)
    assert [c.name for c in reloaded.get_column_configs()] == ["x", "kind", "double", "tag"]
    batches = sorted(p.name for p in (root / "parquet-files").glob("*.parquet"))
    assert batches == ["batch_00000.parquet", "batch_00001.parquet", "batch_00002.parquet"]
    assert [pq.ParquetFile(root / "parquet-files" / b).metadata.num_rows for b in batches] == [20, 20, 5]


def test_metadata_json_keys_and_values(created: DatasetCreationResults, tmp_path: Path) -> None:
    text = (tmp_path / "artifacts" / "demo" / "metadata.json").read_text()
    metadata = json.loads(text)
    assert METADATA_KEYS <= set(metadata)
    assert list(metadata) == sorted(metadata)
    assert metadata["target_num_records"] == 45
    assert metadata["original_target_num_records"] == 45
    assert metadata["actual_num_records"] == 45
    assert metadata["total_num_batches"] == 3
    assert metadata["num_completed_batches"] == 3
    assert metadata["buffer_size"] == 20
    assert metadata["dataset_name"] == "demo"
    assert metadata["preserve_dropped_columns"] is True
    assert metadata["file_paths"]["parquet-files"] == [f"parquet-files/batch_0000{i}.parquet" for i in range(3)]
    fingerprint = _pipeline().build().fingerprint()
    assert metadata["config_hash"] == fingerprint["config_hash"]
    assert metadata["config_hash_algo"] == "sha256"
    assert metadata["config_hash_version"] == 2
    assert {s["column_name"] for s in metadata["column_statistics"]} >= {"x", "kind", "double", "tag"}


def test_existing_dataset_directory_gets_a_timestamped_sibling(designer, created: DatasetCreationResults) -> None:
    second = designer.create(_pipeline(), num_records=5, dataset_name="demo", resume=ResumeMode.NEVER)
    assert second.base_dataset_path != created.base_dataset_path
    assert second.base_dataset_path.parent == created.base_dataset_path.parent
    assert re.fullmatch(r"demo_\d{2}-\d{2}-\d{4}_\d{6}", second.base_dataset_path.name)
    assert created.count_records() == 45
    assert second.count_records() == 5


def test_count_records_and_load_dataset_agree(created: DatasetCreationResults) -> None:
    df = created.load_dataset()
    assert created.count_records() == len(df) == 45
    assert list(df.columns) == ["x", "kind", "double", "tag"]
    assert (df["double"] == df["x"] * 2).all()


@pytest.mark.parametrize("fmt", ["jsonl", "csv", "parquet"])
def test_export_round_trips_the_rows(created: DatasetCreationResults, tmp_path: Path, fmt: str) -> None:
    target = created.export(tmp_path / "exports" / f"data.{fmt}")
    assert target.is_file()
    if fmt == "jsonl":
        exported = pd.read_json(target, lines=True)
    elif fmt == "csv":
        exported = pd.read_csv(target)
    else:
        exported = pd.read_parquet(target)
    expected = created.load_dataset()
    assert list(exported.columns) == list(expected.columns)
    assert len(exported) == len(expected)
    assert list(exported["tag"]) == list(expected["tag"])
    assert exported["x"].tolist() == pytest.approx(expected["x"].tolist())


def test_export_format_can_be_forced_and_is_validated(created: DatasetCreationResults, tmp_path: Path) -> None:
    target = created.export(tmp_path / "data.out", format="jsonl")
    assert len(target.read_text().splitlines()) == 45
    with pytest.raises(errors.InvalidFileFormatError, match="jsonl, csv or parquet"):
        created.export(tmp_path / "data.xlsx")


def test_load_analysis_has_column_statistics(created: DatasetCreationResults) -> None:
    analysis = created.load_analysis()
    assert analysis is not None
    stats = {s.column_name: s for s in analysis.column_statistics}
    assert set(stats) >= {"x", "kind", "double", "tag"}
    assert stats["kind"].num_unique == 2
    assert stats["x"].num_records == 45
    assert analysis.num_records == 45


def test_display_sample_record_runs_and_rejects_bad_indices(created: DatasetCreationResults, capsys) -> None:
    created.display_sample_record()
    created.display_sample_record(index=2)
    assert "Sample record" in capsys.readouterr().out
    with pytest.raises(errors.DatasetSampleDisplayError, match="out of range"):
        created.display_sample_record(index=45)


def test_on_batch_complete_is_called_once_per_batch_with_the_parquet_path(designer) -> None:
    seen: list[Path] = []
    results = designer.create(_pipeline(), num_records=45, on_batch_complete=seen.append)
    assert len(seen) == 3
    assert sorted(Path(p).name for p in seen) == [f"batch_0000{i}.parquet" for i in range(3)]
    for path in seen:
        assert Path(path).is_file()
        assert Path(path).parent == results.base_dataset_path / "parquet-files"


def test_an_exception_in_on_batch_complete_aborts_the_run(tmp_path: Path) -> None:
    designer = DataDesigner(artifact_path=tmp_path / "out", auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(buffer_size=5, max_concurrent_row_groups=1, seed=2))
    calls: list[Path] = []

    def explode(path: Path) -> None:
        calls.append(path)
        raise RuntimeError("callback exploded")

    with pytest.raises((RuntimeError, errors.DataDesignerGenerationError), match="callback exploded"):
        designer.create(_pipeline(), num_records=40, on_batch_complete=explode)
    assert len(calls) == 1
    written = list((tmp_path / "out" / "dataset" / "parquet-files").glob("batch_*.parquet"))
    assert 1 <= len(written) < 8


# ---------------------------------------------------------------- dropped columns and processors
def _dropping_pipeline() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 1})
    builder.add_column(name="scratch", column_type="expression", expr="{{ x }}", drop=True)
    builder.add_column(name="helper", column_type="expression", expr="{{ scratch }}")
    builder.add_column(name="kept", column_type="expression", expr="{{ helper }}!")
    builder.add_processor(dd.DropColumnsProcessorConfig(name="drop_helper", column_names=["help*"]))
    return builder


def test_dropped_columns_are_absent_from_the_dataset_but_preserved_aside(designer) -> None:
    results = designer.create(_dropping_pipeline(), num_records=25)
    df = results.load_dataset()
    assert list(df.columns) == ["x", "kept"]
    dropped_dir = results.base_dataset_path / "dropped-columns-parquet-files"
    files = sorted(dropped_dir.glob("batch_*.parquet"))
    assert [f.name for f in files] == ["batch_00000.parquet", "batch_00001.parquet"]
    dropped = pd.concat([pd.read_parquet(f) for f in files], ignore_index=True)
    assert {"scratch", "helper"} <= set(dropped.columns)
    assert len(dropped) == 25
    assert (dropped["helper"] + "!" == df["kept"]).all()


DROPPING_YAML = """
columns:
  - {name: x, column_type: sampler, sampler_type: uniform, params: {low: 0, high: 1}}
  - {name: scratch, column_type: expression, expr: "{{ x }}", drop: true}
  - {name: helper, column_type: expression, expr: "{{ scratch }}"}
  - {name: kept, column_type: expression, expr: "{{ helper }}!"}
processors:
  - {name: drop_helper, processor_type: drop_columns, column_names: ["help*"]}
"""


@pytest.mark.parametrize("way", ["yaml", "json"])
def test_dropping_config_works_from_yaml_and_json(designer, load_config, way: str) -> None:
    if way == "yaml":
        builder = load_config(DROPPING_YAML, "drop.yaml")
    else:
        builder = load_config(_dropping_pipeline().build().to_json(), "drop.json")
    results = designer.create(builder, num_records=5)
    assert list(results.load_dataset().columns) == ["x", "kept"]
    dropped = pd.read_parquet(results.base_dataset_path / "dropped-columns-parquet-files" / "batch_00000.parquet")
    assert {"scratch", "helper"} <= set(dropped.columns)


def test_dropped_columns_are_not_written_when_not_preserved(tmp_path: Path) -> None:
    designer = DataDesigner(artifact_path=tmp_path / "out", auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(buffer_size=20, seed=1, preserve_dropped_columns=False))
    results = designer.create(_dropping_pipeline(), num_records=5)
    assert list(results.load_dataset().columns) == ["x", "kept"]
    assert not list(results.base_dataset_path.glob("dropped-columns-parquet-files/*.parquet"))


def test_preview_drops_columns_too(designer) -> None:
    assert list(designer.preview(_dropping_pipeline(), num_records=3).dataset.columns) == ["x", "kept"]


def _schema_pipeline() -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="n", column_type="sampler", sampler_type="binomial", params={"n": 5, "p": 0.5})
    builder.add_column(name="word", column_type="sampler", sampler_type="category", params={"values": ["hi", "yo"]})
    builder.add_processor(
        dd.SchemaTransformProcessorConfig(name="chat", template={"prompt": "{{ word }}", "meta": {"count": "{{ n }}"}})
    )
    return builder


def test_schema_transform_writes_its_own_dataset(designer) -> None:
    results = designer.create(_schema_pipeline(), num_records=30)
    main = results.load_dataset()
    assert list(main.columns) == ["n", "word"]
    folder = results.base_dataset_path / "processors-files" / "chat"
    assert sorted(p.name for p in folder.glob("batch_*.parquet")) == ["batch_00000.parquet", "batch_00001.parquet"]
    assert results.get_path_to_processor_artifacts("chat") == folder
    transformed = results.load_processor_dataset("chat")
    assert list(transformed.columns) == ["prompt", "meta"]
    assert list(transformed["prompt"]) == list(main["word"])
    assert [str(m["count"]) for m in transformed["meta"]] == [str(v) for v in main["n"]]
    with pytest.raises(errors.ArtifactStorageError, match="'nope'"):
        results.load_processor_dataset("nope")


def test_metadata_lists_processor_files(designer) -> None:
    results = designer.create(_schema_pipeline(), num_records=30)
    metadata = json.loads((results.base_dataset_path / "metadata.json").read_text())
    assert metadata["file_paths"]["processor-files"] == {
        "chat": ["processors-files/chat/batch_00000.parquet", "processors-files/chat/batch_00001.parquet"]
    }


def test_schema_transform_in_preview_is_kept_in_memory(designer) -> None:
    preview = designer.preview(_schema_pipeline(), num_records=4)
    rows = preview.processor_artifacts["chat"]
    assert [r["prompt"] for r in rows] == list(preview.dataset["word"])


# ---------------------------------------------------------------- reproducibility
def _reproducible_pipeline() -> dd.DataDesignerConfigBuilder:
    seed_rows = pd.DataFrame({"city": [f"c{i}" for i in range(7)]})
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.with_seed_dataset(dd.DataFrameSeedSource(df=seed_rows), sampling_strategy="shuffle")
    builder.add_column(name="g", column_type="sampler", sampler_type="gaussian", params={"mean": 0, "stddev": 1})
    builder.add_column(name="c", column_type="sampler", sampler_type="category", params={"values": list("abcde")})
    builder.add_column(name="p", column_type="sampler", sampler_type="person_from_faker", params={})
    builder.add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    builder.add_column(name="e", column_type="expression", expr="{{ city }}/{{ c }}/{{ p.first_name }}/{{ g }}")
    return builder


def _run_with_seed(tmp_path: Path, name: str, seed: int) -> pd.DataFrame:
    designer = DataDesigner(artifact_path=tmp_path / name, auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(seed=seed, buffer_size=8))
    return designer.create(_reproducible_pipeline(), num_records=20).load_dataset()


def test_the_same_seed_gives_the_same_dataset(tmp_path: Path) -> None:
    first = _run_with_seed(tmp_path, "one", 123)
    second = _run_with_seed(tmp_path, "two", 123)
    pd.testing.assert_frame_equal(first, second)
    assert not _run_with_seed(tmp_path, "three", 124)["e"].equals(first["e"])


def test_a_config_without_sampler_or_seed_still_generates_rows(designer) -> None:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="greeting", column_type="expression", expr="hello")
    results = designer.create(builder, num_records=3)
    assert list(results.load_dataset()["greeting"]) == ["hello"] * 3
    assert list(results.load_dataset().columns) == ["greeting"]


def test_write_scheduler_events_writes_a_jsonl_event_log(tmp_path):
    import json

    import data_designer.config as dd
    from data_designer.interface import DataDesigner

    designer = DataDesigner(artifact_path=tmp_path)
    designer.set_run_config(dd.RunConfig(buffer_size=5, write_scheduler_events=True))
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.add_column(name="x", column_type="sampler", sampler_type="uniform", params={"low": 0, "high": 1})
    results = designer.create(builder, num_records=12, dataset_name="events")
    lines = (results.artifact_storage.dataset_dir / "scheduler_events.jsonl").read_text().splitlines()
    events = [json.loads(line)["event"] for line in lines]
    assert events[0] == "RunStarted" and events[-1] == "RunFinished"
    assert events.count("RowGroupCheckpointed") == 3
