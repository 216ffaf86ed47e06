import asyncio

import pytest

from data_designer.config.models import ChatCompletionInferenceParams, ModelConfig, ModelProvider
from data_designer.errors import (
    DataDesignerRuntimeError,
    ModelUnsupportedCapabilityError,
    NoModelProvidersError,
    SecretResolutionError,
    UnknownProviderError,
)
from data_designer.models.registry import ModelRegistry
from data_designer.models.secrets import CompositeResolver, EnvironmentResolver, PlaintextResolver


def _cfg(alias, provider="p", model="m", mpr=4):
    params = ChatCompletionInferenceParams(max_parallel_requests=mpr)
    return ModelConfig(alias=alias, model=model, provider=provider, inference_parameters=params)


PROVIDER = ModelProvider(name="p", endpoint="http://127.0.0.1:9/v1")


def test_unknown_provider_names_alias_provider_and_known_providers():
    registry = ModelRegistry(
        [_cfg("writer", provider="nvidai")], [PROVIDER, ModelProvider(name="nvidia", endpoint="http://x/v1")]
    )
    with pytest.raises(UnknownProviderError) as info:
        registry.validate_aliases(["writer"])
    text = str(info.value)
    assert "writer" in text and "nvidai" in text and "nvidia" in text and "Known providers: nvidia, p" in text


def test_no_providers_at_all():
    with pytest.raises(NoModelProvidersError):
        ModelRegistry([_cfg("a")], []).get_model("a")


def test_unknown_alias_suggests_closest():
    registry = ModelRegistry([_cfg("nvidia-text")], [PROVIDER])
    with pytest.raises(DataDesignerRuntimeError, match="Did you mean 'nvidia-text'"):
        registry.get_model("nvidia-txt")


def test_ceiling_is_min_over_aliases_of_same_model_and_facades_are_cached():
    registry = ModelRegistry([_cfg("a", mpr=16), _cfg("b", mpr=8), _cfg("c", model="other", mpr=3)], [PROVIDER])
    assert registry.throttle.max_parallel_requests("p", "m") == 8
    assert registry.throttle.max_parallel_requests("p", "other") == 3
    assert registry.get_model("a") is registry.get_model("a")
    assert registry.get_model("a")._client is registry.get_model("c")._client


def test_missing_api_key_fails_on_first_use_naming_the_variable():
    provider = ModelProvider(name="p", endpoint="http://127.0.0.1:9/v1", api_key="SIM_TEST_KEY")
    resolver = CompositeResolver([EnvironmentResolver({}), PlaintextResolver()])
    registry = ModelRegistry([_cfg("a")], [provider], resolver)
    with pytest.raises(SecretResolutionError, match="SIM_TEST_KEY"):
        registry.get_model("a")


def test_anthropic_provider_is_accepted_in_config_but_client_says_unsupported():
    provider = ModelProvider(name="p", endpoint="https://api.anthropic.com", provider_type="anthropic")
    registry = ModelRegistry([_cfg("a")], [provider])
    with pytest.raises(ModelUnsupportedCapabilityError, match="anthropic"):
        registry.get_model("a")


def test_engine_loop_propagates_to_facades_and_aclose_is_safe():
    registry = ModelRegistry([_cfg("a")], [PROVIDER])
    facade = registry.get_model("a")
    loop = asyncio.new_event_loop()
    registry.set_engine_loop(loop)
    assert facade.engine_loop is loop
    loop.run_until_complete(registry.aclose())
    loop.close()
