"""The config fingerprint: what must be unchanged for a resumed run to continue the same dataset.

Excluded on purpose (they change speed, not content): profilers, ``skip_health_check``, ``max_parallel_requests``,
``timeout``, tool ``timeout_sec``, Hugging Face seed ``token``/``endpoint``. Model and tool lists are order-free.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

__all__ = ["FINGERPRINT_ALGO", "FINGERPRINT_VERSION", "fingerprint_config_dict"]

FINGERPRINT_ALGO = "sha256"
FINGERPRINT_VERSION = 2


def _collapse(value: Any) -> Any:
    if isinstance(value, dict):
        out = {}
        for key, item in value.items():
            item = _collapse(item)
            if item is None or item == [] or item == {}:
                continue
            out[key] = item
        return out
    if isinstance(value, list):
        return [_collapse(v) for v in value]
    return value


def _canonical(config: dict[str, Any]) -> dict[str, Any]:
    config = json.loads(json.dumps(config, default=str))  # deep copy with JSON types only
    config.pop("profilers", None)
    for model in config.get("model_configs") or []:
        model.pop("skip_health_check", None)
        params = model.get("inference_parameters") or {}
        params.pop("max_parallel_requests", None)
        params.pop("timeout", None)
    if config.get("model_configs"):
        config["model_configs"] = sorted(config["model_configs"], key=lambda m: m.get("alias", ""))
    for tool in config.get("tool_configs") or []:
        tool.pop("timeout_sec", None)
    if config.get("tool_configs"):
        config["tool_configs"] = sorted(config["tool_configs"], key=lambda t: t.get("tool_alias", ""))
    source = (config.get("seed_config") or {}).get("source") or {}
    if source.get("seed_type") == "hf":
        source.pop("token", None)
        source.pop("endpoint", None)
    return _collapse(config)


def fingerprint_config_dict(config: dict[str, Any]) -> dict[str, Any]:
    """Fingerprint of a ``DataDesignerConfig`` dict (as produced by ``to_dict()``, plus custom-function detail)."""
    text = json.dumps(_canonical(config), sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()
    return {
        "config_hash": f"{FINGERPRINT_ALGO}:{digest}",
        "config_hash_algo": FINGERPRINT_ALGO,
        "config_hash_version": FINGERPRINT_VERSION,
    }
