"""Seed datasets through the public API: every local format, wildcards, DataFrames, directories and file contents,
ORDERED (wraps around) and SHUFFLE sampling, and ``IndexRange`` / ``PartitionBlock`` selection."""

from __future__ import annotations

import json
from pathlib import Path

import pandas as pd
import pytest

import data_designer.config as dd
from data_designer import errors
from data_designer.interface import DataDesigner

SEED = pd.DataFrame({"id": list(range(10)), "name": [f"n{i}" for i in range(10)]})


def _write_seed(path: Path, df: pd.DataFrame = SEED) -> Path:
    suffix = path.suffix
    if suffix == ".parquet":
        df.to_parquet(path, index=False)
    elif suffix == ".csv":
        df.to_csv(path, index=False)
    elif suffix == ".json":
        path.write_text(df.to_json(orient="records"), encoding="utf-8")
    else:
        df.to_json(path, orient="records", lines=True)
    return path


def _seeded_builder(source, **seed_kwargs) -> dd.DataDesignerConfigBuilder:
    builder = dd.DataDesignerConfigBuilder(model_configs=[])
    builder.with_seed_dataset(source, **seed_kwargs)
    builder.add_column(name="label", column_type="expression", expr="{{ name }}-{{ id }}")
    return builder


def _yaml_for(path: Path, extra: str = "") -> str:
    return f"""
columns:
  - name: label
    column_type: expression
    expr: "{{{{ name }}}}-{{{{ id }}}}"
seed_config:
  source:
    seed_type: local
    path: {json.dumps(str(path))}
{extra}"""


@pytest.mark.parametrize("way", ["python", "yaml", "json"])
@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".json", ".jsonl"])
def test_local_seed_file_in_every_format(tmp_path, designer, load_config, suffix: str, way: str) -> None:
    path = _write_seed(tmp_path / f"seed{suffix}")
    python_builder = _seeded_builder(dd.LocalFileSeedSource(path=str(path)))
    if way == "python":
        builder = python_builder
    elif way == "yaml":
        builder = load_config(_yaml_for(path), "seeded.yaml")
    else:
        builder = load_config(python_builder.build().to_json(), "seeded.json")
    assert builder.build().to_dict() == python_builder.build().to_dict()
    preview = designer.preview(builder, num_records=4)
    df = preview.dataset
    assert list(df["id"]) == [0, 1, 2, 3]
    assert list(df["label"]) == ["n0-0", "n1-1", "n2-2", "n3-3"]
    assert set(preview.dataset_metadata.seed_column_names) == {"id", "name"}


def test_wildcard_reads_every_matching_file_in_sorted_order(tmp_path, designer) -> None:
    _write_seed(tmp_path / "part-b.parquet", SEED.iloc[5:])
    _write_seed(tmp_path / "part-a.parquet", SEED.iloc[:5])
    _write_seed(tmp_path / "other.parquet", SEED.iloc[:1].assign(id=99))
    builder = _seeded_builder(dd.LocalFileSeedSource(path=str(tmp_path / "part-*.parquet")))
    df = designer.preview(builder, num_records=10).dataset
    assert list(df["id"]) == list(range(10))


def test_dataframe_seed_source(designer) -> None:
    builder = _seeded_builder(dd.DataFrameSeedSource(df=SEED.iloc[:3]))
    df = designer.preview(builder, num_records=3).dataset
    assert list(df["label"]) == ["n0-0", "n1-1", "n2-2"]


def test_ordered_sampling_wraps_around_across_row_groups(tmp_path, new_builder) -> None:
    designer = DataDesigner(artifact_path=tmp_path / "out", auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(buffer_size=2, seed=3))
    builder = _seeded_builder(dd.DataFrameSeedSource(df=SEED.iloc[:3]))
    results = designer.create(builder, num_records=7)
    assert list(results.load_dataset()["id"]) == [0, 1, 2, 0, 1, 2, 0]


def test_shuffle_draws_a_permutation_and_is_reproducible(tmp_path) -> None:
    def run() -> list[int]:
        designer = DataDesigner(artifact_path=tmp_path / "out", auto_configure_logging=False)
        designer.set_run_config(dd.RunConfig(buffer_size=4, seed=11))
        builder = _seeded_builder(dd.DataFrameSeedSource(df=SEED), sampling_strategy=dd.SamplingStrategy.SHUFFLE)
        return list(designer.create(builder, num_records=10).load_dataset()["id"])

    first = run()
    assert sorted(first) == list(range(10))
    assert first != list(range(10))
    assert run() == first


def test_index_range_selects_inclusive_rows_and_wraps(designer, load_config, tmp_path) -> None:
    path = _write_seed(tmp_path / "seed.parquet")
    yaml_text = _yaml_for(path, "  selection_strategy: {start: 2, end: 4}\n")
    builder = load_config(yaml_text, "range.yaml")
    python_builder = _seeded_builder(
        dd.LocalFileSeedSource(path=str(path)), selection_strategy=dd.IndexRange(start=2, end=4)
    )
    assert builder.build().to_dict() == python_builder.build().to_dict()
    df = designer.preview(builder, num_records=5).dataset
    assert list(df["id"]) == [2, 3, 4, 2, 3]


def test_shuffle_stays_inside_the_selection(designer) -> None:
    builder = _seeded_builder(
        dd.DataFrameSeedSource(df=SEED),
        sampling_strategy="shuffle",
        selection_strategy=dd.IndexRange(start=3, end=6),
    )
    df = designer.preview(builder, num_records=4).dataset
    assert sorted(df["id"]) == [3, 4, 5, 6]


@pytest.mark.parametrize(("index", "expected"), [(0, [0, 1, 2]), (1, [3, 4, 5]), (2, [6, 7, 8, 9])])
def test_partition_block_selects_its_block_and_the_last_takes_the_remainder(
    designer, load_config, tmp_path, index: int, expected: list[int]
) -> None:
    path = _write_seed(tmp_path / "seed.parquet")
    yaml_text = _yaml_for(path, f"  selection_strategy: {{index: {index}, num_partitions: 3}}\n")
    builder = load_config(yaml_text, "partition.yaml")
    assert isinstance(builder.get_seed_config().selection_strategy, dd.PartitionBlock)
    df = designer.preview(builder, num_records=len(expected)).dataset
    assert list(df["id"]) == expected


def _make_tree(root: Path) -> Path:
    (root / "sub").mkdir(parents=True)
    (root / "a.txt").write_text("alpha", encoding="utf-8")
    (root / "sub" / "b.txt").write_text("beta", encoding="utf-8")
    (root / "skip.md").write_text("# no", encoding="utf-8")
    return root


@pytest.mark.parametrize("way", ["python", "yaml", "json"])
def test_directory_seed_lists_matching_files(tmp_path, designer, load_config, way: str) -> None:
    root = _make_tree(tmp_path / "docs")
    python_builder = dd.DataDesignerConfigBuilder(model_configs=[]).with_seed_dataset(
        dd.DirectorySeedSource(path=str(root), file_pattern="*.txt", recursive=True)
    )
    python_builder.add_column(name="where", column_type="expression", expr="{{ relative_path }}")
    if way == "python":
        builder = python_builder
    elif way == "json":
        builder = load_config(python_builder.build().to_json(), "dir.json")
    else:
        builder = load_config(
            f"""
columns:
  - {{name: where, column_type: expression, expr: "{{{{ relative_path }}}}"}}
seed_config:
  source: {{seed_type: directory, path: {json.dumps(str(root))}, file_pattern: "*.txt", recursive: true}}
""",
            "dir.yaml",
        )
    assert builder.build().to_dict() == python_builder.build().to_dict()
    df = designer.preview(builder, num_records=2).dataset
    assert {"source_kind", "source_path", "relative_path", "file_name"} <= set(df.columns)
    assert sorted(df["file_name"]) == ["a.txt", "b.txt"]
    assert sorted(Path(p).as_posix() for p in df["where"]) == ["a.txt", "sub/b.txt"]


def test_file_contents_seed_adds_the_content(tmp_path, designer, load_config) -> None:
    root = _make_tree(tmp_path / "docs")
    builder = load_config(
        f"""
columns:
  - {{name: shout, column_type: expression, expr: "{{{{ content | upper }}}}"}}
seed_config:
  source: {{seed_type: file_contents, path: {json.dumps(str(root))}, file_pattern: "*.txt"}}
""",
        "contents.yaml",
    )
    df = designer.preview(builder, num_records=2).dataset
    by_name = dict(zip(df["file_name"], df["content"], strict=True))
    assert by_name == {"a.txt": "alpha", "b.txt": "beta"}
    assert sorted(df["shout"]) == ["ALPHA", "BETA"]


def test_seed_column_colliding_with_a_declared_column_is_rejected(designer) -> None:
    builder = _seeded_builder(dd.DataFrameSeedSource(df=SEED))
    builder.add_column(name="id", column_type="sampler", sampler_type="uuid", params={})
    with pytest.raises(errors.InvalidConfigError, match="'id'"):
        designer.validate(builder)


def test_seed_columns_mix_with_samplers(designer) -> None:
    builder = _seeded_builder(dd.DataFrameSeedSource(df=SEED.iloc[:2]))
    builder.add_column(name="coin", column_type="sampler", sampler_type="bernoulli", params={"p": 0.5})
    builder.add_column(name="combo", column_type="expression", expr="{{ label }}:{{ coin }}")
    df = designer.preview(builder, num_records=6).dataset
    assert list(df["id"]) == [0, 1, 0, 1, 0, 1]
    assert (df["combo"] == df["label"] + ":" + df["coin"].astype(str)).all()
