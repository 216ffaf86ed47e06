"""A loopback OpenAI-compatible endpoint for tests, benchmarks and the demo.

Design note
-----------
* One asyncio loop owns all request state. ``_SimulatorCore`` runs on that loop; the only cross-thread touches are
  ``stats()`` (reads plain ints and copies a dict, atomic under the GIL) and ``configure()`` (swaps the immutable
  ``SimulatorSettings`` object in one assignment; each request reads it once).
* Capacity is exact: the in-flight counter is incremented *before* the capacity decision, with no ``await`` between
  the two, and decremented in a ``finally``. A request over capacity gets 429 at once and never counts as admitted,
  so ``peak_concurrency`` is the peak of requests actually being served.
* Faults (5xx, timeouts, malformed answers) are drawn from one ``random.Random(seed)`` in arrival order, so a run is
  reproducible; answer *content* is seeded from (seed, request body), so the same request gets the same answer
  even when retried.
* Cancellation: the server runs with ``handler_cancellation=True``, so a client disconnect cancels its handler —
  a held "timeout" request (waiting on the closing event for up to an hour) ends as soon as its client goes away and
  the ``finally`` releases its in-flight slot. Shutdown sets the closing event first, then cleans up the runner.
* Latency is ``asyncio.sleep`` (skipped entirely at zero) so thousands of requests per second fit on one core.
"""

from __future__ import annotations

import array
import asyncio
import base64
import json
import random
import threading
import time
from collections.abc import Callable
from typing import Any

import orjson
from aiohttp import web

from data_designer.errors import DataDesignerRuntimeError
from data_designer.testing import sim_content
from data_designer.testing.sim_settings import _SETTING_NAMES, SimulatorSettings, _SimulatorStats

_INFERENCE_PATHS = ("/v1/chat/completions", "/v1/embeddings", "/v1/images/generations")
_JSON_HEADERS = {"Content-Type": "application/json"}
_HOLD_S = 3600.0
_READY_PREFIX = "SIMULATOR_READY "


class _RequestError(Exception):
    """An OpenAI-style error answer raised from a request builder."""

    def __init__(self, status: int, message: str, *, kind: str = "invalid_request_error", code: str | None = None):
        super().__init__(message)
        self.status, self.message, self.kind, self.code = status, message, kind, code


def _error_response(status: int, message: str, kind: str, code: str | None = None, headers=None) -> web.Response:
    body = orjson.dumps({"error": {"message": message, "type": kind, "param": None, "code": code}})
    return web.Response(status=status, body=body, headers={**_JSON_HEADERS, **(headers or {})})


def _json_response(payload: Any) -> web.Response:
    return web.Response(body=orjson.dumps(payload), headers=_JSON_HEADERS)


def _tokens(chars: int) -> int:
    return max(1, -(-chars // 4))  # ceil(chars / 4): the simulator's token estimate everywhere


def _text_of(content: Any) -> str:
    if isinstance(content, str):
        return content
    if isinstance(content, list):  # multimodal parts: keep the text ones
        return "\n".join(p.get("text", "") for p in content if isinstance(p, dict) and isinstance(p.get("text"), str))
    return ""


def _has_instructions(text: str) -> bool:
    """A complete schema block, or (with no schema mention at all) a fenced-code request."""
    open_at = text.rfind("<response_schema>")
    if open_at >= 0:
        return text.find("</response_schema>", open_at) > 0
    return "```" in text


def _answerable_prompt(texts: list[str], messages: list[dict[str, Any]]) -> str:
    """The last user message; a correction turn without format instructions falls back to the latest user message
    that has them (the original prompt), as a real model keeps the whole conversation in view."""
    users = [texts[i] for i in range(len(texts) - 1, -1, -1) if messages[i].get("role") == "user"]
    if not users:
        return ""
    if _has_instructions(users[0]):
        return users[0]
    return next((text for text in users[1:] if _has_instructions(text)), users[0])


class _SimulatorCore:
    """Request handling bound to one loop: routing, admission, faults, and the OpenAI wire format."""

    def __init__(self, settings: SimulatorSettings) -> None:
        self.settings = settings
        self.stats = _SimulatorStats()
        self.fault_rng = random.Random(settings.seed)
        self.closing: asyncio.Event | None = None
        self.runner: web.ServerRunner | None = None
        self._builders = {
            "/v1/chat/completions": self._chat,
            "/v1/embeddings": self._embeddings,
            "/v1/images/generations": self._images,
        }

    def configure(self, **changes: Any) -> None:
        new = self.settings.updated(**changes)
        if "seed" in changes:
            self.fault_rng = random.Random(new.seed)
        self.settings = new

    async def start(self) -> int:
        self.closing = asyncio.Event()
        server = web.Server(self.handle, handler_cancellation=True, access_log=None)
        self.runner = web.ServerRunner(server, shutdown_timeout=0.1)
        await self.runner.setup()
        site = web.TCPSite(self.runner, self.settings.host, self.settings.port, backlog=2048)
        try:
            await site.start()
        except OSError as exc:
            await self.runner.cleanup()
            raise DataDesignerRuntimeError(
                f"Simulated endpoint could not listen on {self.settings.host}:{self.settings.port} ({exc}); "
                "pass port=0 to pick a free port."
            ) from exc
        return site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]

    async def close(self) -> None:
        if self.closing is not None:
            self.closing.set()
        if self.runner is not None:
            await self.runner.cleanup()

    async def handle(self, request: web.BaseRequest) -> web.StreamResponse:
        path = request.path
        builder = self._builders.get(path)
        if builder is not None and request.method == "POST":
            return await self._serve_inference(request, path, builder)
        if path == "/stats":
            if request.method == "POST":
                self.stats.reset()
            return _json_response(self.stats.snapshot())
        if path == "/v1/models" and request.method == "GET":
            self.stats.by_path[path] = self.stats.by_path.get(path, 0) + 1
            if not self._authorized(request):
                return _error_response(401, "Incorrect API key provided.", "invalid_request_error", "invalid_api_key")
            models = self.settings.models or ["simulated-model"]
            data = [{"id": m, "object": "model", "created": 0, "owned_by": "data-designer-simulator"} for m in models]
            return _json_response({"object": "list", "data": data})
        return _error_response(404, f"No route {request.method} {path} on the simulated endpoint.", "not_found")

    def _authorized(self, request: web.BaseRequest) -> bool:
        key = self.settings.api_key
        return key is None or request.headers.get("Authorization") == f"Bearer {key}"

    async def _serve_inference(self, request: web.BaseRequest, path: str, builder: Callable) -> web.StreamResponse:
        s, st = self.settings, self.stats
        st.requests += 1
        st.by_path[path] = st.by_path.get(path, 0) + 1
        st.in_flight += 1
        try:
            if s.capacity is not None and st.in_flight > s.capacity:
                st.rate_limited += 1
                headers = None if s.retry_after is None else {"Retry-After": f"{s.retry_after:g}"}
                message = f"Rate limit reached: the simulated endpoint serves at most {s.capacity} concurrent requests."
                return _error_response(429, message, "rate_limit_error", "rate_limit_exceeded", headers)
            if st.in_flight > st.peak_concurrency:
                st.peak_concurrency = st.in_flight
            try:
                if not self._authorized(request):
                    raise _RequestError(401, "Incorrect API key provided.", code="invalid_api_key")
                if s.fault == "forbidden":
                    raise _RequestError(
                        403,
                        "Your organization does not have access to this model.",
                        kind="permission_error",
                        code="model_access_denied",
                    )
                if s.fault == "non_json":
                    st.ok += 1
                    return web.Response(
                        body=b"<html><body>proxy login required</body></html>", content_type="text/html"
                    )
                if s.fault == "no_choices":
                    st.ok += 1
                    return _json_response({"id": "sim-broken", "object": "chat.completion", "created": 0})
                raw = await request.read()
                try:
                    body = orjson.loads(raw)
                except orjson.JSONDecodeError as exc:
                    raise _RequestError(400, f"Request body is not valid JSON ({exc}); send a JSON object.") from exc
                if not isinstance(body, dict):
                    raise _RequestError(400, "Request body must be a JSON object.")
                if s.models is not None and body.get("model") not in s.models:
                    msg = f"The model '{body.get('model')}' does not exist; available models: {s.models}."
                    raise _RequestError(404, msg, code="model_not_found")
                draw = self.fault_rng.random()
                payload = builder(body, raw, s, draw >= s.error_rate + s.timeout_rate and draw < _fault_edge(s))
            except _RequestError as exc:
                st.client_errors += 1
                return _error_response(exc.status, exc.message, exc.kind, exc.code)
            delay_ms = s.latency_ms + (self.fault_rng.uniform(-s.jitter_ms, s.jitter_ms) if s.jitter_ms else 0.0)
            if draw < s.error_rate:
                await _sleep_ms(delay_ms)
                st.server_errors += 1
                status = self.fault_rng.choice((500, 502, 503))
                return _error_response(status, f"Simulated upstream failure ({status}); retry.", "server_error")
            if draw < s.error_rate + s.timeout_rate:
                st.timeouts += 1
                assert self.closing is not None
                try:
                    await asyncio.wait_for(self.closing.wait(), _HOLD_S)
                except asyncio.TimeoutError:
                    pass
                return _error_response(503, "Simulated endpoint shutting down.", "server_error")
            await _sleep_ms(delay_ms)
            if payload.pop("_malformed", False):
                st.malformed += 1
            st.ok += 1
            return _json_response(payload)
        finally:
            st.in_flight -= 1

    def _chat(self, body: dict[str, Any], raw: bytes, s: SimulatorSettings, malformed: bool) -> dict[str, Any]:
        messages = body.get("messages")
        if not isinstance(messages, list) or not messages or not all(isinstance(m, dict) for m in messages):
            raise _RequestError(400, "Request field 'messages' must be a non-empty list of {role, content} objects.")
        texts = [_text_of(m.get("content")) for m in messages]
        prompt_tokens = _tokens(sum(len(t) for t in texts))
        if s.context_window_tokens is not None and prompt_tokens > s.context_window_tokens:
            raise _RequestError(
                400,
                f"This model's maximum context length is {s.context_window_tokens} tokens. However, your messages "
                f"resulted in {prompt_tokens} tokens. Please reduce the length of the messages.",
                code="context_length_exceeded",
            )
        last_user = _answerable_prompt(texts, messages)
        rng = random.Random(sim_content.derive_seed(s.seed, raw))
        response_format = body.get("response_format")
        schema = None
        if isinstance(response_format, dict) and response_format.get("type") == "json_schema":
            schema = (response_format.get("json_schema") or {}).get("schema")
        n = body.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= 16:
            raise _RequestError(400, f"Request field 'n' must be an integer in [1, 16], got {n!r}.")
        choices, completion_tokens = [], 0
        for i in range(n):
            if isinstance(schema, dict) and sim_content.extract_schema_text(last_user) is None:
                content = sim_content.render_structured_output(schema, rng, malformed=malformed)
            else:
                content = sim_content.render_chat_answer(last_user, rng, malformed=malformed)
            completion_tokens += _tokens(len(content))
            message = {"role": "assistant", "content": content}
            choices.append({"index": i, "message": message, "finish_reason": "stop", "logprobs": None})
        return {
            "id": f"chatcmpl-sim-{rng.getrandbits(48):012x}",
            "object": "chat.completion",
            "created": int(time.time()),
            "model": body.get("model") or "simulated-model",
            "choices": choices,
            "usage": {
                "prompt_tokens": prompt_tokens,
                "completion_tokens": completion_tokens,
                "total_tokens": prompt_tokens + completion_tokens,
            },
            "_malformed": malformed,
        }

    def _embeddings(self, body: dict[str, Any], raw: bytes, s: SimulatorSettings, malformed: bool) -> dict[str, Any]:
        raw = body.get("input")
        if isinstance(raw, str) or (isinstance(raw, list) and raw and all(isinstance(x, int) for x in raw)):
            raw = [raw]
        if not isinstance(raw, list) or not raw:
            raise _RequestError(400, "Request field 'input' must be a non-empty string or list of strings.")
        texts = [x if isinstance(x, str) else json.dumps(x) for x in raw]
        dim = body.get("dimensions") or s.embedding_dim
        if not isinstance(dim, int) or not 1 <= dim <= 65536:
            raise _RequestError(400, f"Request field 'dimensions' must be a positive integer, got {dim!r}.")
        as_base64 = body.get("encoding_format") == "base64"
        data = []
        for i, text in enumerate(texts):
            vec: Any = sim_content.make_embedding(text, dim, s.seed)
            if as_base64:
                vec = base64.b64encode(array.array("f", vec).tobytes()).decode()
            data.append({"object": "embedding", "index": i, "embedding": vec})
        tokens = sum(_tokens(len(t)) for t in texts)
        usage = {"prompt_tokens": tokens, "total_tokens": tokens}
        return {"object": "list", "data": data, "model": body.get("model") or "simulated-model", "usage": usage}

    def _images(self, body: dict[str, Any], raw: bytes, s: SimulatorSettings, malformed: bool) -> dict[str, Any]:
        prompt = body.get("prompt")
        if not isinstance(prompt, str) or not prompt:
            raise _RequestError(400, "Request field 'prompt' must be a non-empty string.")
        n = body.get("n") or 1
        if not isinstance(n, int) or not 1 <= n <= 10:
            raise _RequestError(400, f"Request field 'n' must be an integer in [1, 10], got {n!r}.")
        as_url = body.get("response_format") == "url"
        data = []
        for i in range(n):
            b64 = base64.b64encode(sim_content.make_png(sim_content.derive_seed(s.seed, prompt, str(i)))).decode()
            data.append({"url": f"data:image/png;base64,{b64}"} if as_url else {"b64_json": b64})
        return {"created": int(time.time()), "data": data}


def _fault_edge(s: SimulatorSettings) -> float:
    return s.error_rate + s.timeout_rate + s.malformed_rate


async def _sleep_ms(delay_ms: float) -> None:
    if delay_ms > 0:
        await asyncio.sleep(delay_ms / 1000.0)


# ------------------------------------------------------------------------------------------------ runners
class SimulatedEndpoint:
    """The simulator on a daemon thread with its own event loop; ``start()`` returns once it is listening."""

    def __init__(
        self,
        *,
        host: str = "127.0.0.1",
        port: int = 0,
        latency_ms: float = 0.0,
        jitter_ms: float = 0.0,
        capacity: int | None = None,
        error_rate: float = 0.0,
        timeout_rate: float = 0.0,
        malformed_rate: float = 0.0,
        retry_after: float | None = 1.0,
        seed: int = 0,
        api_key: str | None = None,
        models: list[str] | None = None,
        context_window_tokens: int | None = None,
        embedding_dim: int = 16,
        fault: str | None = None,
    ) -> None:
        settings = {k: v for k, v in locals().items() if k in _SETTING_NAMES}
        self._core = _SimulatorCore(SimulatorSettings(**settings))
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._ready = threading.Event()
        self._startup_error: BaseException | None = None
        self.port: int = 0
        self.base_url: str = ""

    def start(self) -> str:
        if self._thread is not None:
            return self.base_url
        self._ready.clear()
        self._startup_error = None
        self._thread = threading.Thread(target=self._run, name="simulated-endpoint", daemon=True)
        self._thread.start()
        self._ready.wait()
        if self._startup_error is not None:
            self._thread.join()
            self._thread = None
            raise self._startup_error
        return self.base_url

    def _run(self) -> None:
        loop = self._loop = asyncio.new_event_loop()
        try:
            self._stop = asyncio.Event()
            self.port = loop.run_until_complete(self._core.start())
            self.base_url = f"http://{self._core.settings.host}:{self.port}/v1"
        except BaseException as exc:  # reported to the starting thread
            self._startup_error = exc
            self._ready.set()
            loop.close()
            return
        self._ready.set()
        try:
            loop.run_until_complete(self._stop.wait())
            loop.run_until_complete(self._core.close())
            _cancel_remaining(loop)
        finally:
            loop.close()

    def stop(self) -> None:
        """Stop serving; held and in-flight requests are dropped. Idempotent."""
        thread, loop, stop = self._thread, self._loop, self._stop
        if thread is None or loop is None or stop is None:
            return
        if thread.is_alive():
            loop.call_soon_threadsafe(stop.set)
            thread.join(timeout=15)
        self._thread = None

    def __enter__(self) -> SimulatedEndpoint:
        self.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()

    @property
    def settings(self) -> SimulatorSettings:
        return self._core.settings

    def stats(self) -> dict[str, Any]:
        return self._core.stats.snapshot()

    def reset_stats(self) -> None:
        if self._loop is not None and self._thread is not None and self._thread.is_alive():
            done = threading.Event()
            self._loop.call_soon_threadsafe(lambda: (self._core.stats.reset(), done.set()))
            done.wait(timeout=5)
        else:
            self._core.stats.reset()

    def configure(self, **changes: Any) -> None:
        """Change settings at run time (latency, capacity, rates, ...); host/port changes need a restart."""
        self._core.configure(**changes)


def _cancel_remaining(loop: asyncio.AbstractEventLoop) -> None:
    tasks = [t for t in asyncio.all_tasks(loop) if not t.done()]
    for task in tasks:
        task.cancel()
    if tasks:
        loop.run_until_complete(asyncio.gather(*tasks, return_exceptions=True))
    loop.run_until_complete(loop.shutdown_asyncgens())


# The process runners live in sim_process; re-exported here so `data_designer.testing.simulator` stays the one API.


# The process runners live in sim_process; re-exported here so `data_designer.testing.simulator` stays the one API.
from data_designer.testing.sim_process import (  # noqa: E402, F401
    SimulatorProcess,
    serve_forever,
    start_simulator_process,
)
