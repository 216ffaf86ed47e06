"""Reading configs from YAML/JSON text, files and URLs, with errors that point at the line or field to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from data_designer.errors import BuilderSerializationError, InvalidConfigError

__all__ = ["format_validation_error", "load_config_mapping", "parse_config_text"]


def parse_config_text(text: str, *, fmt: str, origin: str) -> dict[str, Any]:
    """Parse YAML or JSON text into a mapping; parse errors name the origin, line and column."""
    if fmt == "json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as exc:
            raise BuilderSerializationError(
                f"{origin}: invalid JSON at line {exc.lineno}, column {exc.colno}: {exc.msg}"
            ) from exc
    else:
        import yaml

        try:
            data = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            where = f" at line {mark.line + 1}, column {mark.column + 1}" if mark is not None else ""
            problem = getattr(exc, "problem", None) or str(exc)
            raise BuilderSerializationError(f"{origin}: invalid YAML{where}: {problem}") from exc
    if not isinstance(data, dict):
        raise BuilderSerializationError(
            f"{origin}: a config must be a mapping with 'columns' (or 'data_designer'), got {type(data).__name__}"
        )
    return data


def load_config_mapping(source: str | Path) -> dict[str, Any]:
    """Load a mapping from a local ``.yaml/.yml/.json`` file or an http(s) URL."""
    text_source = str(source)
    if text_source.startswith(("http://", "https://")):
        import urllib.request

        try:
            with urllib.request.urlopen(text_source, timeout=30) as response:  # noqa: S310 - user-provided URL
                text = response.read().decode("utf-8")
        except OSError as exc:
            raise BuilderSerializationError(f"could not fetch config from {text_source}: {exc}") from exc
        fmt = "json" if text_source.split("?")[0].endswith(".json") else "yaml"
        return parse_config_text(text, fmt=fmt, origin=text_source)
    path = Path(source).expanduser()
    if path.suffix.lower() not in (".yaml", ".yml", ".json"):
        raise BuilderSerializationError(f"{path}: config files must end in .yaml, .yml or .json")
    if not path.is_file():
        raise BuilderSerializationError(f"config file not found: {path}")
    fmt = "json" if path.suffix.lower() == ".json" else "yaml"
    return parse_config_text(path.read_text(encoding="utf-8"), fmt=fmt, origin=str(path))


def _describe_location(loc: tuple, data: Any) -> str:
    parts: list[str] = []
    node = data
    for item in loc:
        if isinstance(item, int) and isinstance(node, list) and item < len(node):
            node = node[item]
            name = node.get("name") if isinstance(node, dict) else None
            parts.append(f"[{item}]" + (f" (column {name!r})" if name and parts and parts[-1] == "columns" else ""))
            continue
        if isinstance(node, dict) and item in node:
            node = node[item]
            parts.append(str(item))
        elif isinstance(item, str) and ("-" in item or "_" in item) and isinstance(node, dict):
            continue  # discriminator tag inserted by pydantic
        else:
            parts.append(str(item))
    return ".".join(parts).replace(".[", "[")


def format_validation_error(exc: ValidationError, data: Any, *, what: str = "config") -> InvalidConfigError:
    lines = []
    for error in exc.errors(include_url=False):
        where = _describe_location(tuple(error.get("loc", ())), data) or "(top level)"
        message = error.get("msg", "").removeprefix("Value error, ")
        lines.append(f"  - {where}: {message}")
    return InvalidConfigError(f"invalid {what}:\n" + "\n".join(lines))
