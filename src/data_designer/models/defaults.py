"""Default providers and model aliases, and the YAML files under ``$DATA_DESIGNER_HOME`` that hold them.

First use writes ``model_providers.yaml`` (``providers: [...]``) and ``model_configs.yaml`` (``model_configs: [...]``)
so users can edit them by hand or through ``data-designer config``; existing files are never overwritten. Writes are
atomic (tmp + fsync + rename) so an interrupted CLI command cannot leave a half-written config behind.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from data_designer.config.models import (
    ChatCompletionInferenceParams,
    EmbeddingInferenceParams,
    ModelConfig,
    ModelProvider,
)
from data_designer.errors import InvalidFileFormatError

__all__ = [
    "MODEL_CONFIGS_FILE",
    "MODEL_PROVIDERS_FILE",
    "data_designer_home",
    "default_model_configs",
    "default_model_providers",
    "ensure_default_files",
    "load_model_configs",
    "load_model_providers",
    "mask_secret",
    "model_configs_path",
    "model_providers_path",
    "save_model_configs",
    "save_model_providers",
]

MODEL_PROVIDERS_FILE = "model_providers.yaml"
MODEL_CONFIGS_FILE = "model_configs.yaml"

_PROVIDERS: tuple[tuple[str, str, str], ...] = (
    ("nvidia", "https://integrate.api.nvidia.com/v1", "NVIDIA_API_KEY"),
    ("openai", "https://api.openai.com/v1", "OPENAI_API_KEY"),
    ("openrouter", "https://openrouter.ai/api/v1", "OPENROUTER_API_KEY"),
)

# provider -> role -> (model, params); alias = f"{provider}-{role}"
_CHAT = ChatCompletionInferenceParams
_MODELS: dict[str, dict[str, tuple[str, Any]]] = {
    "nvidia": {
        "text": ("nvidia/nemotron-3-nano-30b-a3b", _CHAT(temperature=1.0, top_p=1.0)),
        "reasoning": (
            "nvidia/nemotron-3-super-120b-a12b",
            _CHAT(temperature=1.0, top_p=0.95, extra_body={"reasoning_effort": "medium"}),
        ),
        "vision": ("nvidia/nemotron-3-nano-omni-30b-a3b-reasoning", _CHAT(temperature=0.6, top_p=0.95)),
        "embedding": (
            "nvidia/llama-nemotron-embed-1b-v2",
            EmbeddingInferenceParams(encoding_format="float", extra_body={"input_type": "query"}),
        ),
    },
    "openai": {
        "text": ("gpt-4.1", _CHAT(temperature=0.85, top_p=0.95)),
        "reasoning": ("gpt-5", _CHAT(extra_body={"reasoning_effort": "medium"})),
        "vision": ("gpt-5", _CHAT()),
        "embedding": ("text-embedding-3-large", EmbeddingInferenceParams()),
    },
    "openrouter": {
        "text": ("nvidia/nemotron-3-nano-30b-a3b", _CHAT(temperature=1.0, top_p=1.0)),
        "reasoning": ("openai/gpt-oss-20b", _CHAT(temperature=0.35, top_p=0.95)),
        "vision": ("nvidia/nemotron-3-nano-omni-30b-a3b-reasoning:free", _CHAT()),
        "embedding": ("openai/text-embedding-3-large", EmbeddingInferenceParams()),
    },
}


def data_designer_home() -> Path:
    home = os.environ.get("DATA_DESIGNER_HOME")
    return Path(home).expanduser() if home else Path.home() / ".data-designer"


def model_providers_path(home: Path | None = None) -> Path:
    return (home or data_designer_home()) / MODEL_PROVIDERS_FILE


def model_configs_path(home: Path | None = None) -> Path:
    return (home or data_designer_home()) / MODEL_CONFIGS_FILE


def default_model_providers() -> list[ModelProvider]:
    return [ModelProvider(name=n, endpoint=e, provider_type="openai", api_key=k) for n, e, k in _PROVIDERS]


def default_model_configs() -> list[ModelConfig]:
    return [
        ModelConfig(
            alias=f"{provider}-{role}", model=model, provider=provider, inference_parameters=params.model_copy()
        )
        for provider, roles in _MODELS.items()
        for role, (model, params) in roles.items()
    ]


def ensure_default_files(home: Path | None = None) -> Path:
    """Create the home directory and any missing default YAML file; returns the home directory."""
    home = home or data_designer_home()
    home.mkdir(parents=True, exist_ok=True)
    if not model_providers_path(home).exists():
        save_model_providers(default_model_providers(), home)
    if not model_configs_path(home).exists():
        save_model_configs(default_model_configs(), home)
    return home


def _write_yaml_atomic(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.safe_dump(data, sort_keys=False, allow_unicode=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def _read_yaml_list(path: Path, key: str) -> list[dict[str, Any]]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        raise InvalidFileFormatError(
            f"{path} is not valid YAML ({exc}); fix it or delete it to restore defaults"
        ) from exc
    if not isinstance(data, dict) or not isinstance(data.get(key, []), list):
        raise InvalidFileFormatError(f"{path} must be a mapping with a list under '{key}:'")
    return data.get(key) or []


def _validate_entries(path: Path, entries: list[dict[str, Any]], cls: type) -> list:
    items = []
    for index, entry in enumerate(entries):
        try:
            items.append(cls.model_validate(entry))
        except ValidationError as exc:
            name = entry.get("name") or entry.get("alias") if isinstance(entry, dict) else None
            raise InvalidFileFormatError(
                f"{path}: entry {index} ({name or 'unnamed'}) is not a valid {cls.__name__}: "
                f"{exc.errors()[0]['loc']}: {exc.errors()[0]['msg']}; fix that entry"
            ) from exc
    return items


def load_model_providers(home: Path | None = None) -> list[ModelProvider]:
    path = model_providers_path(home)
    if not path.exists():
        return []
    return _validate_entries(path, _read_yaml_list(path, "providers"), ModelProvider)


def load_model_configs(home: Path | None = None) -> list[ModelConfig]:
    path = model_configs_path(home)
    if not path.exists():
        return []
    return _validate_entries(path, _read_yaml_list(path, "model_configs"), ModelConfig)


def save_model_providers(providers: Sequence[ModelProvider], home: Path | None = None) -> Path:
    path = model_providers_path(home)
    _write_yaml_atomic(path, {"providers": [p.model_dump(mode="json", exclude_none=True) for p in providers]})
    return path


def save_model_configs(model_configs: Sequence[ModelConfig], home: Path | None = None) -> Path:
    path = model_configs_path(home)
    _write_yaml_atomic(path, {"model_configs": [m.model_dump(mode="json", exclude_none=True) for m in model_configs]})
    return path


def mask_secret(api_key: str | None) -> str:
    """How the CLI shows an ``api_key``: env-var names as-is (they are not secret), literal keys masked."""
    from data_designer.models.secrets import looks_like_env_var_name

    if not api_key:
        return "(none)"
    if looks_like_env_var_name(api_key):
        return api_key
    return "****" + api_key[-4:] if len(api_key) > 12 else "****"
