"""Every LLM-backed column type end to end on the async engine, over real HTTP against the simulated endpoint."""

from __future__ import annotations

import ast
import base64

import jsonschema
import pytest
from engine_harness import chat_model, is_missing, message_text, new_builder
from pydantic import BaseModel, Field

import data_designer.config as dd

PNG_MAGIC = b"\x89PNG\r\n\x1a\n"
N = 24


class Product(BaseModel):
    name: str
    price: float = Field(ge=0)
    tags: list[str]


PRODUCT_DICT_SCHEMA = {
    "type": "object",
    "properties": {
        "title": {"type": "string"},
        "rating": {"type": "integer", "minimum": 1, "maximum": 5},
        "in_stock": {"type": "boolean"},
    },
    "required": ["title", "rating", "in_stock"],
}


def _embedding_model(alias: str = "emb") -> dd.ModelConfig:
    params = dd.EmbeddingInferenceParams(max_parallel_requests=8, timeout=2)
    return dd.ModelConfig(alias=alias, model="simulated-embedder", provider="sim", inference_parameters=params)


def _image_model(alias: str = "painter") -> dd.ModelConfig:
    params = dd.ImageInferenceParams(max_parallel_requests=8, timeout=2)
    return dd.ModelConfig(alias=alias, model="dall-e-3", provider="sim", inference_parameters=params)


def test_llm_text_system_prompt_traces_and_reasoning(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="story",
            prompt="Write one sentence about {{ topic }}.",
            system_prompt="You are a terse storyteller.",
            model_alias="m",
            with_trace=dd.TraceType.ALL_MESSAGES,
            extract_reasoning_content=True,
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="tagline", prompt="A tagline for {{ topic }}.", model_alias="m", with_trace=dd.TraceType.LAST_MESSAGE
        )
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="text").load_dataset()

    assert len(df) == N
    assert {"story", "story__trace", "story__reasoning_content", "tagline", "tagline__trace"} <= set(df.columns)
    for row in df.to_dict(orient="records"):
        assert isinstance(row["story"], str) and row["story"].strip() == row["story"] != ""
        roles = [m["role"] for m in row["story__trace"]]
        assert roles == ["system", "user", "assistant"]
        assert message_text(row["story__trace"][0]) == "You are a terse storyteller."
        assert row["topic"] in message_text(row["story__trace"][1])
        assert message_text(row["story__trace"][-1]).strip() == row["story"]
        assert is_missing(row["story__reasoning_content"])  # the simulator sends no reasoning
        last = list(row["tagline__trace"])
        assert len(last) == 1 and last[0]["role"] == "assistant"
        assert message_text(last[0]).strip() == row["tagline"]


def test_chained_llm_columns_feed_the_upstream_value_into_the_prompt(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(dd.LLMTextColumnConfig(name="draft", prompt="Draft about {{ topic }}.", model_alias="m"))
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="edit",
            prompt="Improve this draft: {{ draft }}",
            model_alias="m",
            with_trace=dd.TraceType.ALL_MESSAGES,
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(name="title", prompt="Title for: {{ edit }}", model_alias="m", with_trace="all_messages")
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="chain").load_dataset()

    assert len(df) == N
    for row in df.to_dict(orient="records"):
        user = [message_text(m) for m in row["edit__trace"] if m["role"] == "user"]
        assert row["draft"] in user[0]
        user = [message_text(m) for m in row["title__trace"] if m["role"] == "user"]
        assert row["edit"] in user[0]


@pytest.mark.parametrize(
    ("code_lang", "check"),
    [
        ("python", lambda code: ast.parse(code)),
        ("sql:postgres", lambda code: code.lstrip().upper().startswith(("SELECT", "WITH", "INSERT", "UPDATE"))),
    ],
    ids=["python", "sql-postgres"],
)
def test_llm_code_returns_bare_code_in_the_language(sim_factory, make_designer, code_lang, check):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(
        dd.LLMCodeColumnConfig(
            name="snippet", prompt="Code that counts {{ topic }}.", model_alias="m", code_lang=code_lang
        )
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="code").load_dataset()

    assert len(df) == N
    for code in df["snippet"]:
        assert isinstance(code, str) and "```" not in code and code == code.strip()
        assert check(code)


def test_llm_structured_with_pydantic_model_and_dict_schema(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="product", prompt="A product about {{ topic }}.", model_alias="m", output_format=Product
        )
    )
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="listing", prompt="A listing for {{ topic }}.", model_alias="m", output_format=PRODUCT_DICT_SCHEMA
        )
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="structured").load_dataset()

    assert len(df) == N
    for row in df.to_dict(orient="records"):
        product = dict(row["product"])
        product["tags"] = list(product["tags"])
        assert set(product) == {"name", "price", "tags"}  # no extra keys survive
        Product.model_validate(product)
        listing = dict(row["listing"])
        assert set(listing) == {"title", "rating", "in_stock"}
        jsonschema.validate(listing, PRODUCT_DICT_SCHEMA)


def test_llm_judge_value_has_reasoning_and_an_allowed_score(sim_factory, make_designer):
    sim = sim_factory()
    scores = [
        dd.Score(name="clarity", description="How clear it is", options={1: "muddled", 2: "fine", 3: "crisp"}),
        dd.Score(name="tone", description="The tone", options={"formal": "formal", "casual": "casual"}),
    ]
    builder = new_builder(chat_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    builder.add_column(
        dd.LLMJudgeColumnConfig(name="verdict", prompt="Judge: {{ text }}", model_alias="m", scores=scores)
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="judge").load_dataset()

    assert len(df) == N
    for verdict in df["verdict"]:
        assert set(verdict) == {"clarity", "tone"}
        for score, options in (("clarity", {1, 2, 3}), ("tone", {"formal", "casual"})):
            assert set(verdict[score]) == {"reasoning", "score"}
            assert isinstance(verdict[score]["reasoning"], str)
            assert verdict[score]["score"] in options


def test_embedding_column_embeds_its_target_column(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(chat_model(), _embedding_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    builder.add_column(dd.EmbeddingColumnConfig(name="vector", target_column="text", model_alias="emb"))
    df = make_designer(sim).create(builder, num_records=N, dataset_name="embed").load_dataset()

    assert len(df) == N
    dim = sim.settings.embedding_dim
    for value in df["vector"]:
        assert set(value) == {"embeddings", "num_embeddings", "dimension"}
        assert value["dimension"] == dim
        assert value["num_embeddings"] == len(value["embeddings"]) >= 1
        assert all(len(vec) == dim for vec in value["embeddings"])
    assert sim.stats()["by_path"]["/v1/embeddings"] == N + 1  # + the readiness probe


def test_image_column_writes_files_in_create_mode(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(_image_model())
    builder.add_column(dd.ImageColumnConfig(name="picture", prompt="A drawing of {{ topic }}.", model_alias="painter"))
    results = make_designer(sim).create(builder, num_records=N, dataset_name="images")
    df = results.load_dataset()

    assert len(df) == N
    dataset_dir = results.base_dataset_path
    seen = set()
    for value in df["picture"]:
        paths = list(value)
        assert len(paths) >= 1
        for rel in paths:
            assert not rel.startswith("/") and rel.startswith("images/picture/")
            file = dataset_dir / rel
            assert file.is_file() and file.read_bytes().startswith(PNG_MAGIC)
            seen.add(rel)
    assert len(seen) == sum(len(v) for v in df["picture"])  # one file per image, no overwrite
    assert sim.stats()["by_path"]["/v1/images/generations"] == N + 1


def test_preview_with_llm_columns_keeps_images_inline(sim_factory, make_designer):
    sim = sim_factory()
    builder = new_builder(chat_model(), _image_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="product", prompt="Product for {{ text }}", model_alias="m", output_format=Product
        )
    )
    builder.add_column(dd.ImageColumnConfig(name="picture", prompt="A drawing of {{ topic }}.", model_alias="painter"))
    designer = make_designer(sim)
    preview = designer.preview(builder, num_records=6)

    df = preview.dataset
    assert len(df) == 6
    assert all(isinstance(t, str) and t for t in df["text"])
    assert all(set(p) == {"name", "price", "tags"} for p in df["product"])
    for value in df["picture"]:
        images = list(value)
        assert images and all(base64.b64decode(b64).startswith(PNG_MAGIC) for b64 in images)
    assert not (designer.artifact_path / "images").exists()
    assert preview.model_usage["m"]["requests_ok"] == 2 * 6 + 1
