"""Where seed rows come from: one config class per kind of source, discriminated on ``seed_type``.

These are declarations only. Reading happens in ``data_designer.generators.seed_reader``; the one piece of I/O done
here is checking that a :class:`LocalFileSeedSource` points at something that exists, so that a typo fails when the
config is written rather than minutes into a run. ``import data_designer.config`` must stay light, so neither pandas
nor pyarrow is imported at module import time (pandas itself pulls in pyarrow).
"""

from __future__ import annotations

import codecs
import glob
import os
import sys
import tempfile
from enum import Enum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, ClassVar, Literal

from pydantic import Field, field_validator, model_validator

from data_designer.config.base import ConfigBase
from data_designer.errors import InvalidFileFormatError, InvalidFilePathError

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "SUPPORTED_SEED_FILE_EXTENSIONS",
    "SeedSource",
    "FileSystemSeedSource",
    "LocalFileSeedSource",
    "HuggingFaceSeedSource",
    "DataFrameSeedSource",
    "DirectorySeedSource",
    "FileContentsSeedSource",
    "AgentRolloutFormat",
    "AgentRolloutSeedSource",
    "SeedSourceT",
]

SUPPORTED_SEED_FILE_EXTENSIONS: tuple[str, ...] = (".parquet", ".csv", ".json", ".jsonl")
_GLOB_CHARS = ("*", "?", "[")


class SeedSource(ConfigBase):
    """Base of every seed source; subclasses pin ``seed_type`` to a literal (the union discriminator)."""

    seed_type: str


def _describe_extensions() -> str:
    return ", ".join(SUPPORTED_SEED_FILE_EXTENSIONS)


def _has_glob(text: str) -> bool:
    return any(char in text for char in _GLOB_CHARS)


def resolve_local_seed_files(path: str) -> list[Path]:
    """Files named by a :class:`LocalFileSeedSource` path (a file, or a glob such as ``data/*.parquet``), sorted.

    Shared by the config validator and the reader so both agree on what a wildcard means.
    """
    expanded = os.path.expanduser(path)
    if _has_glob(expanded):
        return sorted(Path(match) for match in glob.glob(expanded) if Path(match).is_file())
    candidate = Path(expanded)
    return [candidate] if candidate.is_file() else []


class LocalFileSeedSource(SeedSource):
    """A parquet/CSV/JSON/JSONL file, or a wildcard such as ``data/*.parquet`` (union of matches in sorted order)."""

    seed_type: Literal["local"] = "local"
    path: str

    @field_validator("path")
    @classmethod
    def _validate_path(cls, path: str) -> str:
        suffix = Path(path).suffix.lower()
        if suffix not in SUPPORTED_SEED_FILE_EXTENSIONS:
            raise InvalidFileFormatError(
                f"LocalFileSeedSource.path {path!r} has unsupported extension {suffix or '(none)'!r}; "
                f"use a file (or a wildcard such as 'data/*.parquet') ending in one of: {_describe_extensions()}"
            )
        if not resolve_local_seed_files(path):
            what = "no file matches the wildcard" if _has_glob(path) else "the file does not exist"
            raise InvalidFilePathError(
                f"LocalFileSeedSource.path {path!r}: {what}; point it at an existing {_describe_extensions()} file "
                "or a wildcard that matches at least one"
            )
        return path

    @classmethod
    def from_dataframe(cls, df: pd.DataFrame, path: str | Path) -> LocalFileSeedSource:
        """Write ``df`` to a parquet file at ``path`` (atomically) and return a source reading it back."""
        target = Path(path)
        if target.suffix.lower() != ".parquet":
            raise InvalidFileFormatError(
                f"LocalFileSeedSource.from_dataframe writes parquet; give a path ending in '.parquet', got {str(path)!r}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
        os.close(fd)
        try:
            df.to_parquet(tmp_name, index=False)
            os.replace(tmp_name, target)
        finally:
            if os.path.exists(tmp_name):
                os.unlink(tmp_name)
        return cls(path=str(target))


class HuggingFaceSeedSource(SeedSource):
    """A dataset on the Hugging Face Hub, e.g. ``datasets/<owner>/<repo>/data/*.parquet``.

    ``token`` is resolved through the secret resolver (env-var name or literal) by whoever reads the source.
    """

    seed_type: Literal["hf"] = "hf"
    path: str
    token: str | None = None
    endpoint: str = "https://huggingface.co"

    @field_validator("path")
    @classmethod
    def _validate_path(cls, path: str) -> str:
        if not path.strip():
            raise ValueError(
                "HuggingFaceSeedSource.path must be non-empty, e.g. 'datasets/<owner>/<repo>/data/*.parquet'"
            )
        return path


class DataFrameSeedSource(SeedSource):
    """An in-memory pandas DataFrame. It is excluded from dumps: configs using it cannot be written to YAML/JSON."""

    seed_type: Literal["df"] = "df"
    df: Annotated[Any, Field(exclude=True, description="pandas.DataFrame (not serialisable)")]

    @field_validator("df")
    @classmethod
    def _validate_df(cls, df: Any) -> Any:
        # A DataFrame can only exist if pandas was imported already, so checking sys.modules keeps config light.
        pandas = sys.modules.get("pandas")
        if pandas is None or not isinstance(df, pandas.DataFrame):
            raise ValueError(f"DataFrameSeedSource.df must be a pandas.DataFrame, got {type(df).__name__}")
        return df


def _check_file_pattern(file_pattern: str) -> str:
    if not file_pattern or "/" in file_pattern or "\\" in file_pattern:
        raise ValueError(
            f"file_pattern {file_pattern!r} must be a non-empty glob on file names (no directory separators), "
            "e.g. '*.md'; use recursive=True to search sub-directories"
        )
    return file_pattern


class FileSystemSeedSource(SeedSource):
    """Base of sources whose rows are files found under a directory (basename glob, case-sensitive)."""

    path: str
    file_pattern: str = "*"
    recursive: bool = True

    @field_validator("file_pattern")
    @classmethod
    def _validate_file_pattern(cls, file_pattern: str) -> str:
        return _check_file_pattern(file_pattern)


class DirectorySeedSource(FileSystemSeedSource):
    """One row per matching file: ``source_kind, source_path, relative_path, file_name``."""

    seed_type: Literal["directory"] = "directory"


class FileContentsSeedSource(FileSystemSeedSource):
    """Like :class:`DirectorySeedSource`, plus a ``content`` column holding each file's text."""

    seed_type: Literal["file_contents"] = "file_contents"
    encoding: str = "utf-8"

    @field_validator("encoding")
    @classmethod
    def _validate_encoding(cls, encoding: str) -> str:
        try:
            codecs.lookup(encoding)
        except LookupError as exc:
            raise ValueError(f"FileContentsSeedSource.encoding {encoding!r} is not a known text encoding") from exc
        return encoding


class AgentRolloutFormat(str, Enum):
    ATIF = "atif"
    CLAUDE_CODE = "claude_code"
    CODEX = "codex"
    HERMES_AGENT = "hermes_agent"
    PI_CODING_AGENT = "pi_coding_agent"


class AgentRolloutSeedSource(SeedSource):
    """Existing coding-agent session logs, normalised to one row per trace.

    ``path`` and ``file_pattern`` default per format and are filled in at validation, so a dumped config states
    exactly what will be read (``~`` is kept unexpanded so the config stays portable).
    """

    DEFAULT_PATHS: ClassVar[dict[str, str | None]] = {
        AgentRolloutFormat.ATIF.value: None,
        AgentRolloutFormat.CLAUDE_CODE.value: "~/.claude/projects",
        AgentRolloutFormat.CODEX.value: "~/.codex/sessions",
        AgentRolloutFormat.HERMES_AGENT.value: "~/.hermes/sessions",
        AgentRolloutFormat.PI_CODING_AGENT.value: "~/.pi/agent/sessions",
    }
    DEFAULT_FILE_PATTERNS: ClassVar[dict[str, str]] = {
        AgentRolloutFormat.ATIF.value: "*.json",
        AgentRolloutFormat.CLAUDE_CODE.value: "*.jsonl",
        AgentRolloutFormat.CODEX.value: "*.jsonl",
        AgentRolloutFormat.HERMES_AGENT.value: "*.json*",
        AgentRolloutFormat.PI_CODING_AGENT.value: "*.jsonl",
    }

    seed_type: Literal["agent_rollout"] = "agent_rollout"
    format: AgentRolloutFormat
    path: str | None = None
    file_pattern: str | None = None
    recursive: bool = True

    @model_validator(mode="after")
    def _fill_format_defaults(self) -> AgentRolloutSeedSource:
        fmt = AgentRolloutFormat(self.format).value
        if self.path is None:
            default_path = self.DEFAULT_PATHS[fmt]
            if default_path is None:
                raise ValueError(f"AgentRolloutSeedSource.path is required for format {fmt!r} (it has no default)")
            self.path = default_path
        if self.file_pattern is None:
            self.file_pattern = self.DEFAULT_FILE_PATTERNS[fmt]
        _check_file_pattern(self.file_pattern)
        return self


SeedSourceT = Annotated[
    LocalFileSeedSource
    | HuggingFaceSeedSource
    | DataFrameSeedSource
    | DirectorySeedSource
    | FileContentsSeedSource
    | AgentRolloutSeedSource,
    Field(discriminator="seed_type"),
]
