"""OpenAI wire format: request bodies and response parsing into small slotted dataclasses.

Pure functions, no I/O. Responses are read straight from the decoded JSON (no pydantic per response): this runs once
per LLM call and is on the hot path. A body that is not a JSON object or has no ``choices``/``data`` raises
:class:`ModelAPIError` saying exactly that, because a proxy or a wrong endpoint path is the usual cause.
"""

from __future__ import annotations

import base64
from array import array
from dataclasses import dataclass, field
from typing import Any

from data_designer.errors import ModelAPIError

__all__ = [
    "BODY_KEYS",
    "ChatCompletionResponse",
    "EmbeddingResponse",
    "ImagePayload",
    "ToolCall",
    "Usage",
    "assistant_message",
    "build_request_body",
    "parse_chat_response",
    "parse_embedding_response",
    "parse_image_response",
]

BODY_KEYS = frozenset(
    {
        "messages",
        "input",
        "prompt",
        "n",
        "tools",
        "tool_choice",
        "temperature",
        "top_p",
        "max_tokens",
        "max_completion_tokens",
        "stop",
        "seed",
        "response_format",
        "frequency_penalty",
        "presence_penalty",
        "encoding_format",
        "dimensions",
        "size",
        "quality",
        "style",
        "user",
        "reasoning_effort",
    }
)
"""Call kwargs that become body fields; anything else must come through ``extra_body``."""


@dataclass(slots=True)
class Usage:
    prompt_tokens: int = 0
    completion_tokens: int = 0
    total_tokens: int = 0
    reasoning_tokens: int | None = None


@dataclass(slots=True)
class ToolCall:
    id: str
    name: str
    arguments_json: str


@dataclass(slots=True)
class ImagePayload:
    b64_data: str | None = None
    url: str | None = None
    mime_type: str | None = None


@dataclass(slots=True)
class ChatCompletionResponse:
    content: str | None
    reasoning_content: str | None = None
    tool_calls: list[ToolCall] = field(default_factory=list)
    images: list[ImagePayload] = field(default_factory=list)
    usage: Usage = field(default_factory=Usage)
    finish_reason: str | None = None
    raw: dict[str, Any] = field(default_factory=dict)


@dataclass(slots=True)
class EmbeddingResponse:
    embeddings: list[list[float]]
    usage: Usage
    raw: dict[str, Any]


def build_request_body(
    model: str, fields: dict[str, Any], extra_body: dict[str, Any] | None, provider_extra_body: dict[str, Any] | None
) -> dict[str, Any]:
    """``model`` + fields, then inference ``extra_body``, then provider ``extra_body`` (provider wins)."""
    body = {"model": model}
    body.update(fields)
    if extra_body:
        body.update(extra_body)
    if provider_extra_body:
        body.update(provider_extra_body)
    return body


def _usage(data: dict[str, Any]) -> Usage:
    raw = data.get("usage")
    if not isinstance(raw, dict):
        return Usage()
    prompt = raw.get("prompt_tokens") or raw.get("input_tokens") or 0
    completion = raw.get("completion_tokens") or raw.get("output_tokens") or 0
    details = raw.get("completion_tokens_details")
    reasoning = raw.get("reasoning_tokens")
    if reasoning is None and isinstance(details, dict):
        reasoning = details.get("reasoning_tokens")
    return Usage(int(prompt), int(completion), int(raw.get("total_tokens") or prompt + completion), reasoning)


def _require_object(data: Any, what: str, endpoint: str) -> dict[str, Any]:
    if not isinstance(data, dict):
        raise ModelAPIError(
            f"{endpoint} answered a {what} request with JSON that is not an object; "
            "check that the provider endpoint points at an OpenAI-compatible API (usually ending in /v1)"
        )
    return data


def parse_chat_response(data: Any, *, endpoint: str = "the model endpoint") -> ChatCompletionResponse:
    data = _require_object(data, "chat completion", endpoint)
    choices = data.get("choices")
    if not choices or not isinstance(choices, list) or not isinstance(choices[0], dict):
        raise ModelAPIError(
            f"{endpoint} returned a chat completion without 'choices'; "
            "check that the endpoint is OpenAI-compatible and the model name is right"
        )
    choice = choices[0]
    message = choice.get("message") or {}
    content = message.get("content")
    if isinstance(content, list):  # some servers return content blocks
        content = "".join(b.get("text", "") for b in content if isinstance(b, dict))
    reasoning = message.get("reasoning") or message.get("reasoning_content")
    tool_calls = []
    for call in message.get("tool_calls") or ():
        fn = call.get("function") or {}
        tool_calls.append(ToolCall(str(call.get("id", "")), str(fn.get("name", "")), fn.get("arguments") or "{}"))
    images = []
    for image in message.get("images") or ():
        url = (image.get("image_url") or {}).get("url") if isinstance(image, dict) else None
        if url:
            images.append(_image_from_url(url))
    return ChatCompletionResponse(
        content=content,
        reasoning_content=reasoning,
        tool_calls=tool_calls,
        images=images,
        usage=_usage(data),
        finish_reason=choice.get("finish_reason"),
        raw=data,
    )


def _image_from_url(url: str) -> ImagePayload:
    if url.startswith("data:") and ";base64," in url:
        head, b64 = url.split(";base64,", 1)
        return ImagePayload(b64_data=b64, mime_type=head[5:] or None)
    return ImagePayload(url=url)


def parse_embedding_response(data: Any, *, endpoint: str = "the model endpoint") -> EmbeddingResponse:
    data = _require_object(data, "embedding", endpoint)
    items = data.get("data")
    if not isinstance(items, list):
        raise ModelAPIError(f"{endpoint} returned an embedding response without 'data'; check the endpoint and model")
    items = sorted(items, key=lambda item: item.get("index", 0))
    vectors = []
    for item in items:
        vector = item.get("embedding")
        if isinstance(vector, str):  # encoding_format=base64: little-endian float32
            floats = array("f")
            floats.frombytes(base64.b64decode(vector))
            vector = floats.tolist()
        vectors.append(vector)
    return EmbeddingResponse(vectors, _usage(data), data)


def parse_image_response(data: Any, *, endpoint: str = "the model endpoint") -> list[ImagePayload]:
    data = _require_object(data, "image generation", endpoint)
    items = data.get("data")
    if not isinstance(items, list):
        raise ModelAPIError(f"{endpoint} returned an image response without 'data'; check the endpoint and model")
    images = []
    for item in items:
        if item.get("b64_json"):
            images.append(ImagePayload(b64_data=item["b64_json"]))
        elif item.get("url") or item.get("image_url"):
            url = item.get("url") or item["image_url"]
            images.append(_image_from_url(url["url"] if isinstance(url, dict) else url))
    return images


def assistant_message(response: ChatCompletionResponse) -> dict[str, Any]:
    """The ChatML trace entry for one answer."""
    message: dict[str, Any] = {"role": "assistant", "content": response.content or ""}
    if response.reasoning_content:
        message["reasoning_content"] = response.reasoning_content
    if response.tool_calls:
        message["tool_calls"] = [
            {"id": c.id, "type": "function", "function": {"name": c.name, "arguments": c.arguments_json}}
            for c in response.tool_calls
        ]
    return message
