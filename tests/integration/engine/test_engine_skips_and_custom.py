"""Skips on LLM columns (value, propagation, ``propagate_skip=False``) and custom columns with model access."""

from __future__ import annotations

import gc
import logging

import pandas as pd
import pytest
from engine_harness import add_flag, chat_model, is_missing, message_text, new_builder
from pydantic import BaseModel

import data_designer.config as dd

N = 40


def _skip_builder(*, propagate_skip: bool = True) -> dd.DataDesignerConfigBuilder:
    builder = new_builder(chat_model())
    add_flag(builder)
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="text",
            prompt="Write about {{ topic }}.",
            model_alias="m",
            with_trace=dd.TraceType.LAST_MESSAGE,
            skip=dd.SkipConfig(when="{{ flag == 'no' }}", value="SKIPPED"),
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="summary",
            prompt="Summarise: {{ text }}",
            model_alias="m",
            with_trace=dd.TraceType.ALL_MESSAGES,
            propagate_skip=propagate_skip,
        )
    )
    return builder


def test_skipped_llm_cells_get_the_skip_value_and_make_no_request(sim_factory, make_designer):
    sim = sim_factory()
    df = make_designer(sim).create(_skip_builder(), num_records=N, dataset_name="skip").load_dataset()

    assert len(df) == N  # a skip never drops a row
    skipped, kept = df[df["flag"] == "no"], df[df["flag"] == "yes"]
    assert len(skipped) and len(kept)
    assert (skipped["text"] == "SKIPPED").all()
    assert skipped["text__trace"].map(is_missing).all()  # side-effect columns are cleared
    assert (kept["text"] != "SKIPPED").all() and kept["text__trace"].map(lambda t: len(t) == 1).all()
    # propagation: the dependent column is skipped too (no skip config -> null value)
    assert skipped["summary"].map(is_missing).all() and skipped["summary__trace"].map(is_missing).all()
    assert kept["summary"].map(lambda s: isinstance(s, str) and s != "").all()
    assert sim.stats()["requests"] == 2 * len(kept) + 1
    assert "__internal_skipped_columns" not in df.columns


def test_propagate_skip_false_runs_the_dependent_on_the_skip_value(sim_factory, make_designer):
    sim = sim_factory()
    builder = _skip_builder(propagate_skip=False)
    df = make_designer(sim).create(builder, num_records=N, dataset_name="noprop").load_dataset()

    assert len(df) == N
    skipped = df[df["flag"] == "no"]
    assert len(skipped)
    assert df["summary"].map(lambda s: isinstance(s, str) and s != "").all()
    for trace in skipped["summary__trace"]:
        user = [message_text(m) for m in trace if m["role"] == "user"]
        assert "SKIPPED" in user[0]
    assert sim.stats()["requests"] == len(df[df["flag"] == "yes"]) + N + 1


def test_skip_with_legacy_sync_engine_matches_async(sim_factory, make_designer, monkeypatch):
    sim = sim_factory()
    async_df = make_designer(sim).create(_skip_builder(), num_records=N, dataset_name="a").load_dataset()
    monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    with pytest.warns(DeprecationWarning, match="ASYNC_ENGINE"):
        sync_df = make_designer(sim).create(_skip_builder(), num_records=N, dataset_name="s").load_dataset()
    assert len(sync_df) == len(async_df) == N
    pd.testing.assert_series_equal(sync_df["flag"], async_df["flag"])  # same seed, same samples
    assert (sync_df.loc[sync_df["flag"] == "no", "text"] == "SKIPPED").all()
    assert sync_df.loc[sync_df["flag"] == "no", "summary"].map(is_missing).all()


class JokeParams(BaseModel):
    prefix: str = "Joke"


@dd.custom_column_generator(required_columns=["topic"], side_effect_columns=["joke_len"], model_aliases=["m"])
def sync_joke(row, generator_params, models):
    text, messages = models["m"].generate(f"Tell a joke about {row['topic']}.")
    assert messages[-1]["role"] == "assistant"
    row["joke"] = f"{generator_params.prefix}: {text}"
    row["joke_len"] = len(text)
    return row


@dd.custom_column_generator(required_columns=["topic"], model_aliases=["m"])
async def async_joke(row, generator_params, models):
    text, _ = await models["m"].agenerate(f"Tell a joke about {row['topic']}.")
    row["joke"] = f"{generator_params.prefix}: {text}"
    return row


@dd.custom_column_generator(required_columns=["topic"])
def shout(row):
    row["loud"] = row["topic"].upper()
    return row


@pytest.mark.parametrize("fn", [sync_joke, async_joke], ids=["sync", "async"])
def test_custom_cell_column_calls_the_model(sim_factory, make_designer, fn):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(dd.CustomColumnConfig(name="joke", generator_function=fn, generator_params=JokeParams()))
    builder.add_column(dd.CustomColumnConfig(name="loud", generator_function=shout))
    builder.add_column(dd.LLMTextColumnConfig(name="rating", prompt="Rate this: {{ joke }}", model_alias="m"))
    results = make_designer(sim).create(builder, num_records=N, dataset_name="custom")
    df = results.load_dataset()

    assert len(df) == N
    assert df["joke"].str.startswith("Joke: ").all()
    assert (df["loud"] == df["topic"].str.upper()).all()
    if fn is sync_joke:
        assert (df["joke_len"] == df["joke"].str.len() - len("Joke: ")).all()
    assert df["rating"].map(lambda r: isinstance(r, str) and r != "").all()
    assert sim.stats()["requests"] == 2 * N + 1
    assert results.model_usage["m"]["requests_ok"] == 2 * N + 1


@dd.custom_column_generator(required_columns=["topic"], model_aliases=["m"])
def full_column_sync(df, generator_params, models):
    df["blurb"] = [models["m"].generate(f"Blurb for {t}.")[0] for t in df["topic"]]
    return df


@dd.custom_column_generator(required_columns=["topic"], model_aliases=["m"])
async def full_column_async(df, generator_params, models):
    df["blurb"] = [(await models["m"].agenerate(f"Blurb for {t}."))[0] for t in df["topic"]]
    return df


@pytest.mark.parametrize("fn", [full_column_sync, full_column_async], ids=["sync", "async"])
def test_custom_full_column_with_model_access(sim_factory, make_designer, fn):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(
        dd.CustomColumnConfig(
            name="blurb", generator_function=fn, generation_strategy=dd.GenerationStrategy.FULL_COLUMN
        )
    )
    df = make_designer(sim).create(builder, num_records=N, dataset_name="full").load_dataset()

    assert len(df) == N
    assert df["blurb"].map(lambda b: isinstance(b, str) and b != "").all()
    assert sim.stats()["requests"] == N + 1


def test_async_full_column_leaks_no_http_session(sim_factory, make_designer, caplog):
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(
        dd.CustomColumnConfig(
            name="blurb", generator_function=full_column_async, generation_strategy=dd.GenerationStrategy.FULL_COLUMN
        )
    )
    with caplog.at_level(logging.ERROR, logger="asyncio"):
        df = make_designer(sim).create(builder, num_records=N, dataset_name="leak").load_dataset()
        gc.collect()
    assert len(df) == N
    assert not [r for r in caplog.records if "Unclosed" in r.getMessage()]


@pytest.mark.parametrize("fn", [sync_joke, async_joke], ids=["sync", "async"])
def test_custom_column_rate_limited_inside_user_code_loses_no_row(sim_factory, make_designer, fn):
    sim = sim_factory(capacity=2, retry_after=0.05, latency_ms=5)
    builder = new_builder(chat_model(max_parallel_requests=16))
    builder.add_column(dd.CustomColumnConfig(name="joke", generator_function=fn, generator_params=JokeParams()))
    df = make_designer(sim).create(builder, num_records=N, dataset_name="custom-storm").load_dataset()

    assert len(df) == N
    assert df["joke"].str.startswith("Joke: ").all()
    stats = sim.stats()
    assert stats["rate_limited"] > 0
    assert stats["ok"] == N + 1


def test_legacy_sync_engine_preview_warns_and_returns_llm_rows(sim_factory, make_designer, monkeypatch):
    monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sim = sim_factory()
    builder = new_builder(chat_model())
    builder.add_column(dd.CustomColumnConfig(name="joke", generator_function=sync_joke, generator_params=JokeParams()))
    builder.add_column(dd.LLMTextColumnConfig(name="rating", prompt="Rate this: {{ joke }}", model_alias="m"))
    with pytest.warns(DeprecationWarning, match="ASYNC_ENGINE"):
        preview = make_designer(sim).preview(builder, num_records=8)
    assert len(preview.dataset) == 8
    assert preview.dataset["rating"].map(lambda r: isinstance(r, str) and r != "").all()
