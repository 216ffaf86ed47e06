"""Async OpenAI-compatible HTTP client on aiohttp.

Design note
-----------
* One ``ClientSession`` (one connection pool) per provider endpoint *per event loop*: aiohttp sessions are bound to
  the loop that created them, and the sync facade bridge may run calls on a private loop. The engine loop's session
  is created on first use and reused for every call (keep-alive), so the steady-state cost of a call is one
  ``orjson.dumps``, one POST, one ``orjson.loads`` and a dataclass.
* Pool size is ``max(32, 2 × max_parallel_requests)`` (summed over the models sharing the endpoint): concurrency is
  bounded by the throttle, not the pool; the pool only has to never be the bottleneck.
* The per-request deadline (``aiohttp.ClientTimeout(total=...)``) is ``inference_parameters.timeout`` or 60 s; it
  covers connect, send and the whole body read. ``ClientTimeout`` objects are cached per value.
* Errors: HTTP statuses and transport exceptions are translated in :mod:`data_designer.models.errors` only; this
  module just routes them. Cancellation (``CancelledError``) passes through untouched.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import orjson

from data_designer.config.models import ModelProvider
from data_designer.errors import ModelAPIError, ModelError, ModelUnsupportedCapabilityError
from data_designer.models.errors import RequestContext, classify_http_error, translate_transport_error
from data_designer.models.wire import (
    ChatCompletionResponse,
    EmbeddingResponse,
    ImagePayload,
    parse_chat_response,
    parse_embedding_response,
    parse_image_response,
)

__all__ = ["DEFAULT_TIMEOUT_S", "OpenAICompatibleClient", "create_client", "pool_size_for"]

DEFAULT_TIMEOUT_S = 60.0
_TRANSPORT_ERRORS = (aiohttp.ClientError, asyncio.TimeoutError, OSError)


def pool_size_for(max_parallel_requests: int) -> int:
    return max(32, 2 * max_parallel_requests)


class OpenAICompatibleClient:
    def __init__(
        self,
        *,
        provider_name: str,
        endpoint: str,
        api_key: str | None = None,
        extra_headers: dict[str, str] | None = None,
        max_connections: int = 32,
    ) -> None:
        self.provider_name = provider_name
        self.endpoint = endpoint.rstrip("/")
        self.max_connections = max_connections
        headers = {"Content-Type": "application/json", "Accept": "application/json"}
        if api_key:
            headers["Authorization"] = f"Bearer {api_key}"
        if extra_headers:
            headers.update(extra_headers)
        self._headers = headers
        self._sessions: dict[asyncio.AbstractEventLoop, aiohttp.ClientSession] = {}
        self._timeouts: dict[float, aiohttp.ClientTimeout] = {}
        self._urls = {
            "chat": f"{self.endpoint}/chat/completions",
            "embedding": f"{self.endpoint}/embeddings",
            "image": f"{self.endpoint}/images/generations",
        }

    def __repr__(self) -> str:  # never show headers: they hold the key
        return f"OpenAICompatibleClient(provider={self.provider_name!r}, endpoint={self.endpoint!r})"

    def _session(self) -> aiohttp.ClientSession:
        loop = asyncio.get_running_loop()
        session = self._sessions.get(loop)
        if session is None or session.closed:
            connector = aiohttp.TCPConnector(
                limit=self.max_connections, limit_per_host=0, keepalive_timeout=30.0, ttl_dns_cache=300
            )
            session = aiohttp.ClientSession(
                connector=connector, headers=self._headers, json_serialize=lambda o: orjson.dumps(o).decode()
            )
            self._sessions[loop] = session
        return session

    def _timeout(self, timeout_s: float) -> aiohttp.ClientTimeout:
        timeout = self._timeouts.get(timeout_s)
        if timeout is None:
            timeout = self._timeouts[timeout_s] = aiohttp.ClientTimeout(total=timeout_s)
        return timeout

    async def post_json(
        self,
        url: str,
        body: dict[str, Any],
        ctx: RequestContext,
        *,
        timeout_s: float = DEFAULT_TIMEOUT_S,
        extra_headers: dict[str, str] | None = None,
    ) -> Any:
        """POST ``body`` and return the decoded JSON; HTTP >= 400 and transport failures raise ``Model*Error``."""
        session = self._session()
        try:
            async with session.post(
                url, data=orjson.dumps(body), timeout=self._timeout(timeout_s), headers=extra_headers
            ) as resp:
                raw = await resp.read()
                if resp.status >= 400:
                    raise classify_http_error(resp.status, raw, ctx, retry_after_header=resp.headers.get("Retry-After"))
        except ModelError:
            raise
        except _TRANSPORT_ERRORS as exc:
            raise translate_transport_error(exc, ctx, timeout_s=timeout_s) from exc
        try:
            return orjson.loads(raw)
        except orjson.JSONDecodeError:
            preview = " ".join(raw[:80].decode("utf-8", "replace").split())
            raise ModelAPIError(
                f"{ctx.who()}: {url} returned HTTP {resp.status} with a body that is not JSON "
                f"(starts with {preview!r}); check that the endpoint is an OpenAI-compatible API, not a web page "
                "or proxy",
                model_alias=ctx.model_alias,
                status_code=resp.status,
            ) from None

    async def chat(
        self, body: dict[str, Any], ctx: RequestContext, *, timeout_s: float, extra_headers: dict[str, str] | None
    ) -> ChatCompletionResponse:
        url = self._urls["chat"]
        data = await self.post_json(url, body, ctx, timeout_s=timeout_s, extra_headers=extra_headers)
        return parse_chat_response(data, endpoint=url)

    async def embed(
        self, body: dict[str, Any], ctx: RequestContext, *, timeout_s: float, extra_headers: dict[str, str] | None
    ) -> EmbeddingResponse:
        url = self._urls["embedding"]
        data = await self.post_json(url, body, ctx, timeout_s=timeout_s, extra_headers=extra_headers)
        return parse_embedding_response(data, endpoint=url)

    async def generate_images(
        self, body: dict[str, Any], ctx: RequestContext, *, timeout_s: float, extra_headers: dict[str, str] | None
    ) -> list[ImagePayload]:
        url = self._urls["image"]
        data = await self.post_json(url, body, ctx, timeout_s=timeout_s, extra_headers=extra_headers)
        return parse_image_response(data, endpoint=url)

    async def download(self, url: str, ctx: RequestContext, *, timeout_s: float) -> bytes:
        """Fetch an image URL returned by a provider, on a separate session so the API key never goes to a CDN."""
        try:
            async with aiohttp.ClientSession(timeout=self._timeout(timeout_s)) as session, session.get(url) as resp:
                if resp.status >= 400:
                    raise classify_http_error(resp.status, await resp.read(), ctx)
                return await resp.read()
        except ModelError:
            raise
        except _TRANSPORT_ERRORS as exc:
            raise translate_transport_error(exc, ctx, timeout_s=timeout_s) from exc

    async def aclose(self) -> None:
        """Close the session of the running loop, and forget sessions of loops that are already closed."""
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            loop = None
        for session_loop, session in list(self._sessions.items()):
            if session_loop is loop:
                await session.close()
                del self._sessions[session_loop]
            elif session_loop.is_closed():
                del self._sessions[session_loop]


def create_client(provider: ModelProvider, api_key: str | None, *, max_connections: int) -> OpenAICompatibleClient:
    if provider.provider_type == "anthropic":
        raise ModelUnsupportedCapabilityError(
            f"provider {provider.name!r} has provider_type 'anthropic', whose native /v1/messages API this version "
            "does not speak yet. Use Anthropic's OpenAI-compatible endpoint instead: set endpoint "
            "https://api.anthropic.com/v1 and provider_type 'openai' for this provider."
        )
    return OpenAICompatibleClient(
        provider_name=provider.name,
        endpoint=provider.endpoint,
        api_key=api_key,
        extra_headers=provider.extra_headers,
        max_connections=max_connections,
    )
