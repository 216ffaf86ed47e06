"""Resolving provider API keys without ever echoing them.

A provider's ``api_key`` is either the *name* of an environment variable (the usual case, e.g. ``NVIDIA_API_KEY``)
or a literal key. Resolvers are tried in order; the first that knows the secret wins. A value spelled like an env-var
name (``UPPER_CASE_WITH_UNDERSCORES``) that no resolver could look up is treated as a missing variable rather than
sent as a literal key, so users get "set NVIDIA_API_KEY" instead of a confusing 401. No message, log line or repr
here contains a secret value.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Protocol, runtime_checkable

from data_designer.errors import SecretResolutionError

__all__ = [
    "CompositeResolver",
    "EnvironmentResolver",
    "PlaintextResolver",
    "SecretResolver",
    "SecretsFileResolver",
    "default_secret_resolver",
    "looks_like_env_var_name",
    "providers_missing_keys",
    "resolve_api_key",
]

_ENV_VAR_NAME = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def looks_like_env_var_name(value: str) -> bool:
    return bool(_ENV_VAR_NAME.match(value))


@runtime_checkable
class SecretResolver(Protocol):
    def resolve(self, secret: str) -> str:
        """Return the secret's value or raise :class:`SecretResolutionError` (without the value in the message)."""
        ...


class EnvironmentResolver:
    def __init__(self, environ: Mapping[str, str] | None = None) -> None:
        self._environ = environ if environ is not None else os.environ

    def resolve(self, secret: str) -> str:
        value = self._environ.get(secret)
        if not value:
            raise SecretResolutionError(f"environment variable {secret} is not set")
        return value

    def __repr__(self) -> str:
        return "EnvironmentResolver()"


class PlaintextResolver:
    """Treats the configured string as the key itself."""

    def resolve(self, secret: str) -> str:
        if not secret:
            raise SecretResolutionError("empty secret")
        return secret

    def __repr__(self) -> str:
        return "PlaintextResolver()"


class SecretsFileResolver:
    """Looks secrets up in a JSON object file ``{"NAME": "value", ...}``, read once on first use."""

    def __init__(self, path: str | Path) -> None:
        self._path = Path(path)
        self._secrets: dict[str, str] | None = None

    def _load(self) -> dict[str, str]:
        if self._secrets is None:
            try:
                data = json.loads(self._path.read_text(encoding="utf-8"))
            except FileNotFoundError as exc:
                raise SecretResolutionError(
                    f"secrets file {self._path} does not exist; create it or fix the path"
                ) from exc
            except ValueError as exc:
                raise SecretResolutionError(
                    f"secrets file {self._path} is not valid JSON (expected an object)"
                ) from exc
            if not isinstance(data, dict):
                raise SecretResolutionError(f"secrets file {self._path} must hold a JSON object of name -> value")
            self._secrets = {str(k): str(v) for k, v in data.items()}
        return self._secrets

    def resolve(self, secret: str) -> str:
        value = self._load().get(secret)
        if not value:
            raise SecretResolutionError(f"secret {secret!r} is not in {self._path}")
        return value

    def __repr__(self) -> str:
        return f"SecretsFileResolver({str(self._path)!r})"


class CompositeResolver:
    def __init__(self, resolvers: Iterable[SecretResolver]) -> None:
        self.resolvers = list(resolvers)
        if not self.resolvers:
            raise ValueError("CompositeResolver needs at least one resolver")

    def resolve(self, secret: str) -> str:
        reasons = []
        for resolver in self.resolvers:
            try:
                return resolver.resolve(secret)
            except SecretResolutionError as exc:
                reasons.append(str(exc))
        raise SecretResolutionError("; ".join(reasons))

    def __repr__(self) -> str:
        return f"CompositeResolver({self.resolvers!r})"


def default_secret_resolver() -> CompositeResolver:
    return CompositeResolver([EnvironmentResolver(), PlaintextResolver()])


def resolve_api_key(
    api_key: str | None, resolver: SecretResolver, *, provider_name: str, model_alias: str | None = None
) -> str | None:
    """The key to send, or None (no auth header) when the provider has no ``api_key``."""
    if not api_key:
        return None
    who = (
        f"model alias {model_alias!r} uses provider {provider_name!r}" if model_alias else f"provider {provider_name!r}"
    )
    is_name = looks_like_env_var_name(api_key)
    try:
        value = resolver.resolve(api_key)
    except SecretResolutionError as exc:
        if is_name:
            raise SecretResolutionError(_missing_variable_message(who, api_key)) from None
        raise SecretResolutionError(
            f"{who}, whose api_key could not be resolved ({exc}); fix api_key in model_providers.yaml"
        ) from None
    if is_name and value == api_key:
        raise SecretResolutionError(_missing_variable_message(who, api_key))
    return value


def _missing_variable_message(who: str, name: str) -> str:
    return (
        f"{who}, whose API key comes from environment variable {name}, which is not set. "
        f"Set it (export {name}=<your key>) or change the provider's api_key; "
        "run `data-designer config list` to see the configured providers"
    )


def providers_missing_keys(providers: Iterable, resolver: SecretResolver) -> list[str]:
    """Names of providers whose ``api_key`` cannot be resolved (for the "no provider has a key" warning)."""
    missing = []
    for provider in providers:
        try:
            resolve_api_key(provider.api_key, resolver, provider_name=provider.name)
        except SecretResolutionError:
            missing.append(provider.name)
    return missing
