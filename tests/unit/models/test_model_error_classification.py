import email.utils

import orjson
import pytest

from data_designer.errors import (
    RETRYABLE_MODEL_ERRORS,
    ModelAPIError,
    ModelAuthenticationError,
    ModelBadRequestError,
    ModelContextWindowExceededError,
    ModelInternalServerError,
    ModelNotFoundError,
    ModelPermissionDeniedError,
    ModelQuotaExceededError,
    ModelRateLimitError,
    ModelTimeoutError,
    ModelUnprocessableEntityError,
    ModelUnsupportedParamsError,
)
from data_designer.models.errors import RequestContext, classify_http_error, parse_retry_after, provider_message

CTX = RequestContext(model_alias="my-alias", model="my-model", provider="prov", endpoint="http://h/v1")


def _body(message: str) -> bytes:
    return orjson.dumps({"error": {"message": message}})


@pytest.mark.parametrize(
    ("status", "message", "cls"),
    [
        (429, "You exceeded your current quota, check billing", ModelQuotaExceededError),
        (403, "insufficient_quota", ModelQuotaExceededError),
        (401, "bad key", ModelAuthenticationError),
        (403, "forbidden", ModelPermissionDeniedError),
        (404, "no such model", ModelNotFoundError),
        (408, "timeout", ModelTimeoutError),
        (413, "too big", ModelContextWindowExceededError),
        (400, "This model's maximum context length is 10 tokens", ModelContextWindowExceededError),
        (422, "bad", ModelUnprocessableEntityError),
        (429, "slow down", ModelRateLimitError),
        (400, "Unsupported parameter: 'top_k'", ModelUnsupportedParamsError),
        (400, "messages must be a list", ModelBadRequestError),
        (500, "boom", ModelInternalServerError),
        (503, "busy", ModelInternalServerError),
        (418, "teapot", ModelAPIError),
    ],
)
def test_status_and_phrases_map_to_model_errors(status, message, cls):
    error = classify_http_error(status, _body(message), CTX)
    assert type(error) is cls
    assert error.status_code == status and error.model_alias == "my-alias"
    text = str(error)
    assert "my-alias" in text and message[:10] in text and "\n" not in text


def test_rate_limit_carries_retry_after_and_is_retryable():
    error = classify_http_error(429, b"", CTX, retry_after_header="3")
    assert isinstance(error, ModelRateLimitError) and error.retry_after == 3.0
    assert isinstance(error, RETRYABLE_MODEL_ERRORS)
    assert not isinstance(classify_http_error(401, b"", CTX), RETRYABLE_MODEL_ERRORS)


def test_retry_after_accepts_seconds_and_http_dates():
    assert parse_retry_after("2.5") == 2.5
    assert parse_retry_after(None) is None and parse_retry_after("soon") is None
    date = email.utils.formatdate(1_000_010, usegmt=True)
    assert parse_retry_after(date, now=1_000_000) == pytest.approx(10.0)
    assert parse_retry_after(email.utils.formatdate(10, usegmt=True), now=1_000_000) == 0.0


def test_provider_message_is_extracted_and_truncated():
    assert provider_message(b'{"detail": "nope"}') == "nope"
    assert provider_message(b"<html>\n oops </html>") == "<html> oops </html>"
    assert len(provider_message("x" * 1000)) <= 303
