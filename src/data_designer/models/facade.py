"""``ModelFacade``: what generators, custom columns and plugins call to talk to one model alias.

Design note
-----------
* Async first. ``agenerate`` builds the conversation, sends it through the :class:`RequestExecutor` (throttle lease
  per attempt), and runs the caller's ``parser`` on the answer. A parser error carrying ``correction_prompt`` (duck
  typed, like the response recipes' parse errors) is fed back as a user turn up to ``max_correction_steps`` times;
  then the conversation restarts from the original prompt up to ``max_conversation_restarts`` times; then
  :class:`ModelGenerationValidationFailureError`. Any other parser exception propagates unchanged (it is a bug).
* Sync ``generate`` is a bridge for custom-column code running in worker threads: it submits the coroutine to the
  engine's loop (``engine_loop``) with ``run_coroutine_threadsafe`` and waits at most
  ``max(60, (1 + restarts) × (1 + corrections) × timeout × 1.5)`` seconds; with no engine loop it uses
  ``asyncio.run`` and closes that loop's HTTP session afterwards. Calling it on the engine loop's own thread would
  deadlock, so that raises a clear error instead.
* Per call we build one dict for the body and one for the trace; nothing is validated with pydantic here.
"""

from __future__ import annotations

import asyncio
import base64
import concurrent.futures
import logging
from collections.abc import Callable, Coroutine
from typing import Any

from data_designer.config.models import GenerationType, ModelConfig, ModelProvider
from data_designer.errors import (
    DataDesignerRuntimeError,
    ImageGenerationError,
    ModelGenerationValidationFailureError,
    ModelTimeoutError,
)
from data_designer.models.client import DEFAULT_TIMEOUT_S, OpenAICompatibleClient
from data_designer.models.errors import RequestContext
from data_designer.models.executor import RequestExecutor
from data_designer.models.usage import ModelUsageStats
from data_designer.models.wire import (
    BODY_KEYS,
    ChatCompletionResponse,
    ImagePayload,
    assistant_message,
    build_request_body,
)

__all__ = ["ModelFacade", "is_diffusion_model"]

logger = logging.getLogger(__name__)

_DIFFUSION_MARKERS = ("dall-e-", "dalle", "stable-diffusion", "sd-", "sd_", "imagen", "gpt-image-")


def _identity(text: str) -> str:
    return text


def is_diffusion_model(model: str) -> bool:
    """Image models served by ``/images/generations`` rather than chat completions."""
    name = model.lower()
    return any(marker in name for marker in _DIFFUSION_MARKERS)


class ModelFacade:
    def __init__(
        self,
        model_config: ModelConfig,
        provider: ModelProvider,
        *,
        client: OpenAICompatibleClient,
        executor: RequestExecutor,
        engine_loop: asyncio.AbstractEventLoop | None = None,
    ) -> None:
        self.model_config = model_config
        self.provider = provider
        self._client = client
        self._executor = executor
        self._params = model_config.inference_parameters
        self.engine_loop = engine_loop
        self._ctx = RequestContext(
            model_alias=model_config.alias, model=model_config.model, provider=provider.name, endpoint=client.endpoint
        )

    def __repr__(self) -> str:
        return f"ModelFacade(alias={self.model_alias!r}, model={self.model_name!r}, provider={self.provider.name!r})"

    # ------------------------------------------------------------ properties
    @property
    def model_name(self) -> str:
        return self.model_config.model

    @property
    def model_alias(self) -> str:
        return self.model_config.alias

    @property
    def model_provider(self) -> ModelProvider:
        return self.provider

    @property
    def model_provider_name(self) -> str:
        return self.provider.name

    @property
    def generation_type(self) -> GenerationType:
        return self.model_config.generation_type

    @property
    def max_parallel_requests(self) -> int:
        return self._params.max_parallel_requests

    @property
    def request_timeout(self) -> float:
        return float(self._params.timeout or DEFAULT_TIMEOUT_S)

    @property
    def usage_stats(self) -> ModelUsageStats:
        return self._executor.usage

    # ------------------------------------------------------------ request assembly
    def _request(self, call_kwargs: dict[str, Any]) -> tuple[dict[str, Any], float, dict[str, str] | None]:
        merged = self._params.generate_kwargs
        if call_kwargs:
            merged.update(call_kwargs)
        timeout_s = float(merged.pop("timeout", None) or self.request_timeout)
        extra_body = merged.pop("extra_body", None)
        extra_headers = merged.pop("extra_headers", None)
        merged.pop("n", None)  # single-choice generation only
        unknown = [key for key in merged if key not in BODY_KEYS]
        for key in unknown:
            logger.debug("model alias %r: dropping unknown request argument %r", self.model_alias, key)
            del merged[key]
        return (
            build_request_body(self.model_name, merged, extra_body, self.provider.extra_body),
            timeout_s,
            extra_headers,
        )

    def _user_message(self, prompt: str, multi_modal_context: list[dict[str, Any]] | None) -> dict[str, Any]:
        if not multi_modal_context:
            return {"role": "user", "content": prompt}
        return {"role": "user", "content": [*multi_modal_context, {"type": "text", "text": prompt}]}

    # ------------------------------------------------------------ chat
    async def acompletion(
        self, messages: list[dict[str, Any]], *, purpose: str | None = None, **kwargs: Any
    ) -> ChatCompletionResponse:
        body, timeout_s, headers = self._request(kwargs)
        body["messages"] = messages
        client, ctx = self._client, self._ctx
        domain = "healthcheck" if purpose == "healthcheck" else "chat"
        response = await self._executor.execute(
            lambda: client.chat(body, ctx, timeout_s=timeout_s, extra_headers=headers), domain=domain
        )
        usage = response.usage
        self._executor.usage.add_tokens(usage.prompt_tokens, usage.completion_tokens)
        return response

    async def agenerate(
        self,
        prompt: str,
        *,
        parser: Callable[[str], Any] = _identity,
        system_prompt: str | None = None,
        multi_modal_context: list[dict[str, Any]] | None = None,
        max_correction_steps: int = 0,
        max_conversation_restarts: int = 0,
        purpose: str | None = None,
        **kwargs: Any,
    ) -> tuple[Any, list[dict[str, Any]]]:
        """Return ``(parser(answer), messages)``; ``messages`` is the ChatML trace including corrections."""
        start: list[dict[str, Any]] = []
        if system_prompt:
            start.append({"role": "system", "content": system_prompt})
        start.append(self._user_message(prompt, multi_modal_context))
        messages = list(start)
        corrections = restarts = 0
        while True:
            response = await self.acompletion(messages, purpose=purpose, **kwargs)
            messages.append(assistant_message(response))
            try:
                return parser(response.content or ""), messages
            except Exception as exc:
                correction = getattr(exc, "correction_prompt", None)
                if correction is None:
                    raise
                if corrections < max_correction_steps:
                    corrections += 1
                    messages.append({"role": "user", "content": str(correction)})
                    continue
                if restarts < max_conversation_restarts:
                    restarts += 1
                    corrections = 0
                    messages = list(start)
                    continue
                raise self._validation_failure(exc, response, restarts, max_correction_steps) from exc

    def _validation_failure(
        self, exc: Exception, response: ChatCompletionResponse, restarts: int, corrections: int
    ) -> ModelGenerationValidationFailureError:
        attempts = (1 + restarts) * (1 + corrections)
        truncation = {"length": "max_tokens", "model_context_window_exceeded": "model_context_window_exceeded"}.get(
            response.finish_reason or ""
        )
        hint = (
            " The answer was cut off by max_tokens; raise inference_parameters.max_tokens."
            if truncation
            else " Simplify the prompt or schema, or raise max_conversation_restarts / max_conversation_correction_steps."
        )
        error = ModelGenerationValidationFailureError(
            f"model alias {self.model_alias!r}: the response could not be parsed after {attempts} attempt(s): {str(exc).rstrip('. ')}.{hint}",
            failure_kind=getattr(exc, "failure_kind", "parse_error"),
            model_alias=self.model_alias,
        )
        error.truncation_reason = truncation
        return error

    # ------------------------------------------------------------ embeddings and images
    async def agenerate_text_embeddings(self, input_texts: list[str], **kwargs: Any) -> list[list[float]]:
        body, timeout_s, headers = self._request(kwargs)
        body.pop("temperature", None)
        body.pop("top_p", None)
        body.pop("max_tokens", None)
        body["input"] = list(input_texts)
        client, ctx = self._client, self._ctx
        response = await self._executor.execute(
            lambda: client.embed(body, ctx, timeout_s=timeout_s, extra_headers=headers), domain="embedding"
        )
        self._executor.usage.add_tokens(response.usage.prompt_tokens, 0)
        return response.embeddings

    async def agenerate_image(
        self, prompt: str, multi_modal_context: list[dict[str, Any]] | None = None, **kwargs: Any
    ) -> list[str]:
        """Base64 payloads of every image returned (URLs are downloaded)."""
        if is_diffusion_model(self.model_name):
            body, timeout_s, headers = self._request(kwargs)
            body["prompt"] = prompt
            client, ctx = self._client, self._ctx
            images = await self._executor.execute(
                lambda: client.generate_images(body, ctx, timeout_s=timeout_s, extra_headers=headers), domain="image"
            )
        else:
            response = await self.acompletion([self._user_message(prompt, multi_modal_context)], **kwargs)
            images = response.images or self._images_from_content(response.content)
        if not images:
            raise ImageGenerationError(
                f"model alias {self.model_alias!r} returned no image; check that model {self.model_name!r} "
                "generates images and that the prompt asks for one"
            )
        payloads = [await self._to_b64(image) for image in images]
        self._executor.usage.images += len(payloads)
        return payloads

    @staticmethod
    def _images_from_content(content: str | None) -> list[ImagePayload]:
        if not content:
            return []
        text = content.strip()
        if text.startswith("data:") and ";base64," in text:
            return [ImagePayload(b64_data=text.split(";base64,", 1)[1])]
        if text.startswith(("http://", "https://")) and " " not in text:
            return [ImagePayload(url=text)]
        return [ImagePayload(b64_data=text)] if len(text) > 64 and " " not in text else []

    async def _to_b64(self, image: ImagePayload) -> str:
        if image.b64_data:
            return image.b64_data
        data = await self._client.download(image.url or "", self._ctx, timeout_s=self.request_timeout)
        return base64.b64encode(data).decode("ascii")

    # ------------------------------------------------------------ sync bridge
    def generate(self, prompt: str, **kwargs: Any) -> tuple[Any, list[dict[str, Any]]]:
        restarts = kwargs.get("max_conversation_restarts", 0)
        corrections = kwargs.get("max_correction_steps", 0)
        deadline_s = max(60.0, (1 + restarts) * (1 + corrections) * self.request_timeout * 1.5)
        return self._run_sync(self.agenerate(prompt, **kwargs), deadline_s)

    def completion(self, messages: list[dict[str, Any]], **kwargs: Any) -> ChatCompletionResponse:
        return self._run_sync(self.acompletion(messages, **kwargs), max(60.0, self.request_timeout * 1.5))

    def generate_text_embeddings(self, input_texts: list[str], **kwargs: Any) -> list[list[float]]:
        return self._run_sync(self.agenerate_text_embeddings(input_texts, **kwargs), self.request_timeout * 1.5)

    def generate_image(self, prompt: str, multi_modal_context: list[dict[str, Any]] | None = None, **kw) -> list[str]:
        return self._run_sync(self.agenerate_image(prompt, multi_modal_context, **kw), self.request_timeout * 1.5)

    def _run_sync(self, coro: Coroutine[Any, Any, Any], deadline_s: float) -> Any:
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        loop = self.engine_loop
        if running is not None and (loop is None or running is loop):
            coro.close()
            raise DataDesignerRuntimeError(
                f"model alias {self.model_alias!r}: the sync ModelFacade API was called from inside a running event "
                "loop, where it would block that loop; use the async variant (e.g. `await model.agenerate(...)`)"
            )
        if loop is not None and loop.is_running():
            future = asyncio.run_coroutine_threadsafe(coro, loop)
            try:
                return future.result(timeout=deadline_s)
            except concurrent.futures.TimeoutError:
                future.cancel()
                raise ModelTimeoutError(
                    f"model alias {self.model_alias!r}: no result within {deadline_s:g} s; raise "
                    "inference_parameters.timeout if the model is just slow",
                    model_alias=self.model_alias,
                ) from None
        return asyncio.run(self._closing_session(coro))

    async def _closing_session(self, coro: Coroutine[Any, Any, Any]) -> Any:
        try:
            return await coro
        finally:
            await self._client.aclose()
