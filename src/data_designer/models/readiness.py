"""Readiness probes: one tiny real request per distinct model alias before a run starts.

Probes run concurrently (each through its alias's throttle, domain ``healthcheck`` for chat) under one overall
deadline. Failures are collected, not raised one by one, so a user with three broken aliases sees all three in one
message. Skipped per alias by ``skip_health_check`` and globally by ``DATA_DESIGNER_SKIP_MODEL_HEALTH_CHECKS=1``.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from data_designer.config.models import GenerationType
from data_designer.errors import (
    DataDesignerError,
    ModelError,
    ModelInternalServerError,
    ModelRateLimitError,
    ModelTimeoutError,
)

__all__ = [
    "SKIP_ENV_VAR",
    "ProbeResult",
    "acheck_readiness",
    "check_readiness",
    "readiness_error",
    "readiness_skipped",
]

SKIP_ENV_VAR = "DATA_DESIGNER_SKIP_MODEL_HEALTH_CHECKS"
PROBE_PROMPT = "Hello!"
PROBE_SYSTEM_PROMPT = "You are a helpful assistant."
IMAGE_PROBE_PROMPT = "Generate a simple illustration of a thumbs up sign."
DEFAULT_TIMEOUT_S = 180.0


@dataclass(frozen=True, slots=True)
class ProbeResult:
    alias: str
    ok: bool
    skipped: bool = False
    error: BaseException | None = None


def readiness_skipped(environ: Mapping[str, str] | None = None) -> bool:
    value = (environ if environ is not None else os.environ).get(SKIP_ENV_VAR, "")
    return value.strip().lower() in ("1", "true", "yes")


PROBE_ATTEMPTS = 3  # a probe that hits one 429, timeout or 5xx is retried: one transient fault is not "not ready"


async def _probe(registry, alias: str) -> ProbeResult:
    for attempt in range(1, PROBE_ATTEMPTS + 1):
        try:
            facade = registry.get_model(alias)
            kind = facade.generation_type
            if kind == GenerationType.EMBEDDING:
                await facade.agenerate_text_embeddings([PROBE_PROMPT])
            elif kind == GenerationType.IMAGE:
                await facade.agenerate_image(IMAGE_PROBE_PROMPT)
            else:
                await facade.agenerate(PROBE_PROMPT, system_prompt=PROBE_SYSTEM_PROMPT, purpose="healthcheck")
        except (ModelRateLimitError, ModelTimeoutError, ModelInternalServerError) as exc:
            if attempt == PROBE_ATTEMPTS:
                return ProbeResult(alias, ok=False, error=exc)
            await asyncio.sleep(min(5.0, getattr(exc, "retry_after", None) or 0.2 * attempt))
        except DataDesignerError as exc:
            return ProbeResult(alias, ok=False, error=exc)
        else:
            return ProbeResult(alias, ok=True)
    raise AssertionError("unreachable")


async def acheck_readiness(
    registry,
    aliases: Iterable[str],
    *,
    timeout_s: float = DEFAULT_TIMEOUT_S,
    environ: Mapping[str, str] | None = None,
    raise_on_failure: bool = True,
) -> list[ProbeResult]:
    """Probe each distinct alias; raise :func:`readiness_error` of the failures unless ``raise_on_failure=False``."""
    distinct = sorted(set(aliases))
    if readiness_skipped(environ):
        return [ProbeResult(alias, ok=True, skipped=True) for alias in distinct]
    to_probe, results = [], {}
    for alias in distinct:
        if registry.get_model_config(alias).skip_health_check:
            results[alias] = ProbeResult(alias, ok=True, skipped=True)
        else:
            to_probe.append(alias)
    tasks = {alias: asyncio.ensure_future(_probe(registry, alias)) for alias in to_probe}
    if tasks:
        done, pending = await asyncio.wait(tasks.values(), timeout=timeout_s)
        for task in pending:
            task.cancel()
        for alias, task in tasks.items():
            if task in done:
                results[alias] = task.result()
            else:
                results[alias] = ProbeResult(
                    alias,
                    ok=False,
                    error=ModelTimeoutError(
                        f"model alias {alias!r}: readiness probe got no answer within {timeout_s:g} s",
                        model_alias=alias,
                    ),
                )
        if pending:
            await asyncio.gather(*pending, return_exceptions=True)
    ordered = [results[alias] for alias in distinct]
    if raise_on_failure:
        error = readiness_error(ordered)
        if error is not None:
            raise error
    return ordered


def check_readiness(registry, aliases: Iterable[str], **kwargs) -> list[ProbeResult]:
    """Sync wrapper (CLI ``check-models``); must not be called from a running event loop.

    The probes' HTTP sessions belong to the temporary loop, so they are closed before it ends.
    """

    async def run() -> list[ProbeResult]:
        try:
            return await acheck_readiness(registry, aliases, **kwargs)
        finally:
            await registry.aclose()

    return asyncio.run(run())


def readiness_error(results: Iterable[ProbeResult]) -> DataDesignerError | None:
    """One error listing every failing alias, of the first failure's class so ``isinstance`` checks still work."""
    failures = [r for r in results if not r.ok and r.error is not None]
    if not failures:
        return None
    first = failures[0].error
    if len(failures) == 1:
        return first if isinstance(first, DataDesignerError) else DataDesignerError(str(first))
    lines = "; ".join(f"[{r.alias}] {r.error}" for r in failures)
    message = (
        f"{len(failures)} model aliases failed the readiness check: {lines}. "
        f"Fix them, set skip_health_check=True on a model config, or set {SKIP_ENV_VAR}=1 to skip probes"
    )
    cls = type(first)
    try:
        error = cls(message, model_alias=first.model_alias) if isinstance(first, ModelError) else cls(message)
    except TypeError:
        error = DataDesignerError(message)
    error.failures = {r.alias: r.error for r in failures}
    return error
