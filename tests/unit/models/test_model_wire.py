import base64
from array import array

import pytest

from data_designer.errors import ModelAPIError
from data_designer.models.wire import (
    assistant_message,
    build_request_body,
    parse_chat_response,
    parse_embedding_response,
    parse_image_response,
)


def test_request_body_merges_extra_bodies_with_provider_winning():
    body = build_request_body("m", {"temperature": 0.5}, {"a": 1, "b": 1}, {"b": 2})
    assert body == {"model": "m", "temperature": 0.5, "a": 1, "b": 2}


def test_chat_response_reads_content_reasoning_tools_and_usage():
    data = {
        "choices": [
            {
                "message": {
                    "content": "hi",
                    "reasoning_content": "think",
                    "tool_calls": [{"id": "c1", "function": {"name": "f", "arguments": '{"x":1}'}}],
                    "images": [{"image_url": {"url": "data:image/png;base64,QUJD"}}],
                },
                "finish_reason": "stop",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 4, "completion_tokens_details": {"reasoning_tokens": 2}},
    }
    response = parse_chat_response(data)
    assert (response.content, response.reasoning_content, response.finish_reason) == ("hi", "think", "stop")
    assert response.tool_calls[0].name == "f" and response.images[0].b64_data == "QUJD"
    assert (response.usage.prompt_tokens, response.usage.total_tokens, response.usage.reasoning_tokens) == (3, 7, 2)
    message = assistant_message(response)
    assert message["reasoning_content"] == "think" and message["tool_calls"][0]["function"]["name"] == "f"


def test_vllm_reasoning_field_wins():
    response = parse_chat_response({"choices": [{"message": {"content": "a", "reasoning": "r1"}}]})
    assert response.reasoning_content == "r1"


@pytest.mark.parametrize("data", [[], "text", {"id": "x"}, {"choices": []}, {"choices": ["x"]}])
def test_body_without_choices_is_an_api_error_saying_so(data):
    with pytest.raises(ModelAPIError, match="choices|not an object"):
        parse_chat_response(data, endpoint="http://h/v1/chat/completions")


def test_embeddings_are_ordered_by_index_and_base64_decoded():
    packed = base64.b64encode(array("f", [1.0, 2.0]).tobytes()).decode()
    data = {
        "data": [{"index": 1, "embedding": packed}, {"index": 0, "embedding": [0.5]}],
        "usage": {"prompt_tokens": 2},
    }
    response = parse_embedding_response(data)
    assert response.embeddings == [[0.5], [1.0, 2.0]]
    with pytest.raises(ModelAPIError, match="data"):
        parse_embedding_response({"object": "list"})


def test_image_response_accepts_b64_and_urls():
    images = parse_image_response({"data": [{"b64_json": "QQ=="}, {"url": "https://cdn/x.png"}]})
    assert images[0].b64_data == "QQ==" and images[1].url == "https://cdn/x.png"
