from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
import yaml
from pydantic import ValidationError

from data_designer.config.seed import IndexRange, PartitionBlock, SamplingStrategy, SeedConfig
from data_designer.config.seed_source import (
    AgentRolloutFormat,
    AgentRolloutSeedSource,
    DataFrameSeedSource,
    DirectorySeedSource,
    FileContentsSeedSource,
    HuggingFaceSeedSource,
    LocalFileSeedSource,
)
from data_designer.errors import InvalidFileFormatError, InvalidFilePathError


@pytest.fixture
def parquet_file(tmp_path: Path) -> Path:
    path = tmp_path / "seed.parquet"
    pd.DataFrame({"a": [1, 2, 3]}).to_parquet(path)
    return path


def test_sampling_strategy_values() -> None:
    assert SamplingStrategy.ORDERED.value == "ordered"
    assert SamplingStrategy.SHUFFLE.value == "shuffle"
    assert SamplingStrategy("shuffle") is SamplingStrategy.SHUFFLE


def test_index_range_size_is_inclusive() -> None:
    assert IndexRange(start=2, end=2).size == 1
    assert IndexRange(start=0, end=9).size == 10


@pytest.mark.parametrize("kwargs", [{"start": 5, "end": 4}, {"start": -1, "end": 3}, {"start": 0, "end": -1}])
def test_index_range_rejects_bad_bounds(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        IndexRange(**kwargs)


def test_index_range_error_explains_inclusive_bounds() -> None:
    with pytest.raises(ValidationError, match=r"start \(5\) must be <= end \(4\)"):
        IndexRange(start=5, end=4)


def test_partition_block_defaults_to_whole_dataset() -> None:
    block = PartitionBlock()
    assert (block.index, block.num_partitions) == (0, 1)
    assert block.to_index_range(7) == IndexRange(start=0, end=6)


@pytest.mark.parametrize("kwargs", [{"index": 3, "num_partitions": 3}, {"index": -1}, {"num_partitions": 0}])
def test_partition_block_rejects_bad_index(kwargs: dict[str, int]) -> None:
    with pytest.raises(ValidationError):
        PartitionBlock(**kwargs)


def test_last_partition_takes_the_remainder() -> None:
    ranges = [PartitionBlock(index=i, num_partitions=3).to_index_range(10) for i in range(3)]
    assert [(r.start, r.end) for r in ranges] == [(0, 2), (3, 5), (6, 9)]


def test_partition_block_refuses_more_partitions_than_rows() -> None:
    with pytest.raises(ValueError, match="cannot split 2 seed rows into 3 partitions"):
        PartitionBlock(index=0, num_partitions=3).to_index_range(2)


def test_seed_config_defaults(parquet_file: Path) -> None:
    config = SeedConfig(source=LocalFileSeedSource(path=str(parquet_file)))
    assert config.sampling_strategy == SamplingStrategy.ORDERED
    assert config.selection_strategy is None


@pytest.mark.parametrize(
    ("selection", "expected_type"),
    [({"start": 1, "end": 2}, IndexRange), ({"index": 1, "num_partitions": 2}, PartitionBlock)],
)
def test_seed_config_parses_selection_by_shape(selection: dict, expected_type: type) -> None:
    config = SeedConfig.model_validate(
        {"source": {"seed_type": "hf", "path": "datasets/o/r"}, "selection_strategy": selection}
    )
    assert isinstance(config.selection_strategy, expected_type)


def _serialisable_sources(tmp_path: Path, parquet_file: Path) -> list:
    return [
        LocalFileSeedSource(path=str(parquet_file)),
        HuggingFaceSeedSource(path="datasets/owner/repo/data/*.parquet", token="HF_TOKEN"),
        DirectorySeedSource(path=str(tmp_path), file_pattern="*.md", recursive=False),
        FileContentsSeedSource(path=str(tmp_path), encoding="latin-1"),
        AgentRolloutSeedSource(format=AgentRolloutFormat.CLAUDE_CODE),
        AgentRolloutSeedSource(format="atif", path=str(tmp_path)),
    ]


def test_every_serialisable_source_round_trips_through_json_and_yaml(tmp_path: Path, parquet_file: Path) -> None:
    for source in _serialisable_sources(tmp_path, parquet_file):
        config = SeedConfig(
            source=source, sampling_strategy="shuffle", selection_strategy=PartitionBlock(index=1, num_partitions=2)
        )
        dumped = config.model_dump(mode="json")
        assert json.loads(json.dumps(dumped)) == dumped
        from_json = SeedConfig.model_validate_json(json.dumps(dumped))
        from_yaml = SeedConfig.model_validate(yaml.safe_load(yaml.safe_dump(dumped)))
        assert from_json == config
        assert from_yaml == config
        assert type(from_json.source) is type(source)


def test_source_dump_uses_plain_values(tmp_path: Path) -> None:
    dumped = SeedConfig(source=AgentRolloutSeedSource(format=AgentRolloutFormat.CODEX)).model_dump(mode="json")
    assert dumped["source"] == {
        "seed_type": "agent_rollout",
        "format": "codex",
        "path": "~/.codex/sessions",
        "file_pattern": "*.jsonl",
        "recursive": True,
    }
    assert dumped["sampling_strategy"] == "ordered"


def test_unknown_seed_type_is_rejected() -> None:
    with pytest.raises(ValidationError, match="seed_type"):
        SeedConfig.model_validate({"source": {"seed_type": "s3", "path": "x"}})


def test_extra_fields_are_forbidden() -> None:
    with pytest.raises(ValidationError, match="extra"):
        HuggingFaceSeedSource(path="datasets/o/r", revision="main")


def test_hf_source_defaults() -> None:
    source = HuggingFaceSeedSource(path="datasets/o/r/data/*.parquet")
    assert (source.seed_type, source.token, source.endpoint) == ("hf", None, "https://huggingface.co")


def test_local_source_missing_file_names_path_and_extensions(tmp_path: Path) -> None:
    missing = tmp_path / "nope.csv"
    with pytest.raises(InvalidFilePathError) as info:
        LocalFileSeedSource(path=str(missing))
    assert str(missing) in str(info.value)
    assert ".parquet, .csv, .json, .jsonl" in str(info.value)


def test_local_source_rejects_unsupported_extension(tmp_path: Path) -> None:
    path = tmp_path / "seed.xlsx"
    path.write_text("x")
    with pytest.raises(InvalidFileFormatError, match=r"seed\.xlsx.*'\.xlsx'"):
        LocalFileSeedSource(path=str(path))


def test_local_source_wildcard_must_match_a_file(tmp_path: Path) -> None:
    with pytest.raises(InvalidFilePathError, match="no file matches the wildcard"):
        LocalFileSeedSource(path=str(tmp_path / "*.parquet"))
    (tmp_path / "part-1.parquet").write_bytes(b"")
    assert LocalFileSeedSource(path=str(tmp_path / "*.parquet")).path.endswith("*.parquet")


def test_local_source_extension_check_is_case_insensitive(tmp_path: Path) -> None:
    path = tmp_path / "SEED.CSV"
    path.write_text("a\n1\n")
    assert LocalFileSeedSource(path=str(path)).seed_type == "local"


def test_from_dataframe_writes_parquet_and_returns_source(tmp_path: Path) -> None:
    df = pd.DataFrame({"name": ["x", "y"], "n": [1, 2]})
    target = tmp_path / "nested" / "seed.parquet"
    source = LocalFileSeedSource.from_dataframe(df, target)
    assert source.path == str(target)
    pd.testing.assert_frame_equal(pd.read_parquet(target), df)
    assert [p.name for p in target.parent.iterdir()] == ["seed.parquet"]  # no temp file left behind


def test_from_dataframe_requires_parquet_path(tmp_path: Path) -> None:
    with pytest.raises(InvalidFileFormatError, match=r"ending in '\.parquet'"):
        LocalFileSeedSource.from_dataframe(pd.DataFrame({"a": [1]}), tmp_path / "seed.csv")


def test_dataframe_source_is_excluded_from_dumps() -> None:
    source = DataFrameSeedSource(df=pd.DataFrame({"a": [1, 2]}))
    assert source.model_dump() == {"seed_type": "df"}
    assert SeedConfig(source=source).model_dump(mode="json")["source"] == {"seed_type": "df"}
    assert source.df["a"].tolist() == [1, 2]


def test_dataframe_source_rejects_non_dataframes() -> None:
    with pytest.raises(ValidationError, match="must be a pandas.DataFrame, got dict"):
        DataFrameSeedSource(df={"a": [1]})


@pytest.mark.parametrize("pattern", ["sub/*.md", "", "a\\b"])
def test_directory_source_pattern_is_a_basename_glob(tmp_path: Path, pattern: str) -> None:
    with pytest.raises(ValidationError, match="file_pattern"):
        DirectorySeedSource(path=str(tmp_path), file_pattern=pattern)


def test_directory_source_defaults(tmp_path: Path) -> None:
    source = DirectorySeedSource(path=str(tmp_path))
    assert (source.seed_type, source.file_pattern, source.recursive) == ("directory", "*", True)


def test_file_contents_source_checks_encoding(tmp_path: Path) -> None:
    assert FileContentsSeedSource(path=str(tmp_path)).encoding == "utf-8"
    with pytest.raises(ValidationError, match="not a known text encoding"):
        FileContentsSeedSource(path=str(tmp_path), encoding="klingon-8")


@pytest.mark.parametrize(
    ("fmt", "path", "pattern"),
    [
        ("claude_code", "~/.claude/projects", "*.jsonl"),
        ("codex", "~/.codex/sessions", "*.jsonl"),
        ("hermes_agent", "~/.hermes/sessions", "*.json*"),
        ("pi_coding_agent", "~/.pi/agent/sessions", "*.jsonl"),
    ],
)
def test_agent_rollout_defaults_per_format(fmt: str, path: str, pattern: str) -> None:
    source = AgentRolloutSeedSource(format=fmt)
    assert (source.path, source.file_pattern, source.recursive) == (path, pattern, True)


def test_agent_rollout_atif_requires_explicit_path(tmp_path: Path) -> None:
    with pytest.raises(ValidationError, match="path is required for format 'atif'"):
        AgentRolloutSeedSource(format="atif")
    assert AgentRolloutSeedSource(format="atif", path=str(tmp_path)).file_pattern == "*.json"


def test_agent_rollout_keeps_explicit_overrides(tmp_path: Path) -> None:
    source = AgentRolloutSeedSource(format="codex", path=str(tmp_path), file_pattern="rollout-*.jsonl", recursive=False)
    assert (source.path, source.file_pattern, source.recursive) == (str(tmp_path), "rollout-*.jsonl", False)
    with pytest.raises(ValidationError, match="file_pattern"):
        AgentRolloutSeedSource(format="codex", file_pattern="a/b.jsonl")


def test_agent_rollout_rejects_unknown_format() -> None:
    with pytest.raises(ValidationError):
        AgentRolloutSeedSource(format="cursor")


def test_importing_seed_config_stays_light() -> None:
    code = (
        "import sys, data_designer.config.seed, data_designer.config.seed_source;"
        "print(sorted(m for m in ('pyarrow', 'pandas', 'data_designer.engine') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "[]"
