"""The one place where HTTP statuses and aiohttp/transport exceptions become ``Model*Error`` classes.

Classification order matters: quota phrases are checked before the status (a 429 or 403 that says "quota" is a
billing problem, not a transient limit), then the status, then body phrases that refine a 400. Every message is a
single line: what happened, for which model alias/provider, and what to change; the provider's own message is
appended (truncated) because it is often the most specific hint. Secrets never appear: we never echo headers.
"""

from __future__ import annotations

import asyncio
import email.utils
import time
from typing import Any

import orjson

from data_designer.errors import (
    ModelAPIConnectionError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelBadRequestError,
    ModelContextWindowExceededError,
    ModelError,
    ModelInternalServerError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelQuotaExceededError,
    ModelRateLimitError,
    ModelTimeoutError,
    ModelUnprocessableEntityError,
    ModelUnsupportedParamsError,
)

__all__ = [
    "RequestContext",
    "classify_http_error",
    "parse_retry_after",
    "provider_message",
    "translate_transport_error",
]

_QUOTA_PHRASES = (
    "insufficient_quota",
    "exceeded your current quota",
    "quota exceeded",
    "quota_exceeded",
    "out of credits",
    "insufficient credits",
    "insufficient balance",
    "billing",
)
_CONTEXT_PHRASES = (
    "context length",
    "context window",
    "context_length_exceeded",
    "maximum context",
    "too many tokens",
    "prompt is too long",
    "input is too long",
    "reduce the length",
)
_UNSUPPORTED_PHRASES = (
    "unsupported parameter",
    "unsupported_parameter",
    "not supported",
    "unrecognized request argument",
    "unknown parameter",
    "extra inputs are not permitted",
    "extra_forbidden",
    "does not support",
)
_MAX_PROVIDER_MESSAGE = 300


class RequestContext:
    """Who was being called, for messages. One instance per facade, reused for every request."""

    __slots__ = ("model_alias", "model", "provider", "endpoint")

    def __init__(self, *, model_alias: str, model: str, provider: str, endpoint: str) -> None:
        self.model_alias = model_alias
        self.model = model
        self.provider = provider
        self.endpoint = endpoint

    def who(self) -> str:
        return f"model alias {self.model_alias!r} (model {self.model!r}, provider {self.provider!r})"


def parse_retry_after(value: str | None, *, now: float | None = None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header holding seconds or an HTTP-date; None if absent/invalid."""
    if not value:
        return None
    value = value.strip()
    try:
        seconds = float(value)
    except ValueError:
        try:
            when = email.utils.parsedate_to_datetime(value)
        except (TypeError, ValueError):
            return None
        if when is None:
            return None
        seconds = when.timestamp() - (time.time() if now is None else now)
    return max(0.0, seconds)


def provider_message(body: bytes | str | None) -> str:
    """The provider's own error text from a JSON error body (``error.message`` / ``message`` / ``detail``)."""
    if not body:
        return ""
    text = body.decode("utf-8", "replace") if isinstance(body, bytes) else body
    message: Any = text
    try:
        data = orjson.loads(text)
    except orjson.JSONDecodeError:
        data = None
    if isinstance(data, dict):
        err = data.get("error", data)
        if isinstance(err, dict):
            message = err.get("message") or err.get("detail") or err.get("msg") or err.get("code") or text
        elif isinstance(err, str):
            message = err
        if message is text and "detail" in data:
            message = data["detail"]
    message = " ".join(str(message).split())
    return message[:_MAX_PROVIDER_MESSAGE] + ("..." if len(message) > _MAX_PROVIDER_MESSAGE else "")


def classify_http_error(
    status: int, body: bytes | str | None, ctx: RequestContext, *, retry_after_header: str | None = None
) -> ModelError:
    said = provider_message(body)
    lowered = said.lower()
    suffix = f" Provider said: {said}" if said else ""
    who = ctx.who()
    kw = {"model_alias": ctx.model_alias, "status_code": status}

    if any(p in lowered for p in _QUOTA_PHRASES):
        return ModelQuotaExceededError(
            f"{who}: the account's quota or credits are exhausted (HTTP {status}). "
            f"Add credits or raise the quota with the provider, or switch the alias to another provider.{suffix}",
            **kw,
        )
    if status == 401:
        return ModelAuthenticationError(
            f"{who}: the endpoint {ctx.endpoint} rejected the API key (HTTP 401). "
            f"Check the provider's api_key (usually an environment variable name) holds a valid key.{suffix}",
            **kw,
        )
    if status == 403:
        return ModelPermissionDeniedError(
            f"{who}: the API key is not allowed to use this model (HTTP 403). "
            f"Request access to the model or use a key/model your account can reach.{suffix}",
            **kw,
        )
    if status == 404:
        return ModelNotFoundError(
            f"{who}: {ctx.endpoint} does not know model {ctx.model!r} or the path (HTTP 404). "
            f"Check the model name in the model config and that the endpoint ends with the API root (e.g. /v1).{suffix}",
            **kw,
        )
    if status == 408:
        return ModelTimeoutError(
            f"{who}: the server timed out the request (HTTP 408). "
            f"Retry later or raise inference_parameters.timeout.{suffix}",
            **kw,
        )
    if status == 413 or (status == 400 and any(p in lowered for p in _CONTEXT_PHRASES)):
        return ModelContextWindowExceededError(
            f"{who}: the prompt plus max_tokens exceed the model's context window (HTTP {status}). "
            f"Shorten the prompt template or its inputs, lower max_tokens, or use a model with a larger context.{suffix}",
            **kw,
        )
    if status == 422:
        return ModelUnprocessableEntityError(
            f"{who}: the server could not process the request body (HTTP 422). "
            f"Check inference_parameters and extra_body for values this model accepts.{suffix}",
            **kw,
        )
    if status == 429:
        retry_after = parse_retry_after(retry_after_header)
        wait = f" (Retry-After {retry_after:g} s)" if retry_after is not None else ""
        return ModelRateLimitError(
            f"{who}: rate limited by the server (HTTP 429){wait}. Concurrency adapts automatically; "
            f"lower max_parallel_requests to avoid it.{suffix}",
            retry_after=retry_after,
            **kw,
        )
    if status == 400 and any(p in lowered for p in _UNSUPPORTED_PHRASES):
        return ModelUnsupportedParamsError(
            f"{who}: the model does not accept one of the request parameters (HTTP 400). "
            f"Remove it from inference_parameters / extra_body.{suffix}",
            **kw,
        )
    if status == 400:
        return ModelBadRequestError(
            f"{who}: the server rejected the request as invalid (HTTP 400). "
            f"Check the prompt and inference_parameters.{suffix}",
            **kw,
        )
    if 500 <= status < 600:
        return ModelInternalServerError(
            f"{who}: the server failed with HTTP {status}. This is usually transient; "
            f"if it persists check the inference server's health.{suffix}",
            **kw,
        )
    return ModelAPIError(f"{who}: unexpected HTTP {status} from {ctx.endpoint}.{suffix}", **kw)


def translate_transport_error(exc: BaseException, ctx: RequestContext, *, timeout_s: float) -> ModelError:
    """aiohttp/OS exceptions -> one-line model errors. Import of aiohttp is deferred to keep this module light."""
    import aiohttp

    kw = {"model_alias": ctx.model_alias}
    if isinstance(exc, asyncio.TimeoutError | aiohttp.ServerTimeoutError | TimeoutError):
        return ModelTimeoutError(
            f"{ctx.who()}: no response from {ctx.endpoint} within {timeout_s:g} s. "
            f"Raise inference_parameters.timeout for model alias {ctx.model_alias!r} if the server is just slow.",
            **kw,
        )
    if isinstance(exc, aiohttp.ClientConnectorError):
        reason = _short_os_reason(exc)
        return ModelAPIConnectionError(
            f"Cannot connect to {ctx.endpoint} ({reason}) for {ctx.who()}. "
            "Check that the server is running and the provider's endpoint URL is right.",
            **kw,
        )
    if isinstance(exc, aiohttp.ServerDisconnectedError | aiohttp.ClientOSError | aiohttp.ClientPayloadError):
        return ModelAPIConnectionError(
            f"The connection to {ctx.endpoint} broke during the request for {ctx.who()} ({type(exc).__name__}). "
            "This is usually transient; check the server and any proxy in between if it persists.",
            **kw,
        )
    if isinstance(exc, aiohttp.InvalidURL):
        return ModelAPIConnectionError(
            f"The provider endpoint {ctx.endpoint!r} for {ctx.who()} is not a valid URL; fix it in the provider config.",
            **kw,
        )
    return ModelAPIError(f"{ctx.who()}: request to {ctx.endpoint} failed: {type(exc).__name__}: {exc}", **kw)


def _short_os_reason(exc: BaseException) -> str:
    os_error = getattr(exc, "os_error", None)
    errno_text = getattr(os_error, "strerror", None)
    if errno_text:
        return errno_text.lower()
    return type(os_error or exc).__name__
