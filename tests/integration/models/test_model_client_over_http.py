"""Bad input -> clear error, nothing hangs: every case over real HTTP."""

from __future__ import annotations

import asyncio
import socket

import orjson
import pytest

from data_designer.config.models import (
    ChatCompletionInferenceParams,
    EmbeddingInferenceParams,
    ImageInferenceParams,
    ModelConfig,
    ModelProvider,
)
from data_designer.errors import (
    ModelAPIConnectionError,
    ModelAPIError,
    ModelAuthenticationError,
    ModelContextWindowExceededError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelRateLimitError,
    ModelTimeoutError,
    SecretResolutionError,
    UnknownProviderError,
)
from data_designer.models.executor import RetryPolicy
from data_designer.models.readiness import acheck_readiness
from data_designer.models.registry import ModelRegistry
from data_designer.models.secrets import CompositeResolver, EnvironmentResolver, PlaintextResolver

FAST_RETRIES = RetryPolicy(retry_backoff_s=(0.0, 0.0, 0.0))


def _registry(endpoint, *, api_key="sim-key", model="sim-model", params=None, provider="sim", environ=None, **kw):
    providers = [ModelProvider(name="sim", endpoint=endpoint, api_key=api_key)]
    config = ModelConfig(
        alias="writer", model=model, provider=provider, inference_parameters=params or ChatCompletionInferenceParams()
    )
    resolver = CompositeResolver([EnvironmentResolver(environ or {}), PlaintextResolver()])
    return ModelRegistry([config], providers, resolver, retry_policy=FAST_RETRIES, **kw)


async def _generate(registry, prompt="Say hello", **kwargs):
    try:
        return await registry.get_model("writer").agenerate(prompt, **kwargs)
    finally:
        await registry.aclose()


def test_chat_embeddings_images_and_usage_against_simulator(sim):
    async def main():
        providers = [ModelProvider(name="sim", endpoint=sim.base_url, api_key="SIM_KEY_VAR")]
        configs = [
            ModelConfig(alias="writer", model="sim-model", provider="sim"),
            ModelConfig(
                alias="emb",
                model="sim-model",
                provider="sim",
                inference_parameters=EmbeddingInferenceParams(dimensions=8),
            ),
            ModelConfig(alias="img", model="sim-model", provider="sim", inference_parameters=ImageInferenceParams()),
        ]
        resolver = CompositeResolver([EnvironmentResolver({"SIM_KEY_VAR": "sim-key"}), PlaintextResolver()])
        registry = ModelRegistry(configs, providers, resolver)
        try:
            text, messages = await registry.get_model("writer").agenerate("Say hello", system_prompt="Be brief.")
            vectors = await registry.get_model("emb").agenerate_text_embeddings(["a", "b"])
            results = await acheck_readiness(registry, ["writer", "emb"], environ={})
        finally:
            await registry.aclose()
        return text, messages, vectors, results, registry.usage_summary()

    text, messages, vectors, results, usage = asyncio.run(main())
    assert text and messages[-1] == {"role": "assistant", "content": text}
    assert len(vectors) == 2 and len(vectors[0]) == 8
    assert all(r.ok and not r.skipped for r in results)
    assert usage["writer"]["requests_ok"] == 2 and usage["writer"]["input_tokens"] > 0
    assert usage["emb"]["requests_ok"] == 2


def test_unknown_provider_in_model_config(sim):
    with pytest.raises(UnknownProviderError, match="'writer'.*'nvidia'.*Known providers: sim"):
        asyncio.run(_generate(_registry(sim.base_url, provider="nvidia")))


def test_missing_api_key_names_the_variable(sim):
    with pytest.raises(SecretResolutionError, match="SIM_API_KEY"):
        asyncio.run(_generate(_registry(sim.base_url, api_key="SIM_API_KEY")))


def test_unreachable_endpoint_is_one_line_naming_the_endpoint():
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    endpoint = f"http://127.0.0.1:{port}/v1"
    with pytest.raises(ModelAPIConnectionError) as info:
        asyncio.run(_generate(_registry(endpoint)))
    message = str(info.value)
    assert endpoint in message and "\n" not in message and "writer" in message
    assert "aiohttp" not in message and "Traceback" not in message


def test_wrong_key_is_authentication_error(sim):
    with pytest.raises(ModelAuthenticationError, match="HTTP 401.*api_key"):
        asyncio.run(_generate(_registry(sim.base_url, api_key="wrong-key")))


def test_unknown_model_is_not_found(sim):
    with pytest.raises(ModelNotFoundError, match="'no-such-model'"):
        asyncio.run(_generate(_registry(sim.base_url, model="no-such-model")))


def test_context_window_exceeded(sim):
    with pytest.raises(ModelContextWindowExceededError, match="context window"):
        asyncio.run(_generate(_registry(sim.base_url), prompt="word " * 400))


def test_server_hanging_past_the_timeout_raises_timeout(sim):
    sim.configure(timeout_rate=1.0)
    with pytest.raises(ModelTimeoutError, match="within 0.3 s.*inference_parameters.timeout"):
        asyncio.run(_generate(_registry(sim.base_url), timeout=0.3))


def test_429_reaches_the_limiter_with_retry_after_and_is_not_retried(sim):
    sim.configure(capacity=1, retry_after=1.0, latency_ms=300)
    registry = _registry(sim.base_url)

    async def main():
        facade = registry.get_model("writer")
        try:
            return await asyncio.gather(facade.agenerate("a"), facade.agenerate("b"), return_exceptions=True)
        finally:
            await registry.aclose()

    outcomes = asyncio.run(main())
    errors = [o for o in outcomes if isinstance(o, BaseException)]
    assert len(errors) == 1 and isinstance(errors[0], ModelRateLimitError) and errors[0].retry_after == 1.0
    snapshot = registry.throttle.get("sim", "sim-model", "chat").snapshot()
    assert snapshot["rate_limited"] == 1 and snapshot["succeeded"] == 1 and snapshot["limit"] == 3  # floor(4 * 0.75)
    assert sim.stats()["requests"] == 2  # the 429 was not retried
    assert registry.usage_summary()["writer"]["rate_limited"] == 1


def test_403_is_permission_denied(scripted):
    scripted.script = [(403, orjson.dumps({"error": {"message": "no access to model"}}), {})]
    with pytest.raises(ModelPermissionDeniedError, match="no access to model"):
        asyncio.run(_generate(_registry(scripted.base_url)))


def test_non_json_body_says_so(scripted):
    scripted.script = [(200, b"<html>proxy login</html>", {})]
    with pytest.raises(ModelAPIError, match="not JSON.*<html>"):
        asyncio.run(_generate(_registry(scripted.base_url)))


def test_body_without_choices_says_so(scripted):
    scripted.script = [(200, b'{"id": "x", "object": "chat.completion"}', {})]
    with pytest.raises(ModelAPIError, match="without 'choices'"):
        asyncio.run(_generate(_registry(scripted.base_url)))


def test_503_is_retried_at_transport_level_with_a_new_lease_each_time(scripted):
    ok = orjson.dumps({"choices": [{"message": {"content": "fine"}, "finish_reason": "stop"}]})
    scripted.script = [(503, b'{"error": {"message": "busy"}}', {}), (502, b"", {}), (200, ok, {})]
    registry = _registry(scripted.base_url)
    text, _ = asyncio.run(_generate(registry))
    assert text == "fine" and scripted.requests == 3
    snapshot = registry.throttle.get("sim", "sim-model", "chat").snapshot()
    assert snapshot["acquired"] == 3 and snapshot["failed"] == 2 and snapshot["succeeded"] == 1


def test_500_is_not_retried(scripted):
    scripted.script = [(500, b'{"error": {"message": "boom"}}', {})]
    with pytest.raises(Exception, match="HTTP 500"):
        asyncio.run(_generate(_registry(scripted.base_url)))
    assert scripted.requests == 1


@pytest.mark.parametrize(
    ("fault", "error", "match"),
    [
        ("forbidden", ModelPermissionDeniedError, "does not have access"),
        ("non_json", ModelAPIError, "not JSON.*<html>"),
        ("no_choices", ModelAPIError, "without 'choices'"),
    ],
)
def test_broken_simulated_server_errors_are_clear(fault, error, match):
    from data_designer.testing import SimulatedEndpoint

    with SimulatedEndpoint(fault=fault) as broken:
        with pytest.raises(error, match=match):
            asyncio.run(_generate(_registry(broken.base_url)))
