import json
import socket

import pytest

from data_designer.config.column_configs import ValidationColumnConfig
from data_designer.config.validator_params import RemoteValidatorParams
from data_designer.errors import DataDesignerRuntimeError, RemoteValidationSchemaError
from data_designer.generators.base import GeneratorContext
from data_designer.generators.validation import ValidationGenerator
from data_designer.generators.validators.remote import (
    RemoteValidator,
    backoff_delays_s,
    encode_request,
    is_retryable_status,
    parse_remote_response,
)


def make(url, sleeps=None, **overrides):
    params = RemoteValidatorParams(endpoint_url=url, **{"max_retries": 2, **overrides})
    sleep = sleeps.append if sleeps is not None else (lambda s: None)
    return RemoteValidator(params, ["text"], column="remote_check", sleep=sleep)


def closed_port_url():
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    return f"http://127.0.0.1:{port}/validate"


def test_backoff_grows_geometrically():
    assert backoff_delays_s(3, 2.0) == [2.0, 4.0, 8.0]
    assert backoff_delays_s(0, 2.0) == []


@pytest.mark.parametrize(("status", "retryable"), [(500, True), (503, True), (429, True), (408, True), (400, False)])
def test_retryable_statuses(status, retryable):
    assert is_retryable_status(status) is retryable


def test_request_body_is_plain_json():
    import datetime

    import numpy as np

    record = {"text": "a", "n": np.int64(2), "f": float("nan"), "d": datetime.date(2024, 1, 2), "o": object}
    body = json.loads(encode_request([record]))
    assert body["data"][0] == {"text": "a", "n": 2, "f": None, "d": "2024-01-02", "o": str(object)}


def test_batch_is_posted_and_results_returned(validator_server):
    validator_server.respond = lambda body: (
        200,
        {"data": [{"is_valid": len(r["text"]) > 1, "length": len(r["text"])} for r in body["data"]]},
    )
    rows = make(validator_server.url).validate_batch({"text": ["a", "abc"]})
    assert validator_server.requests == [{"data": [{"text": "a"}, {"text": "abc"}]}]
    assert rows == [{"is_valid": False, "length": 1}, {"is_valid": True, "length": 3}]


def test_5xx_is_retried_with_backoff_then_succeeds(validator_server):
    replies = iter([(503, {"error": "busy"}), (500, {"error": "oops"})])
    validator_server.respond = lambda body: next(replies, (200, {"data": [{"is_valid": True}]}))
    sleeps = []
    assert make(validator_server.url, sleeps, retry_backoff=3.0).validate_batch({"text": ["x"]}) == [{"is_valid": True}]
    assert sleeps == [3.0, 9.0]
    assert len(validator_server.requests) == 3


def test_exhausted_retries_give_none_rows_and_a_warning(validator_server, caplog):
    validator_server.respond = lambda body: (502, {"error": "down"})
    sleeps = []
    with caplog.at_level("WARNING"):
        rows = make(validator_server.url, sleeps).validate_batch({"text": ["x", "y"]})
    assert rows == [{"is_valid": None}, {"is_valid": None}]
    assert len(validator_server.requests) == 3 and sleeps == [2.0, 4.0]
    assert "remote_check" in caplog.text and "502" in caplog.text


def test_client_error_is_not_retried(validator_server):
    validator_server.respond = lambda body: (400, {"error": "bad"})
    sleeps = []
    assert make(validator_server.url, sleeps).validate_batch({"text": ["x"]}) == [{"is_valid": None}]
    assert len(validator_server.requests) == 1 and sleeps == []


def test_connection_refused_is_retried_then_none():
    sleeps = []
    assert make(closed_port_url(), sleeps, max_retries=1).validate_batch({"text": ["x"]}) == [{"is_valid": None}]
    assert sleeps == [2.0]


def test_timeout_gives_none_rows(validator_server):
    def hang(body):
        validator_server.release.wait(5)
        return 200, {"data": [{"is_valid": True}]}

    validator_server.respond = hang
    rows = make(validator_server.url, max_retries=0, timeout=0.2).validate_batch({"text": ["x"]})
    assert rows == [{"is_valid": None}]


@pytest.mark.parametrize(
    ("reply", "fragment"),
    [
        (b"not json", "did not reply with JSON"),
        ({"result": []}, 'without a "data" list'),
        ({"data": [{"is_valid": True}]}, "returned 1 results for 2 records"),
        ({"data": [{"is_valid": True}, {"ok": 1}]}, 'result 1 is not an object with "is_valid"'),
        ({"data": [{"is_valid": True}, {"is_valid": "yes"}]}, "must be true, false or null"),
    ],
)
def test_malformed_reply_raises_schema_error(validator_server, reply, fragment):
    validator_server.respond = lambda body: (200, reply)
    with pytest.raises(RemoteValidationSchemaError, match="remote_check") as info:
        make(validator_server.url).validate_batch({"text": ["x", "y"]})
    assert fragment in str(info.value)


def test_output_schema_mismatch_raises(validator_server):
    schema = {"type": "object", "properties": {"score": {"type": "number"}}, "required": ["score"]}
    validator_server.respond = lambda body: (200, {"data": [{"is_valid": True, "score": "high"}]})
    with pytest.raises(RemoteValidationSchemaError, match="does not match output_schema"):
        make(validator_server.url, output_schema=schema).validate_batch({"text": ["x"]})
    validator_server.respond = lambda body: (200, {"data": [{"is_valid": True, "score": 0.9}]})
    assert make(validator_server.url, output_schema=schema).validate_batch({"text": ["x"]})[0]["score"] == 0.9


def test_unserialisable_values_are_a_clear_error(validator_server):
    with pytest.raises(DataDesignerRuntimeError, match="cannot be sent as JSON"):
        make(validator_server.url).validate_batch({"text": [float("inf")]})


def test_parse_remote_response_accepts_null_verdicts():
    rows = parse_remote_response(b'{"data": [{"is_valid": null}]}', expected_rows=1, column="c", url="u")
    assert rows == [{"is_valid": None}]


def test_generator_sends_parallel_batches_and_keeps_row_order(validator_server):
    validator_server.respond = lambda body: (
        200,
        {"data": [{"is_valid": True, "echo": r["text"]} for r in body["data"]]},
    )
    config = ValidationColumnConfig(
        name="remote_check",
        target_columns=["text"],
        validator_type="remote",
        validator_params=RemoteValidatorParams(endpoint_url=validator_server.url, max_parallel_requests=3),
        batch_size=2,
    )
    texts = [f"t{i}" for i in range(7)]
    result = ValidationGenerator(config, GeneratorContext()).generate({"text": texts}, 7)
    assert [row["echo"] for row in result.values["remote_check"]] == texts
    assert sorted(len(r["data"]) for r in validator_server.requests) == [1, 2, 2, 2]
