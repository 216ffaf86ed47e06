"""Turning a ``CONFIG_SOURCE`` argument into a ``DataDesignerConfigBuilder``.

A source is a local or http(s) ``.yaml/.yml/.json`` file, or a local ``.py`` script defining
``load_config_builder()`` (zero arguments, or one :class:`DataDesignerScriptParams` carrying the arguments given
after ``--``). Every way this can go wrong becomes a :class:`DataDesignerError` whose message names the source and
what to change, so the CLI prints one line instead of a traceback. Script failures keep the script's own line.
"""

from __future__ import annotations

import importlib.util
import inspect
import sys
import traceback
import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any
from urllib.parse import urlparse

from data_designer.errors import (
    BuilderConfigurationError,
    DataDesignerError,
    InvalidFileFormatError,
    InvalidFilePathError,
)

if TYPE_CHECKING:
    from data_designer.config.config_builder import DataDesignerConfigBuilder

__all__ = ["CONFIG_FILE_SUFFIXES", "SCRIPT_ENTRY_POINT", "load_config_builder"]

CONFIG_FILE_SUFFIXES = (".yaml", ".yml", ".json")
SCRIPT_ENTRY_POINT = "load_config_builder"


def _is_url(source: str) -> bool:
    return source.startswith(("http://", "https://"))


def _suffix(source: str) -> str:
    path = urlparse(source).path if _is_url(source) else source
    return Path(path).suffix.lower()


def load_config_builder(source: str, argv: Sequence[str] = ()) -> DataDesignerConfigBuilder:
    """Load ``source``; ``argv`` (the arguments after ``--``) is only allowed for ``.py`` scripts."""
    suffix = _suffix(source)
    if suffix == ".py":
        if _is_url(source):
            raise InvalidFilePathError(
                f"config source {source}: remote .py scripts are not run; download it and pass the local path"
            )
        return _load_script(Path(source).expanduser(), tuple(argv))
    if suffix not in CONFIG_FILE_SUFFIXES:
        raise InvalidFileFormatError(
            f"config source {source}: unsupported file type {suffix or '(no extension)'!r}; "
            "use a .yaml, .yml or .json config, or a .py script defining load_config_builder()"
        )
    if argv:
        raise BuilderConfigurationError(
            f"config source {source}: arguments after '--' ({' '.join(argv)}) are only passed to .py scripts; "
            "remove them or use a .py config"
        )
    if not _is_url(source):
        path = Path(source).expanduser()
        if not path.is_file():
            raise InvalidFilePathError(f"config source not found: {path}; check the path")
    from data_designer.config.config_builder import DataDesignerConfigBuilder

    return DataDesignerConfigBuilder.from_config(source)


def _script_failure(path: Path, exc: BaseException) -> str:
    """``ExcType: message (path:line)`` using the deepest frame that belongs to the script."""
    line = None
    for frame in traceback.extract_tb(exc.__traceback__):
        if Path(frame.filename).resolve() == path.resolve():
            line = frame.lineno
    where = f" (line {line})" if line is not None else ""
    return f"{type(exc).__name__}: {exc}{where}"


def _load_script(path: Path, argv: tuple[str, ...]) -> DataDesignerConfigBuilder:
    if not path.is_file():
        raise InvalidFilePathError(f"config script not found: {path}; check the path")
    module = _exec_script(path)
    entry = getattr(module, SCRIPT_ENTRY_POINT, None)
    if not callable(entry):
        raise BuilderConfigurationError(
            f"config script {path} does not define {SCRIPT_ENTRY_POINT}(); add a function "
            f"'def {SCRIPT_ENTRY_POINT}(params=None)' that returns a DataDesignerConfigBuilder"
        )
    builder = _call_entry(path, entry, argv)
    return _as_builder(path, builder)


def _exec_script(path: Path) -> Any:
    name = f"_data_designer_config_script_{uuid.uuid4().hex}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise InvalidFilePathError(f"config script {path} cannot be loaded as a Python module")
    module = importlib.util.module_from_spec(spec)
    script_dir = str(path.resolve().parent)
    sys.path.insert(0, script_dir)  # let the script import its sibling modules
    sys.modules[name] = module
    try:
        spec.loader.exec_module(module)
    except SyntaxError as exc:
        raise BuilderConfigurationError(
            f"config script {path} has a syntax error at line {exc.lineno}: {exc.msg}; fix the script"
        ) from exc
    except DataDesignerError:
        raise
    except Exception as exc:
        raise BuilderConfigurationError(
            f"config script {path} failed while being imported: {_script_failure(path, exc)}"
        ) from exc
    finally:
        if sys.path and sys.path[0] == script_dir:
            sys.path.pop(0)
    return module


def _call_entry(path: Path, entry: Any, argv: tuple[str, ...]) -> Any:
    from data_designer.config.scheduling import DataDesignerScriptParams

    try:
        signature = inspect.signature(entry)
    except (TypeError, ValueError):
        signature = None
    required = (
        [
            p
            for p in signature.parameters.values()
            if p.default is inspect.Parameter.empty and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)
        ]
        if signature is not None
        else []
    )
    accepts_one = signature is None or any(
        p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD, p.VAR_POSITIONAL) for p in signature.parameters.values()
    )
    if len(required) > 1:
        raise BuilderConfigurationError(
            f"config script {path}: {SCRIPT_ENTRY_POINT}() must take no argument or one DataDesignerScriptParams, "
            f"it requires {len(required)}"
        )
    if not accepts_one and argv:
        raise BuilderConfigurationError(
            f"config script {path}: arguments were given after '--' but {SCRIPT_ENTRY_POINT}() takes no parameter; "
            f"declare 'def {SCRIPT_ENTRY_POINT}(params: DataDesignerScriptParams)' to receive them"
        )
    try:
        if accepts_one:
            return entry(DataDesignerScriptParams(argv=argv))
        return entry()
    except DataDesignerError:
        raise
    except SystemExit as exc:  # e.g. argparse inside the script rejecting its arguments
        raise BuilderConfigurationError(
            f"config script {path}: {SCRIPT_ENTRY_POINT}() exited (code {exc.code}); check the arguments after '--'"
        ) from exc
    except Exception as exc:
        raise BuilderConfigurationError(
            f"config script {path}: {SCRIPT_ENTRY_POINT}() raised {_script_failure(path, exc)}"
        ) from exc


def _as_builder(path: Path, value: Any) -> DataDesignerConfigBuilder:
    from data_designer.config.config_builder import DataDesignerConfigBuilder
    from data_designer.config.data_designer_config import DataDesignerConfig

    if isinstance(value, DataDesignerConfigBuilder):
        return value
    if isinstance(value, DataDesignerConfig):
        return DataDesignerConfigBuilder.from_config(value)
    raise BuilderConfigurationError(
        f"config script {path}: {SCRIPT_ENTRY_POINT}() returned {type(value).__name__}; "
        "return a DataDesignerConfigBuilder"
    )
