"""The simulated endpoint over real loopback HTTP (aiohttp client), plus its pure content generators."""

from __future__ import annotations

import ast
import asyncio
import base64
import json
import math
import random
import sqlite3
import struct
import zlib
from typing import Any

import aiohttp
import jsonschema
import pytest

from data_designer.errors import InvalidConfigError
from data_designer.testing import sim_content
from data_designer.testing.simulator import SimulatedEndpoint, start_simulator_process

JUDGE_SCHEMA = {
    "type": "object",
    "properties": {
        "helpfulness": {
            "type": "object",
            "properties": {"score": {"type": "string", "enum": ["1", "2", "3", "4"]}, "reasoning": {"type": "string"}},
            "required": ["score", "reasoning"],
        },
        "accuracy": {
            "type": "object",
            "properties": {"score": {"enum": ["Correct", "Incorrect"]}, "reasoning": {"type": "string"}},
            "required": ["score", "reasoning"],
        },
    },
    "required": ["helpfulness", "accuracy"],
}
RICH_SCHEMA = {
    "$defs": {
        "Item": {
            "type": "object",
            "properties": {
                "sku": {"type": "string", "format": "uuid"},
                "qty": {"type": "integer", "minimum": 1, "maximum": 5},
                "price": {"type": "number", "exclusiveMinimum": 0, "maximum": 10},
            },
            "required": ["sku", "qty", "price"],
            "additionalProperties": False,
        },
        "Node": {"type": "object", "properties": {"children": {"type": "array", "items": {"$ref": "#/$defs/Node"}}}},
    },
    "type": "object",
    "properties": {
        "email": {"type": "string", "format": "email"},
        "day": {"type": "string", "format": "date"},
        "at": {"type": "string", "format": "date-time"},
        "code": {"type": "string", "minLength": 30, "maxLength": 32},
        "tag": {"type": "string", "maxLength": 3},
        "kind": {"const": "order"},
        "flag": {"type": "boolean"},
        "nothing": {"type": "null"},
        "note": {"anyOf": [{"type": "null"}, {"type": "string"}]},
        "either": {"oneOf": [{"type": "integer", "multipleOf": 7, "minimum": 10, "maximum": 40}, {"type": "string"}]},
        "both": {"allOf": [{"properties": {"a": {"type": "integer"}}, "required": ["a"]}, {"required": ["b"]}]},
        "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 2, "maxItems": 4},
        "tags": {"type": "array", "items": {"enum": ["x", "y", "z"]}, "minItems": 3, "uniqueItems": True},
        "tree": {"$ref": "#/$defs/Node"},
        "maybe": {"type": ["null", "integer"], "exclusiveMaximum": 3},
    },
    "required": ["email", "items", "kind", "both", "tree"],
}


def run(coro: Any) -> Any:
    return asyncio.run(coro)


def chat_body(prompt: str) -> dict[str, Any]:
    return {
        "model": "sim",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": prompt}],
    }


async def post(url: str, body: Any, headers: dict[str, str] | None = None) -> tuple[int, dict, Any]:
    async with aiohttp.ClientSession() as session:
        data = body if isinstance(body, bytes) else json.dumps(body).encode()
        async with session.post(url, data=data, headers=headers or {}) as resp:
            return resp.status, dict(resp.headers), await resp.json(content_type=None)


def content_of(payload: dict[str, Any]) -> str:
    return payload["choices"][0]["message"]["content"]


def fenced(content: str, lang: str) -> str:
    assert content.startswith(f"```{lang}\n") and content.endswith("\n```"), content
    body = content[len(lang) + 4 : -4]
    assert "```" not in body
    return body


async def wait_for_in_flight(endpoint: SimulatedEndpoint, expected: int) -> None:
    for _ in range(500):
        if endpoint.stats()["in_flight"] == expected:
            return
        await asyncio.sleep(0.01)
    raise AssertionError(f"in_flight stayed {endpoint.stats()['in_flight']}, expected {expected}")


# --------------------------------------------------------------------------------------------------- chat
def test_plain_prompt_gets_openai_shaped_plain_text_with_usage(simulated_endpoint: SimulatedEndpoint) -> None:
    status, _, payload = run(post(f"{simulated_endpoint.base_url}/chat/completions", chat_body("Describe tidal pools")))
    assert status == 200
    assert payload["object"] == "chat.completion" and payload["model"] == "sim" and payload["id"]
    choice = payload["choices"][0]
    assert choice["message"]["role"] == "assistant" and choice["finish_reason"] == "stop"
    assert choice["message"]["content"] and "```" not in choice["message"]["content"]
    usage = payload["usage"]
    assert usage["prompt_tokens"] == math.ceil((len("Be brief.") + len("Describe tidal pools")) / 4)
    assert usage["completion_tokens"] == math.ceil(len(choice["message"]["content"]) / 4)
    assert usage["total_tokens"] == usage["prompt_tokens"] + usage["completion_tokens"]


def test_last_response_schema_block_wins_and_answer_validates(simulated_endpoint: SimulatedEndpoint) -> None:
    decoy = json.dumps({"type": "object", "properties": {"decoy": {"type": "string"}}, "required": ["decoy"]})
    prompt = (
        f"Put the schema in <response_schema>{decoy}</response_schema> tags, like this.\n"
        f"Real schema:\n<response_schema>\n```json\n{json.dumps(RICH_SCHEMA)}\n```\n</response_schema>\nThanks."
    )
    for seed_prompt in range(5):
        body = chat_body(prompt + " " * seed_prompt)
        status, _, payload = run(post(f"{simulated_endpoint.base_url}/chat/completions", body))
        assert status == 200
        instance = json.loads(fenced(content_of(payload), "json"))
        assert "decoy" not in instance
        jsonschema.validate(instance, RICH_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_judge_schema_answers_every_score_with_an_allowed_option(simulated_endpoint: SimulatedEndpoint) -> None:
    prompt = f"Judge the answer.\n<response_schema>\n{json.dumps(JUDGE_SCHEMA)}\n</response_schema>"
    status, _, payload = run(post(f"{simulated_endpoint.base_url}/chat/completions", chat_body(prompt)))
    verdict = json.loads(fenced(content_of(payload), "json"))
    assert status == 200 and set(verdict) == {"helpfulness", "accuracy"}
    assert verdict["helpfulness"]["score"] in {"1", "2", "3", "4"}
    assert verdict["accuracy"]["score"] in {"Correct", "Incorrect"}
    assert isinstance(verdict["accuracy"]["reasoning"], str)


def test_code_request_uses_last_fence_language_and_code_is_valid(simulated_endpoint: SimulatedEndpoint) -> None:
    url = f"{simulated_endpoint.base_url}/chat/completions"
    _, _, py = run(post(url, chat_body("Unlike the ```sql example, answer in ```python")))
    ast.parse(fenced(content_of(py), "python"))
    _, _, sql = run(post(url, chat_body("Write a query. Respond with ```sql")))
    query = fenced(content_of(sql), "sql")
    db = sqlite3.connect(":memory:")
    table = query.split("FROM ", 1)[1].split()[0]
    key = query.split("SELECT ", 1)[1].split(",")[0]
    db.execute(f"CREATE TABLE {table} ({key} TEXT, amount REAL)")
    db.execute(query).fetchall()
    for lang in ("javascript", "bash", "java", "go", "rust", "cpp", "mylang"):
        _, _, payload = run(post(url, chat_body(f"Answer with ```{lang}")))
        assert fenced(content_of(payload), lang).strip()


def test_json_schema_response_format_gets_raw_json(simulated_endpoint: SimulatedEndpoint) -> None:
    body = chat_body("Give me data.")
    body["response_format"] = {"type": "json_schema", "json_schema": {"name": "x", "schema": JUDGE_SCHEMA}}
    _, _, payload = run(post(f"{simulated_endpoint.base_url}/chat/completions", body))
    jsonschema.validate(json.loads(content_of(payload)), JUDGE_SCHEMA)


def test_answers_are_deterministic_for_seed_and_body(simulated_endpoint_factory) -> None:
    prompts = ["Tell a story about otters", f"<response_schema>{json.dumps(RICH_SCHEMA)}</response_schema>"]

    def answers(seed: int) -> list[tuple[str, dict]]:
        endpoint = simulated_endpoint_factory(seed=seed)
        results = [run(post(f"{endpoint.base_url}/chat/completions", chat_body(p)))[2] for p in prompts]
        return [(content_of(r), r["usage"]) for r in results]

    assert answers(7) == answers(7)
    assert answers(7) != answers(8)


# ------------------------------------------------------------------------------------- embeddings, images, models
def test_embeddings_are_unit_vectors_with_requested_dimensions(simulated_endpoint_factory) -> None:
    endpoint = simulated_endpoint_factory(embedding_dim=8)
    url = f"{endpoint.base_url}/embeddings"
    _, _, default = run(post(url, {"model": "e", "input": ["a", "b"]}))
    _, _, sized = run(post(url, {"model": "e", "input": "b", "dimensions": 5}))
    _, _, again = run(post(url, {"model": "e", "input": ["b"]}))
    vectors = [d["embedding"] for d in default["data"]]
    assert [len(v) for v in vectors] == [8, 8] and len(sized["data"][0]["embedding"]) == 5
    assert all(math.isclose(sum(x * x for x in v), 1.0) for v in vectors)
    assert again["data"][0]["embedding"] == vectors[1]
    assert default["usage"]["prompt_tokens"] == 2
    _, _, b64 = run(post(url, {"model": "e", "input": "b", "encoding_format": "base64"}))
    decoded = struct.unpack("8f", base64.b64decode(b64["data"][0]["embedding"]))
    assert all(math.isclose(x, y, rel_tol=1e-6) for x, y in zip(decoded, vectors[1], strict=True))


def test_images_honour_n_and_are_valid_pngs(simulated_endpoint: SimulatedEndpoint) -> None:
    body = {"model": "img", "prompt": "a lighthouse", "n": 3}
    status, _, payload = run(post(f"{simulated_endpoint.base_url}/images/generations", body))
    assert status == 200 and len(payload["data"]) == 3
    for item in payload["data"]:
        png = base64.b64decode(item["b64_json"])
        assert png.startswith(b"\x89PNG\r\n\x1a\n")
        length = struct.unpack(">I", png[8:12])[0]
        assert struct.unpack(">I", png[16 + length : 20 + length])[0] == zlib.crc32(png[12 : 16 + length])


def test_models_listed_and_unknown_model_is_404(simulated_endpoint_factory) -> None:
    endpoint = simulated_endpoint_factory(models=["a", "b"])

    async def scenario() -> tuple[list[str], int, int]:
        async with aiohttp.ClientSession() as session:
            async with session.get(f"{endpoint.base_url}/models") as resp:
                ids = [m["id"] for m in (await resp.json())["data"]]
        ok = (await post(f"{endpoint.base_url}/chat/completions", {**chat_body("hi"), "model": "a"}))[0]
        missing = (await post(f"{endpoint.base_url}/chat/completions", {**chat_body("hi"), "model": "zzz"}))[0]
        return ids, ok, missing

    assert run(scenario()) == (["a", "b"], 200, 404)


# ---------------------------------------------------------------------------------------------- request errors
def test_wrong_api_key_is_401_and_right_key_is_200(simulated_endpoint_factory) -> None:
    endpoint = simulated_endpoint_factory(api_key="sekret")
    url = f"{endpoint.base_url}/chat/completions"
    assert run(post(url, chat_body("hi")))[0] == 401
    assert run(post(url, chat_body("hi"), {"Authorization": "Bearer nope"}))[0] == 401
    assert run(post(url, chat_body("hi"), {"Authorization": "Bearer sekret"}))[0] == 200


def test_prompt_over_context_window_is_400_with_openai_message(simulated_endpoint_factory) -> None:
    endpoint = simulated_endpoint_factory(context_window_tokens=10)
    url = f"{endpoint.base_url}/chat/completions"
    status, _, payload = run(post(url, {"model": "m", "messages": [{"role": "user", "content": "x" * 41}]}))
    assert status == 400
    assert payload["error"]["message"].startswith("This model's maximum context length is 10 tokens")
    assert run(post(url, {"model": "m", "messages": [{"role": "user", "content": "x" * 40}]}))[0] == 200


def test_bad_bodies_are_400(simulated_endpoint: SimulatedEndpoint) -> None:
    url = f"{simulated_endpoint.base_url}/chat/completions"
    assert run(post(url, b"{not json"))[0] == 400
    assert run(post(url, {"model": "m"}))[0] == 400
    assert run(post(url, {"model": "m", "messages": []}))[0] == 400
    assert run(post(f"{simulated_endpoint.base_url}/embeddings", {"model": "m"}))[0] == 400
    assert simulated_endpoint.stats()["client_errors"] == 4


# ------------------------------------------------------------------------------------------- capacity, faults
@pytest.mark.parametrize(("retry_after", "header"), [(0.25, "0.25"), (2.0, "2"), (None, None)])
def test_over_capacity_is_429_with_optional_retry_after(simulated_endpoint_factory, retry_after, header) -> None:
    endpoint = simulated_endpoint_factory(capacity=2, timeout_rate=1.0, retry_after=retry_after)
    url = f"{endpoint.base_url}/chat/completions"

    async def scenario() -> tuple[int, dict]:
        held = [asyncio.create_task(post(url, chat_body(f"hold {i}"))) for i in range(2)]
        await wait_for_in_flight(endpoint, 2)
        status, headers, _ = await post(url, chat_body("one too many"))
        for task in held:
            task.cancel()
        await asyncio.gather(*held, return_exceptions=True)
        return status, headers

    status, headers = run(scenario())
    assert status == 429 and headers.get("Retry-After") == header
    stats = endpoint.stats()
    assert stats["rate_limited"] == 1 and stats["peak_concurrency"] == 2 and stats["timeouts"] == 2


def test_timed_out_requests_are_released_when_client_disconnects(simulated_endpoint_factory) -> None:
    endpoint = simulated_endpoint_factory(timeout_rate=1.0)

    async def scenario() -> None:
        timeout = aiohttp.ClientTimeout(total=0.2)
        async with aiohttp.ClientSession(timeout=timeout) as session:
            with pytest.raises(asyncio.TimeoutError):
                await session.post(f"{endpoint.base_url}/chat/completions", json=chat_body("hi"))
        await wait_for_in_flight(endpoint, 0)

    run(scenario())
    assert endpoint.stats()["timeouts"] == 1 and endpoint.stats()["ok"] == 0


def test_error_rate_gives_5xx_and_malformed_rate_breaks_content(simulated_endpoint_factory) -> None:
    failing = simulated_endpoint_factory(error_rate=1.0)
    statuses = {run(post(f"{failing.base_url}/chat/completions", chat_body(str(i))))[0] for i in range(12)}
    assert statuses <= {500, 502, 503} and len(statuses) > 1
    assert failing.stats()["server_errors"] == 12

    broken = simulated_endpoint_factory(malformed_rate=1.0)
    url = f"{broken.base_url}/chat/completions"
    schema_answer = content_of(run(post(url, chat_body(f"<response_schema>{json.dumps(JUDGE_SCHEMA)}")))[2])
    with pytest.raises(json.JSONDecodeError):
        json.loads(schema_answer.removeprefix("```json\n").removesuffix("```"))
    code_answer = content_of(run(post(url, chat_body("Answer in ```python")))[2])
    assert "```" not in code_answer
    assert broken.stats()["malformed"] == 2 and broken.stats()["ok"] == 2


def test_configure_changes_behaviour_at_run_time(simulated_endpoint: SimulatedEndpoint) -> None:
    url = f"{simulated_endpoint.base_url}/chat/completions"
    simulated_endpoint.configure(error_rate=1.0)
    assert run(post(url, chat_body("hi")))[0] >= 500
    simulated_endpoint.configure(error_rate=0.0)
    assert run(post(url, chat_body("hi")))[0] == 200
    with pytest.raises(InvalidConfigError, match="latency_seconds"):
        simulated_endpoint.configure(latency_seconds=1)
    with pytest.raises(InvalidConfigError, match="error_rate"):
        simulated_endpoint.configure(error_rate=2.0)


def test_stats_count_paths_and_reset(simulated_endpoint: SimulatedEndpoint) -> None:
    base = simulated_endpoint.base_url
    run(post(f"{base}/chat/completions", chat_body("hi")))
    run(post(f"{base}/embeddings", {"model": "e", "input": "x"}))

    async def http_stats() -> dict:
        async with aiohttp.ClientSession() as session:
            async with session.get(base.removesuffix("/v1") + "/stats") as resp:
                return await resp.json()

    stats = run(http_stats())
    assert stats == simulated_endpoint.stats()
    assert stats["requests"] == 2 and stats["ok"] == 2 and stats["in_flight"] == 0 and stats["peak_concurrency"] == 1
    assert stats["by_path"] == {"/v1/chat/completions": 1, "/v1/embeddings": 1}
    simulated_endpoint.reset_stats()
    assert simulated_endpoint.stats()["requests"] == 0 and simulated_endpoint.stats()["by_path"] == {}


# ---------------------------------------------------------------------------------------------------- runners
def test_thread_runner_stops_cleanly_and_frees_port() -> None:
    endpoint = SimulatedEndpoint()
    base_url = endpoint.start()
    assert base_url == f"http://127.0.0.1:{endpoint.port}/v1"
    endpoint.stop()
    endpoint.stop()  # idempotent
    with SimulatedEndpoint(port=endpoint.port) as again:
        assert run(post(f"{again.base_url}/chat/completions", chat_body("hi")))[0] == 200


def test_process_runner_serves_and_reports_stats() -> None:
    with start_simulator_process(seed=3) as proc:
        status, _, _ = run(post(f"{proc.base_url}/chat/completions", chat_body("hi")))
        assert status == 200 and proc.stats()["ok"] == 1
        proc.reset_stats()
        assert proc.stats()["requests"] == 0
    assert proc._popen.poll() is not None


# --------------------------------------------------------------------------------------------- pure content
@pytest.mark.parametrize("seed", range(20))
def test_generated_instances_validate_against_rich_schema(seed: int) -> None:
    instance = sim_content.generate_instance(RICH_SCHEMA, random.Random(seed))
    jsonschema.validate(instance, RICH_SCHEMA, format_checker=jsonschema.FormatChecker())


def test_schema_compilation_is_cached_per_text() -> None:
    text = json.dumps(JUDGE_SCHEMA)
    assert sim_content.compile_schema_text(text) is sim_content.compile_schema_text(text)
    assert sim_content.compile_schema_text("not a schema") is None


def test_numeric_bounds_are_respected_including_exclusive_forms() -> None:
    schemas = [
        {"type": "integer", "exclusiveMinimum": 3, "exclusiveMaximum": 5},
        {"type": "integer", "minimum": 2, "maximum": 3, "exclusiveMinimum": True},  # draft-4 boolean form
        {"type": "number", "minimum": 0.1, "maximum": 0.1},
        {"type": "number", "multipleOf": 0.5, "minimum": 1, "maximum": 2},
        {"type": "integer", "maximum": -50},
    ]
    for seed in range(30):
        rng = random.Random(seed)
        assert sim_content.generate_instance(schemas[0], rng) == 4
        assert sim_content.generate_instance(schemas[1], rng) == 3
        assert sim_content.generate_instance(schemas[2], rng) == 0.1
        assert sim_content.generate_instance(schemas[3], rng) in (1.0, 1.5, 2.0)
        assert sim_content.generate_instance(schemas[4], rng) <= -50


EDGE_SCHEMAS = [
    {"type": "array", "prefixItems": [{"type": "integer"}, {"type": "string", "format": "date"}], "items": False},
    {"$schema": "http://json-schema.org/draft-07/schema#", "items": [{"type": "boolean"}], "additionalItems": False},
    {"type": "object", "minProperties": 3, "additionalProperties": {"type": "integer"}},
    {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a", "b"]},
    {"definitions": {"L": {"properties": {"next": {"$ref": "#/definitions/L"}, "v": {"type": "integer"}}}}, "$ref": "#/definitions/L"},
    {"type": "array", "items": {"type": "integer", "minimum": 0, "maximum": 1}, "uniqueItems": True, "minItems": 2},
    {"type": "string", "maxLength": 0},
    {"type": ["string", "null"], "minLength": 50},
    {"type": "number", "exclusiveMinimum": 0, "exclusiveMaximum": 0.001},
    {"type": "string", "format": "time"},
]  # fmt: skip


@pytest.mark.parametrize("schema", EDGE_SCHEMAS)
def test_generated_instances_validate_against_edge_schemas(schema: dict[str, Any]) -> None:
    validator_cls = jsonschema.validators.validator_for(schema)
    validator = validator_cls(schema, format_checker=validator_cls.FORMAT_CHECKER)
    for seed in range(15):
        validator.validate(sim_content.generate_instance(schema, random.Random(seed)))


@pytest.mark.parametrize("seed", range(10))
def test_python_snippets_always_parse(seed: int) -> None:
    ast.parse(sim_content.make_code_snippet("py", random.Random(seed)))


def test_thread_runner_can_restart_after_stop() -> None:
    endpoint = SimulatedEndpoint()
    for _ in range(2):
        endpoint.start()
        assert run(post(f"{endpoint.base_url}/chat/completions", chat_body("hi")))[0] == 200
        endpoint.stop()
    assert endpoint.stats()["ok"] == 2
