from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

from data_designer.config.seed import IndexRange, PartitionBlock, SamplingStrategy, SeedConfig
from data_designer.config.seed_source import (
    AgentRolloutSeedSource,
    DataFrameSeedSource,
    DirectorySeedSource,
    FileContentsSeedSource,
    HuggingFaceSeedSource,
    LocalFileSeedSource,
    SeedSource,
)
from data_designer.errors import SeedReaderConfigError, SeedReaderError
from data_designer.generators import seed_readers
from data_designer.generators.base import GeneratorContext
from data_designer.generators.seed_reader import SeedDatasetGenerator, SeedDatasetReader
from data_designer.generators.seed_readers import (
    ColumnsSeedTable,
    SeedSourceReader,
    create_seed_source_reader,
    register_seed_source_reader,
)
from data_designer.generators.seed_readers.agent_rollout import ROLLOUT_COLUMNS


def _df_config(n: int = 5, **kwargs: Any) -> SeedConfig:
    df = pd.DataFrame({"i": list(range(n)), "s": [f"row{i}" for i in range(n)]})
    return SeedConfig(source=DataFrameSeedSource(df=df), **kwargs)


def _read_i(reader: SeedDatasetReader, offset: int, n: int) -> list[int]:
    return reader.read(offset, n)["i"]


def _write_jsonl(path: Path, records: list[Any], *, trailing: str = "") -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("".join(json.dumps(r) + "\n" for r in records) + trailing, encoding="utf-8")
    return path


# ---------------------------------------------------------------- sampling
def test_ordered_stream_wraps_around() -> None:
    reader = SeedDatasetReader(_df_config(3))
    assert reader.num_rows() == 3
    assert _read_i(reader, 0, 7) == [0, 1, 2, 0, 1, 2, 0]
    assert _read_i(reader, 5, 3) == [2, 0, 1]
    assert reader.read(1, 1) == {"i": [1], "s": ["row1"]}


def test_shuffle_passes_are_permutations_of_the_selection() -> None:
    reader = SeedDatasetReader(_df_config(20, sampling_strategy="shuffle"), seed=7)
    values = _read_i(reader, 0, 60)
    passes = [values[k : k + 20] for k in (0, 20, 40)]
    assert all(sorted(p) == list(range(20)) for p in passes)
    assert passes[0] != list(range(20))
    assert passes[0] != passes[1]  # a fresh permutation per pass


def test_shuffle_is_a_pure_function_of_offset() -> None:
    config = _df_config(13, sampling_strategy=SamplingStrategy.SHUFFLE)
    full = _read_i(SeedDatasetReader(config, seed=3), 0, 50)
    resumed = SeedDatasetReader(config, seed=3)
    assert _read_i(resumed, 30, 20) == full[30:]
    assert _read_i(resumed, 4, 15) == full[4:19]  # reading backwards after forwards changes nothing
    assert _read_i(SeedDatasetReader(config, seed=3), 0, 50) == full


def test_shuffle_depends_on_seed() -> None:
    config = _df_config(30, sampling_strategy="shuffle")
    assert _read_i(SeedDatasetReader(config, seed=1), 0, 30) != _read_i(SeedDatasetReader(config, seed=2), 0, 30)


def test_index_range_selection_ordered_and_shuffled() -> None:
    ordered = SeedDatasetReader(_df_config(10, selection_strategy=IndexRange(start=3, end=5)))
    assert ordered.num_rows() == 3
    assert _read_i(ordered, 0, 7) == [3, 4, 5, 3, 4, 5, 3]
    shuffled = SeedDatasetReader(
        _df_config(10, selection_strategy=IndexRange(start=3, end=5), sampling_strategy="shuffle")
    )
    values = _read_i(shuffled, 0, 9)
    assert all(sorted(values[k : k + 3]) == [3, 4, 5] for k in (0, 3, 6))


def test_index_range_beyond_data_is_a_clear_error() -> None:
    reader = SeedDatasetReader(_df_config(5, selection_strategy=IndexRange(start=0, end=5)))
    with pytest.raises(SeedReaderError, match=r"has 5 rows \(last index 4\); lower end to at most 4"):
        reader.read(0, 1)


def test_partition_blocks_cover_the_dataset_without_overlap() -> None:
    seen = []
    for index in range(3):
        reader = SeedDatasetReader(_df_config(10, selection_strategy=PartitionBlock(index=index, num_partitions=3)))
        seen.append(_read_i(reader, 0, reader.num_rows()))
    assert seen == [[0, 1, 2], [3, 4, 5], [6, 7, 8, 9]]


def test_partition_shuffle_stays_in_block() -> None:
    config = _df_config(10, selection_strategy=PartitionBlock(index=1, num_partitions=2), sampling_strategy="shuffle")
    assert sorted(_read_i(SeedDatasetReader(config), 0, 5)) == [5, 6, 7, 8, 9]


def test_too_many_partitions_is_a_clear_error() -> None:
    reader = SeedDatasetReader(_df_config(2, selection_strategy=PartitionBlock(index=0, num_partitions=3)))
    with pytest.raises(SeedReaderError, match="cannot split 2 seed rows into 3 partitions"):
        reader.num_rows()


def test_zero_rows_and_bad_arguments() -> None:
    reader = SeedDatasetReader(_df_config(3))
    assert reader.read(4, 0) == {"i": [], "s": []}
    with pytest.raises(SeedReaderError, match="offset >= 0"):
        reader.read(-1, 2)
    with pytest.raises(SeedReaderError, match="non-negative"):
        SeedDatasetReader(_df_config(3), seed=-1)


# ---------------------------------------------------------------- local files
@pytest.fixture
def frame() -> pd.DataFrame:
    return pd.DataFrame({"name": ["a", "b", "c"], "n": [1, 2, 3]})


@pytest.mark.parametrize("suffix", [".parquet", ".csv", ".json", ".jsonl", "array.json"])
def test_local_file_formats(tmp_path: Path, frame: pd.DataFrame, suffix: str) -> None:
    path = tmp_path / f"seed{suffix}"
    if suffix == ".parquet":
        frame.to_parquet(path)
    elif suffix == ".csv":
        frame.to_csv(path, index=False)
    elif suffix == "array.json":
        frame.to_json(path, orient="records")
    else:
        frame.to_json(path, orient="records", lines=True)
    reader = SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(path))))
    assert reader.column_names() == ["name", "n"]
    assert reader.read(0, 4) == {"name": ["a", "b", "c", "a"], "n": [1, 2, 3, 1]}


def test_wildcard_reads_the_union_in_sorted_order(tmp_path: Path) -> None:
    pd.DataFrame({"x": [3.5]}).to_parquet(tmp_path / "b.parquet")
    pd.DataFrame({"x": [1, 2]}).to_parquet(tmp_path / "a.parquet")
    reader = SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(tmp_path / "*.parquet"))))
    assert reader.num_rows() == 3
    assert reader.read(0, 3) == {"x": [1.0, 2.0, 3.5]}


def test_parquet_column_names_read_only_the_schema(tmp_path: Path, frame: pd.DataFrame, monkeypatch) -> None:
    import pyarrow.parquet as pq

    frame.to_parquet(tmp_path / "seed.parquet")
    reader = SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(tmp_path / "seed.parquet"))))

    def fail(*args: Any, **kwargs: Any) -> None:
        raise AssertionError("column_names must not read the data")

    monkeypatch.setattr(pq, "read_table", fail)
    assert reader.column_names() == ["name", "n"]


def test_corrupt_file_is_a_seed_reader_error_naming_the_file(tmp_path: Path) -> None:
    path = tmp_path / "broken.parquet"
    path.write_bytes(b"this is not parquet")
    reader = SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(path))))
    with pytest.raises(SeedReaderError, match=r"broken\.parquet.*valid parquet"):
        reader.read(0, 1)
    with pytest.raises(SeedReaderError, match=r"broken\.parquet"):
        reader.column_names()


def test_corrupt_jsonl_names_the_file(tmp_path: Path) -> None:
    path = tmp_path / "bad.jsonl"
    path.write_text('{"a": 1}\n{not json\n')
    with pytest.raises(SeedReaderError, match=r"bad\.jsonl.*valid jsonl"):
        SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(path)))).read(0, 1)


@pytest.mark.parametrize(("name", "content"), [("empty.csv", ""), ("header.csv", "a,b\n"), ("empty.jsonl", "")])
def test_empty_dataset_is_an_error(tmp_path: Path, name: str, content: str) -> None:
    path = tmp_path / name
    path.write_text(content)
    with pytest.raises(SeedReaderError, match="empty"):
        SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(path)))).num_rows()


def test_file_deleted_after_config_is_an_error(tmp_path: Path, frame: pd.DataFrame) -> None:
    path = tmp_path / "seed.parquet"
    frame.to_parquet(path)
    config = SeedConfig(source=LocalFileSeedSource(path=str(path)))
    path.unlink()
    with pytest.raises(SeedReaderError, match="no longer matches any file"):
        SeedDatasetReader(config).read(0, 1)


def test_incompatible_wildcard_schemas_are_an_error(tmp_path: Path) -> None:
    pd.DataFrame({"x": [1]}).to_parquet(tmp_path / "a.parquet")
    pd.DataFrame({"x": [[1, 2]]}).to_parquet(tmp_path / "b.parquet")
    with pytest.raises(SeedReaderError, match="incompatible schemas"):
        SeedDatasetReader(SeedConfig(source=LocalFileSeedSource(path=str(tmp_path / "*.parquet")))).read(0, 1)


# ---------------------------------------------------------------- dataframe / hf
def test_dataframe_with_mixed_object_column_keeps_python_values() -> None:
    df = pd.DataFrame({"v": [1, "two", {"three": 3}]})
    reader = SeedDatasetReader(SeedConfig(source=DataFrameSeedSource(df=df)))
    assert reader.read(0, 3) == {"v": [1, "two", {"three": 3}]}


def test_dataframe_with_non_string_column_names_is_an_error() -> None:
    reader = SeedDatasetReader(SeedConfig(source=DataFrameSeedSource(df=pd.DataFrame({0: [1]}))))
    with pytest.raises(SeedReaderError, match="column names must be strings"):
        reader.read(0, 1)


def test_empty_dataframe_is_an_error() -> None:
    reader = SeedDatasetReader(SeedConfig(source=DataFrameSeedSource(df=pd.DataFrame({"a": []}))))
    with pytest.raises(SeedReaderError, match="DataFrameSeedSource is empty"):
        reader.num_rows()


def test_hugging_face_source_must_be_downloaded_first() -> None:
    reader = SeedDatasetReader(SeedConfig(source=HuggingFaceSeedSource(path="datasets/o/r/data/*.parquet")))
    for call in (reader.column_names, reader.num_rows, lambda: reader.read(0, 1)):
        with pytest.raises(SeedReaderError, match="download.*LocalFileSeedSource"):
            call()


# ---------------------------------------------------------------- directories
@pytest.fixture
def tree(tmp_path: Path) -> Path:
    root = tmp_path / "docs"
    (root / "sub").mkdir(parents=True)
    (root / "b.md").write_text("bee", encoding="utf-8")
    (root / "a.md").write_text("ay", encoding="utf-8")
    (root / "sub" / "c.md").write_text("sea", encoding="utf-8")
    (root / "Upper.MD").write_text("no", encoding="utf-8")
    (root / "notes.txt").write_text("txt", encoding="utf-8")
    return root


def test_directory_rows_are_sorted_manifest_entries(tree: Path) -> None:
    reader = SeedDatasetReader(SeedConfig(source=DirectorySeedSource(path=str(tree), file_pattern="*.md")))
    assert reader.column_names() == ["source_kind", "source_path", "relative_path", "file_name"]
    rows = reader.read(0, reader.num_rows())
    assert rows["relative_path"] == ["a.md", "b.md", "sub/c.md"]  # case-sensitive: Upper.MD excluded
    assert rows["file_name"] == ["a.md", "b.md", "c.md"]
    assert rows["source_kind"] == ["directory_file"] * 3
    assert rows["source_path"] == [str((tree / p).resolve()) for p in rows["relative_path"]]
    assert all(Path(p).is_absolute() for p in rows["source_path"])


def test_directory_non_recursive(tree: Path) -> None:
    reader = SeedDatasetReader(SeedConfig(source=DirectorySeedSource(path=str(tree), recursive=False)))
    assert reader.read(0, 10)["relative_path"][:4] == ["Upper.MD", "a.md", "b.md", "notes.txt"]
    assert reader.num_rows() == 4


def test_empty_or_missing_directory_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(SeedReaderError, match=r"no file matches file_pattern '\*\.md'"):
        SeedDatasetReader(SeedConfig(source=DirectorySeedSource(path=str(tmp_path), file_pattern="*.md"))).num_rows()
    with pytest.raises(SeedReaderError, match="does not exist"):
        SeedDatasetReader(SeedConfig(source=DirectorySeedSource(path=str(tmp_path / "missing")))).read(0, 1)
    (tmp_path / "file.txt").write_text("x")
    with pytest.raises(SeedReaderError, match="is not a directory"):
        SeedDatasetReader(SeedConfig(source=DirectorySeedSource(path=str(tmp_path / "file.txt")))).read(0, 1)


def test_file_contents_adds_content_column(tree: Path) -> None:
    config = SeedConfig(source=FileContentsSeedSource(path=str(tree), file_pattern="*.md"), sampling_strategy="shuffle")
    reader = SeedDatasetReader(config, seed=5)
    assert reader.column_names()[-1] == "content"
    rows = reader.read(0, 3)
    assert sorted(zip(rows["relative_path"], rows["content"], strict=True)) == [
        ("a.md", "ay"),
        ("b.md", "bee"),
        ("sub/c.md", "sea"),
    ]


def test_file_contents_uses_encoding_and_reports_decode_errors(tmp_path: Path) -> None:
    (tmp_path / "latin.txt").write_bytes("café".encode("latin-1"))
    latin = SeedDatasetReader(SeedConfig(source=FileContentsSeedSource(path=str(tmp_path), encoding="latin-1")))
    assert latin.read(0, 1)["content"] == ["café"]
    utf8 = SeedDatasetReader(SeedConfig(source=FileContentsSeedSource(path=str(tmp_path))))
    with pytest.raises(SeedReaderError, match=r"latin\.txt.*not valid utf-8.*encoding"):
        utf8.read(0, 1)


# ---------------------------------------------------------------- agent rollouts
def _claude_line(kind: str, content: Any, **extra: Any) -> dict[str, Any]:
    message = {"role": kind, "content": content, **extra.pop("message_extra", {})}
    return {
        "type": kind,
        "message": message,
        "sessionId": "sess-1",
        "cwd": "/work/proj",
        "gitBranch": "main",
        "isSidechain": False,
        "version": "2.0.1",
        **extra,
    }


@pytest.fixture
def claude_dir(tmp_path: Path) -> Path:
    root = tmp_path / "projects"
    tool_use = {"type": "tool_use", "id": "call-1", "name": "Bash", "input": {"command": "ls"}}
    _write_jsonl(
        root / "-work-proj" / "sess-1.jsonl",
        [
            {"type": "summary", "summary": "Listing files"},
            _claude_line("user", "list the files", timestamp="2025-01-01T00:00:00Z"),
            _claude_line("user", "<caveat>", isMeta=True, timestamp="2025-01-01T00:00:00Z"),
            _claude_line(
                "assistant",
                [{"type": "thinking", "thinking": "use ls"}, {"type": "text", "text": "Running ls."}],
                message_extra={"id": "msg-1", "model": "claude-x"},
                timestamp="2025-01-01T00:00:01Z",
            ),
            _claude_line(
                "assistant",
                [tool_use],
                message_extra={"id": "msg-1", "model": "claude-x"},
                timestamp="2025-01-01T00:00:02Z",
            ),
            _claude_line(
                "user",
                [{"type": "tool_result", "tool_use_id": "call-1", "content": [{"type": "text", "text": "a.txt"}]}],
                timestamp="2025-01-01T00:00:03Z",
            ),
            _claude_line(
                "assistant",
                [{"type": "text", "text": "There is a.txt."}],
                message_extra={"id": "msg-2", "model": "claude-x"},
                timestamp="2025-01-01T00:00:04Z",
            ),
        ],
        trailing='{"type": "user", "mess',  # half-written last line
    )
    _write_jsonl(
        root / "-work-proj" / "sess-1" / "subagents" / "agent-a1.jsonl",
        [
            _claude_line("user", "sub task", isSidechain=True, agentId="a1", timestamp="2025-01-01T00:00:05Z"),
            _claude_line("assistant", "done", isSidechain=True, agentId="a1", timestamp="2025-01-01T00:00:06Z"),
        ],
    )
    _write_jsonl(root / "-work-proj" / "summary-only.jsonl", [{"type": "summary", "summary": "nothing"}])
    return root


def test_claude_code_sessions_are_normalised(claude_dir: Path) -> None:
    source = AgentRolloutSeedSource(format="claude_code", path=str(claude_dir))
    reader = SeedDatasetReader(SeedConfig(source=source))
    assert reader.column_names() == ROLLOUT_COLUMNS
    assert reader.num_rows() == 2  # the summary-only file yields no row
    rows = reader.read(0, 2)
    main = {column: values[0] for column, values in rows.items()}
    assert main["trace_id"] == "sess-1" and main["root_session_id"] == "sess-1"
    assert (main["source_kind"], main["agent_id"], main["is_sidechain"]) == ("claude_code", None, False)
    assert (main["cwd"], main["project_path"], main["git_branch"]) == ("/work/proj", "/work/proj", "main")
    assert (main["started_at"], main["ended_at"]) == ("2025-01-01T00:00:00Z", "2025-01-01T00:00:04Z")
    assert main["source_path"].endswith("sess-1.jsonl")
    assert main["messages"] == [
        {"role": "user", "content": "list the files"},
        {
            "role": "assistant",
            "content": "Running ls.",
            "tool_calls": [
                {"id": "call-1", "type": "function", "function": {"name": "Bash", "arguments": '{"command": "ls"}'}}
            ],
            "reasoning_content": "use ls",
        },
        {"role": "tool", "content": "a.txt", "tool_call_id": "call-1"},
        {"role": "assistant", "content": "There is a.txt."},
    ]
    assert (main["message_count"], main["tool_call_count"]) == (4, 1)
    assert main["final_assistant_message"] == "There is a.txt."
    assert main["source_meta"]["skipped_lines"] == 1
    assert main["source_meta"]["models"] == ["claude-x"]
    sub = {column: values[1] for column, values in rows.items()}
    assert (sub["trace_id"], sub["root_session_id"], sub["agent_id"], sub["is_sidechain"]) == (
        "sess-1:a1",
        "sess-1",
        "a1",
        True,
    )
    assert sub["final_assistant_message"] == "done"


def test_codex_rollouts_are_normalised(tmp_path: Path) -> None:
    root = tmp_path / "sessions"
    meta = {
        "id": "codex-7",
        "timestamp": "2025-02-01T10:00:00Z",
        "cwd": "/repo",
        "cli_version": "0.40.0",
        "originator": "codex_cli_rs",
        "git": {"branch": "feature", "commit_hash": "abc", "repository_url": "git@x:y.git"},
    }

    def item(payload: dict[str, Any], ts: str) -> dict[str, Any]:
        return {"timestamp": ts, "type": "response_item", "payload": payload}

    _write_jsonl(
        root / "2025" / "02" / "01" / "rollout-1.jsonl",
        [
            {"timestamp": "2025-02-01T10:00:00Z", "type": "session_meta", "payload": meta},
            {"timestamp": "2025-02-01T10:00:00Z", "type": "turn_context", "payload": {"model": "gpt-5-codex"}},
            item(
                {"type": "message", "role": "developer", "content": [{"type": "input_text", "text": "rules"}]},
                "2025-02-01T10:00:00Z",
            ),
            item(
                {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "fix bug"}]},
                "2025-02-01T10:00:01Z",
            ),
            {
                "timestamp": "2025-02-01T10:00:01Z",
                "type": "event_msg",
                "payload": {"type": "user_message", "message": "fix bug"},
            },
            item(
                {"type": "reasoning", "summary": [{"type": "summary_text", "text": "look first"}]},
                "2025-02-01T10:00:02Z",
            ),
            item(
                {"type": "function_call", "name": "shell", "arguments": '{"cmd": ["cat", "a.py"]}', "call_id": "c1"},
                "2025-02-01T10:00:03Z",
            ),
            item({"type": "function_call_output", "call_id": "c1", "output": "print(1)"}, "2025-02-01T10:00:04Z"),
            item(
                {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "Fixed."}]},
                "2025-02-01T10:00:05Z",
            ),
        ],
    )
    reader = SeedDatasetReader(SeedConfig(source=AgentRolloutSeedSource(format="codex", path=str(root))))
    row = {column: values[0] for column, values in reader.read(0, 1).items()}
    assert (row["trace_id"], row["root_session_id"], row["source_kind"]) == ("codex-7", "codex-7", "codex")
    assert (row["cwd"], row["git_branch"], row["is_sidechain"], row["agent_id"]) == ("/repo", "feature", False, None)
    assert (row["started_at"], row["ended_at"]) == ("2025-02-01T10:00:00Z", "2025-02-01T10:00:05Z")
    assert [m["role"] for m in row["messages"]] == ["system", "user", "assistant", "tool", "assistant"]
    call_turn = row["messages"][2]
    assert call_turn["reasoning_content"] == "look first"
    assert call_turn["tool_calls"][0]["function"] == {"name": "shell", "arguments": '{"cmd": ["cat", "a.py"]}'}
    assert row["messages"][3] == {"role": "tool", "content": "print(1)", "tool_call_id": "c1"}
    assert (row["message_count"], row["tool_call_count"], row["final_assistant_message"]) == (5, 1, "Fixed.")
    assert row["source_meta"]["models"] == ["gpt-5-codex"]
    assert row["source_meta"]["git_commit"] == "abc"


def test_codex_early_layout_uses_file_stem_without_meta_id(tmp_path: Path) -> None:
    _write_jsonl(
        tmp_path / "rollout-old.jsonl",
        [
            {"timestamp": "2025-01-01T00:00:00Z", "instructions": None, "git": None},
            {"type": "message", "role": "user", "content": [{"type": "input_text", "text": "hi"}]},
            {"record_type": "state"},
            {"type": "message", "role": "assistant", "content": [{"type": "output_text", "text": "hello"}]},
        ],
    )
    reader = SeedDatasetReader(SeedConfig(source=AgentRolloutSeedSource(format="codex", path=str(tmp_path))))
    rows = reader.read(0, 1)
    assert rows["trace_id"] == ["rollout-old"]
    assert rows["messages"] == [[{"role": "user", "content": "hi"}, {"role": "assistant", "content": "hello"}]]


@pytest.mark.parametrize("fmt", ["hermes_agent", "pi_coding_agent", "atif"])
def test_unsupported_rollout_formats_say_so(tmp_path: Path, fmt: str) -> None:
    reader = SeedDatasetReader(SeedConfig(source=AgentRolloutSeedSource(format=fmt, path=str(tmp_path))))
    with pytest.raises(SeedReaderError, match=f"'{fmt}' is not supported yet.*claude_code, codex"):
        reader.column_names()


def test_rollout_directory_without_conversations_is_an_error(tmp_path: Path) -> None:
    _write_jsonl(tmp_path / "x.jsonl", [{"type": "summary"}])
    reader = SeedDatasetReader(SeedConfig(source=AgentRolloutSeedSource(format="claude_code", path=str(tmp_path))))
    with pytest.raises(SeedReaderError, match="none holds a claude_code conversation"):
        reader.num_rows()
    empty = tmp_path / "empty"
    empty.mkdir()
    reader = SeedDatasetReader(SeedConfig(source=AgentRolloutSeedSource(format="codex", path=str(empty))))
    with pytest.raises(SeedReaderError, match="no file matches"):
        reader.num_rows()


# ---------------------------------------------------------------- generator and registry
def test_generator_delegates_to_reader_and_ignores_rng() -> None:
    generator = SeedDatasetGenerator(_df_config(4, sampling_strategy="shuffle"), GeneratorContext(), seed=11)
    assert generator.strategy == "from_scratch"
    assert generator.output_columns == ["i", "s"]
    first = generator.generate(offset=2, num_rows=5, rng=np.random.default_rng(0))
    second = generator.generate(offset=2, num_rows=5, rng=np.random.default_rng(99))
    assert first == second == SeedDatasetReader(_df_config(4, sampling_strategy="shuffle"), seed=11).read(2, 5)


class _ConstSource(SeedSource):
    seed_type: str = "const-test"
    value: int = 1


class _ConstReader(SeedSourceReader):
    seed_type = "const-test"

    def _load(self) -> ColumnsSeedTable:
        return ColumnsSeedTable({"v": [self.source.value] * 2})


def test_registry_accepts_plugin_readers_and_rejects_unknown_types(monkeypatch) -> None:
    monkeypatch.setattr(seed_readers, "SEED_SOURCE_READERS", dict(seed_readers.SEED_SOURCE_READERS))
    register_seed_source_reader(_ConstReader)
    assert isinstance(create_seed_source_reader(_ConstSource(value=4)), _ConstReader)
    reader = SeedDatasetReader(SeedConfig.model_construct(source=_ConstSource(value=4), sampling_strategy="ordered"))
    assert reader.read(0, 3) == {"v": [4, 4, 4]}
    seed_readers.SEED_SOURCE_READERS.pop("const-test")
    with pytest.raises(SeedReaderConfigError, match="no seed reader is registered for seed_type 'const-test'"):
        create_seed_source_reader(_ConstSource())
