import random

import pytest
from pydantic import ValidationError

from data_designer.config.models import (
    ChatCompletionInferenceParams,
    EmbeddingInferenceParams,
    GenerationType,
    ImageContext,
    ImageInferenceParams,
    ManualDistribution,
    ManualDistributionParams,
    ModelConfig,
    ModelProvider,
    UniformDistribution,
    UniformDistributionParams,
)


def _config(params) -> ModelConfig:
    return ModelConfig(alias="a", model="m", provider="p", inference_parameters=params)


def test_dict_params_are_typed_by_generation_type_then_embedding_fields_then_chat():
    assert _config({"generation_type": "image"}).generation_type == GenerationType.IMAGE
    assert _config({"dimensions": 8}).generation_type == GenerationType.EMBEDDING
    assert _config({"encoding_format": "base64"}).generation_type == GenerationType.EMBEDDING
    assert _config({"temperature": 0.3}).generation_type == GenerationType.CHAT_COMPLETION
    assert ModelConfig(alias="a", model="m", provider="p").generation_type == GenerationType.CHAT_COMPLETION


def test_model_config_round_trips_through_json():
    for params in (
        ChatCompletionInferenceParams(
            temperature=ManualDistribution(params=ManualDistributionParams(values=[0.1, 0.9]))
        ),
        EmbeddingInferenceParams(dimensions=4, extra_body={"input_type": "query"}),
        ImageInferenceParams(timeout=5),
    ):
        config = _config(params)
        assert ModelConfig.model_validate_json(config.model_dump_json()) == config


def test_provider_is_required_and_extra_fields_rejected():
    with pytest.raises(ValidationError):
        ModelConfig(alias="a", model="m")
    with pytest.raises(ValidationError):
        ModelConfig(alias="a", model="m", provider="p", unknown=1)


def test_provider_type_is_lowercased_and_validated():
    assert ModelProvider(name="x", endpoint="http://h/v1/", provider_type="OpenAI").provider_type == "openai"
    assert ModelProvider(name="x", endpoint="http://h/v1/").endpoint == "http://h/v1"
    with pytest.raises(ValidationError, match="provider_type"):
        ModelProvider(name="x", endpoint="http://h/v1", provider_type="bedrock")
    with pytest.raises(ValidationError, match="http"):
        ModelProvider(name="x", endpoint="integrate.api.nvidia.com")


def test_generate_kwargs_omits_none_and_samples_distributions_each_call():
    params = ChatCompletionInferenceParams(
        temperature=UniformDistribution(params=UniformDistributionParams(low=0.0, high=2.0)), max_tokens=7
    )
    seen = {params.generate_kwargs["temperature"] for _ in range(20)}
    assert len(seen) > 1 and all(0.0 <= t <= 2.0 for t in seen)
    assert set(params.generate_kwargs) == {"temperature", "max_tokens"}
    assert ChatCompletionInferenceParams().generate_kwargs == {}
    assert ChatCompletionInferenceParams(timeout=3, extra_body={"k": 1}).generate_kwargs == {
        "timeout": 3,
        "extra_body": {"k": 1},
    }


@pytest.mark.parametrize(
    "kwargs",
    [
        {"temperature": 2.5},
        {"top_p": 1.5},
        {"temperature": {"distribution_type": "uniform", "params": {"low": 0.5, "high": 3}}},
        {"top_p": {"distribution_type": "manual", "params": {"values": [0.5, 1.2]}}},
        {"max_tokens": 0},
        {"max_parallel_requests": 0},
        {"timeout": 0},
    ],
)
def test_range_validation_applies_to_scalars_and_distributions(kwargs):
    with pytest.raises(ValidationError):
        ChatCompletionInferenceParams(**kwargs)


def test_manual_distribution_respects_weights_with_random_and_numpy():
    import numpy as np

    dist = ManualDistribution(params=ManualDistributionParams(values=[0.1, 0.7], weights=[0, 3]))
    assert dist.params.weights == [0.0, 1.0]
    assert {dist.sample(random.Random(1)) for _ in range(10)} == {0.7}
    assert dist.sample(np.random.default_rng(0)) == 0.7
    with pytest.raises(ValidationError, match="one weight per value"):
        ManualDistributionParams(values=[1.0], weights=[1.0, 2.0])


def test_image_context_builds_data_uri_from_file_and_passes_urls(tmp_path):
    png = b"\x89PNG\r\n\x1a\n" + b"0" * 16
    (tmp_path / "img.png").write_bytes(png)
    ctx = ImageContext(column_name="pic")
    blocks = ctx.get_contexts({"pic": '["img.png", "https://x/y.jpg"]'}, base_path=tmp_path)
    assert blocks[0]["image_url"]["url"].startswith("data:image/png;base64,")
    assert blocks[1]["image_url"]["url"] == "https://x/y.jpg"
    with pytest.raises(ValidationError, match="image_format is required"):
        ImageContext(column_name="pic", data_type="base64")
