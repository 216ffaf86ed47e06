import asyncio
import threading

import pytest

from data_designer.config.models import ChatCompletionInferenceParams, ModelConfig, ModelProvider
from data_designer.errors import DataDesignerRuntimeError, ModelGenerationValidationFailureError
from data_designer.models.executor import RequestExecutor
from data_designer.models.facade import ModelFacade, is_diffusion_model
from data_designer.models.usage import ModelUsageStats
from data_designer.models.wire import ChatCompletionResponse, Usage


class FakeLease:
    def release(self, outcome, *, retry_after_s=None):
        pass


class FakeLimiter:
    def try_acquire(self):
        return FakeLease()

    async def acquire(self):
        return FakeLease()


class FakeClient:
    endpoint = "http://fake/v1"

    def __init__(self, answers):
        self.answers = list(answers)
        self.bodies = []
        self.timeouts = []
        self.closed = 0

    async def chat(self, body, ctx, *, timeout_s, extra_headers):
        self.bodies.append({**body, "messages": list(body["messages"])})
        self.timeouts.append(timeout_s)
        content, finish = self.answers.pop(0) if isinstance(self.answers[0], tuple) else (self.answers.pop(0), "stop")
        return ChatCompletionResponse(content=content, usage=Usage(2, 3, 5), finish_reason=finish)

    async def aclose(self):
        self.closed += 1


class ParseError(ValueError):
    def __init__(self, msg):
        super().__init__(msg)
        self.correction_prompt = f"fix: {msg}"
        self.failure_kind = "schema_validation"


def parse_int(text):
    try:
        return int(text)
    except ValueError as exc:
        raise ParseError(f"{text!r} is not an integer") from exc


def _facade(answers, params=None, provider_extra=None):
    config = ModelConfig(
        alias="alias", model="m", provider="p", inference_parameters=params or ChatCompletionInferenceParams()
    )
    provider = ModelProvider(name="p", endpoint="http://fake/v1", extra_body=provider_extra)
    client = FakeClient(answers)
    executor = RequestExecutor(lambda d: FakeLimiter(), ModelUsageStats(model_alias="alias"))
    return ModelFacade(config, provider, client=client, executor=executor), client


def test_generate_returns_parsed_value_and_trace_and_counts_tokens():
    facade, client = _facade(["42"])
    value, messages = asyncio.run(facade.agenerate("Give a number", parser=parse_int, system_prompt="sys"))
    assert value == 42
    assert [m["role"] for m in messages] == ["system", "user", "assistant"]
    assert facade.usage_stats.input_tokens == 2 and facade.usage_stats.output_tokens == 3
    assert facade.usage_stats.requests_ok == 1


def test_corrections_then_restarts_then_validation_failure():
    facade, client = _facade(["a", "b", "c", "d"])
    with pytest.raises(ModelGenerationValidationFailureError) as info:
        asyncio.run(facade.agenerate("n", parser=parse_int, max_correction_steps=1, max_conversation_restarts=1))
    assert len(client.bodies) == 4
    assert client.bodies[1]["messages"][-1] == {"role": "user", "content": "fix: 'a' is not an integer"}
    assert len(client.bodies[2]["messages"]) == 1  # restart from the original prompt
    assert info.value.failure_kind == "schema_validation" and "alias" in str(info.value)


def test_correction_succeeds_in_conversation():
    facade, client = _facade(["x", "7"])
    value, messages = asyncio.run(facade.agenerate("n", parser=parse_int, max_correction_steps=1))
    assert value == 7 and [m["role"] for m in messages] == ["user", "assistant", "user", "assistant"]


def test_truncated_answer_reports_max_tokens():
    facade, _ = _facade([("abc", "length")])
    with pytest.raises(ModelGenerationValidationFailureError, match="max_tokens") as info:
        asyncio.run(facade.agenerate("n", parser=parse_int))
    assert info.value.truncation_reason == "max_tokens"


def test_parser_bugs_propagate_unchanged():
    facade, _ = _facade(["1"])

    def broken(text):
        raise KeyError("bug")

    with pytest.raises(KeyError):
        asyncio.run(facade.agenerate("n", parser=broken, max_conversation_restarts=3))


def test_request_merges_params_call_kwargs_and_provider_extra_body():
    params = ChatCompletionInferenceParams(temperature=0.2, max_tokens=9, timeout=7, extra_body={"a": 1, "b": 1})
    facade, client = _facade(["ok"], params=params, provider_extra={"b": 2})
    asyncio.run(facade.agenerate("p", temperature=0.9, n=3, bogus=1, multi_modal_context=[{"type": "image_url"}]))
    body = client.bodies[0]
    assert body["temperature"] == 0.9 and body["max_tokens"] == 9 and body["a"] == 1 and body["b"] == 2
    assert "n" not in body and "bogus" not in body and "timeout" not in body
    assert client.timeouts == [7.0] and facade.request_timeout == 7.0
    assert body["messages"][0]["content"][-1] == {"type": "text", "text": "p"}


def test_sync_generate_without_loop_uses_asyncio_run_and_closes_session():
    facade, client = _facade(["5"])
    assert facade.generate("n", parser=parse_int)[0] == 5
    assert client.closed == 1


def test_sync_generate_from_worker_thread_runs_on_engine_loop():
    facade, client = _facade(["5"])
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    try:
        facade.engine_loop = loop
        assert facade.generate("n", parser=parse_int)[0] == 5
        assert client.closed == 0  # the engine's session is kept
    finally:
        loop.call_soon_threadsafe(loop.stop)
        thread.join()
        loop.close()


def test_sync_generate_inside_running_loop_raises_instead_of_deadlocking():
    facade, _ = _facade(["5"])

    async def main():
        facade.engine_loop = asyncio.get_running_loop()
        facade.generate("n")

    with pytest.raises(DataDesignerRuntimeError, match="agenerate"):
        asyncio.run(main())


def test_diffusion_routing_by_model_name():
    assert is_diffusion_model("dall-e-3") and is_diffusion_model("stabilityai/stable-diffusion-xl")
    assert not is_diffusion_model("gpt-4.1")
