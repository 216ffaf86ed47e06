import asyncio

import pytest

from data_designer.config.models import EmbeddingInferenceParams, ModelConfig
from data_designer.errors import ModelAuthenticationError, ModelNotFoundError
from data_designer.models.readiness import ProbeResult, acheck_readiness, readiness_error
from data_designer.models.usage import ModelUsageStats


class FakeFacade:
    def __init__(self, config, error=None):
        self.generation_type = config.generation_type
        self.error = error
        self.calls = []

    async def agenerate(self, prompt, **kwargs):
        self.calls.append(("chat", prompt, kwargs))
        if self.error:
            raise self.error
        return "hi", []

    async def agenerate_text_embeddings(self, texts):
        self.calls.append(("embed", texts))
        return [[0.0]]


class FakeRegistry:
    def __init__(self, configs, errors=None):
        self.configs = {c.alias: c for c in configs}
        self.facades = {c.alias: FakeFacade(c, (errors or {}).get(c.alias)) for c in configs}

    def get_model_config(self, alias):
        return self.configs[alias]

    def get_model(self, alias):
        return self.facades[alias]


CONFIGS = [
    ModelConfig(alias="chat", model="m", provider="p"),
    ModelConfig(alias="emb", model="e", provider="p", inference_parameters=EmbeddingInferenceParams()),
    ModelConfig(alias="skipped", model="m", provider="p", skip_health_check=True),
]


def test_probes_each_distinct_alias_by_generation_type_and_honours_skip():
    registry = FakeRegistry(CONFIGS)
    results = asyncio.run(acheck_readiness(registry, ["chat", "emb", "chat", "skipped"], environ={}))
    assert [(r.alias, r.ok, r.skipped) for r in results] == [
        ("chat", True, False),
        ("emb", True, False),
        ("skipped", True, True),
    ]
    assert registry.facades["chat"].calls == [
        ("chat", "Hello!", {"system_prompt": "You are a helpful assistant.", "purpose": "healthcheck"})
    ]
    assert registry.facades["emb"].calls == [("embed", ["Hello!"])]
    assert registry.facades["skipped"].calls == []


def test_env_var_skips_all_probes():
    registry = FakeRegistry(CONFIGS)
    results = asyncio.run(acheck_readiness(registry, ["chat"], environ={"DATA_DESIGNER_SKIP_MODEL_HEALTH_CHECKS": "1"}))
    assert results[0].skipped and registry.facades["chat"].calls == []


def test_failures_are_aggregated_into_one_error_of_the_first_class():
    configs = [ModelConfig(alias=a, model="m", provider="p") for a in ("a1", "a2")]
    errors = {"a1": ModelAuthenticationError("key bad"), "a2": ModelNotFoundError("no model")}
    with pytest.raises(ModelAuthenticationError) as info:
        asyncio.run(acheck_readiness(FakeRegistry(configs, errors), ["a1", "a2"], environ={}))
    assert "[a1] key bad" in str(info.value) and "[a2] no model" in str(info.value)
    assert set(info.value.failures) == {"a1", "a2"}
    assert readiness_error([ProbeResult("x", ok=True)]) is None


def test_usage_merge_and_to_dict():
    a = ModelUsageStats(model_alias="m", requests_ok=2, input_tokens=10, output_tokens=5, rate_limited=1)
    b = ModelUsageStats(model_alias="m", requests_failed=1, input_tokens=1, throttled_s=0.5)
    merged = a.merge(b)
    assert merged.to_dict()["total_tokens"] == 16 and merged.requests_failed == 1 and merged.throttled_s == 0.5
    assert ModelUsageStats.from_dict(merged.to_dict()) == merged
