"""Small public types used by plugins and CLI scripts."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from data_designer.errors import DataDesignerError

__all__ = ["DataDesignerScriptParams", "SchedulingMetadata", "SchedulingMetadataError"]


@dataclass(frozen=True)
class DataDesignerScriptParams:
    """Arguments after ``--`` on the CLI, passed to a ``.py`` config's ``load_config_builder(params)``."""

    argv: tuple[str, ...] = field(default_factory=tuple)


class SchedulingMetadataError(DataDesignerError):
    pass


@dataclass(frozen=True)
class SchedulingMetadata:
    kind: Literal["local", "model", "custom_model"] = "local"
    identity: tuple = ()
    weight: int = 1

    def __post_init__(self) -> None:
        if self.weight < 1:
            raise SchedulingMetadataError(f"scheduling weight must be >= 1, got {self.weight}")
