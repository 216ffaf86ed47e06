"""Faults over real HTTP: retryable ones (429, 5xx, timeouts) lose no row; parse failures restart or drop;
non-retryable ones trip early shutdown within the window and never hang."""

from __future__ import annotations

import logging

import pytest
from engine_harness import chat_model, is_missing, new_builder
from pydantic import BaseModel

import data_designer.config as dd
from data_designer.errors import DataDesignerEarlyShutdownError, ModelNotFoundError

pytestmark = pytest.mark.filterwarnings("ignore:DATA_DESIGNER_ASYNC_ENGINE=0:DeprecationWarning")


class Review(BaseModel):
    title: str
    stars: int
    pros: list[str]


def _text_and_structured(model: dd.ModelConfig) -> dd.DataDesignerConfigBuilder:
    builder = new_builder(model)
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias=model.alias))
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="review", prompt="Review of {{ text }}", model_alias=model.alias, output_format=Review
        )
    )
    return builder


def _assert_complete(df, n: int) -> None:
    assert len(df) == n
    assert df["text"].map(lambda t: isinstance(t, str) and t != "").all()
    assert df["review"].map(lambda r: set(r) == {"title", "stars", "pros"}).all()


@pytest.mark.parametrize("engine", ["async", "sync"])
def test_429_storm_loses_no_row(sim_factory, make_designer, monkeypatch, engine):
    if engine == "sync":
        monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sim = sim_factory(capacity=4, retry_after=0.05, latency_ms=5)
    builder = _text_and_structured(chat_model(max_parallel_requests=32))
    results = make_designer(sim, buffer_size=30).create(builder, num_records=60, dataset_name="storm")

    _assert_complete(results.load_dataset(), 60)
    stats = sim.stats()
    assert stats["rate_limited"] > 0
    assert stats["peak_concurrency"] <= 4
    assert stats["ok"] == 2 * 60 + 1  # every cell answered exactly once, plus the probe


@pytest.mark.parametrize("engine", ["async", "sync"])
def test_5xx_and_timeouts_lose_no_row(sim_factory, make_designer, monkeypatch, engine):
    if engine == "sync":
        monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sim = sim_factory(error_rate=0.2, timeout_rate=0.05, latency_ms=2, seed=0)  # seed 0: the probe's draw is clean
    builder = _text_and_structured(chat_model(max_parallel_requests=32, timeout=1))
    results = make_designer(sim, buffer_size=30).create(builder, num_records=60, dataset_name="flaky")

    _assert_complete(results.load_dataset(), 60)
    stats = sim.stats()
    assert stats["server_errors"] > 0 and stats["timeouts"] > 0
    assert stats["ok"] == 2 * 60 + 1


def _structured_only(restarts_model: dd.ModelConfig) -> dd.DataDesignerConfigBuilder:
    builder = new_builder(restarts_model)
    builder.add_column(
        dd.LLMStructuredColumnConfig(
            name="review", prompt="A review of {{ topic }}.", model_alias="m", output_format=Review
        )
    )
    return builder


def test_malformed_answers_are_repaired_by_conversation_restarts(sim_factory, make_designer):
    # one request at a time: the simulator draws faults in arrival order, so this run is fully reproducible
    sim = sim_factory(malformed_rate=0.3, latency_ms=0, seed=11)
    designer = make_designer(sim, max_conversation_restarts=5)
    df = designer.create(
        _structured_only(chat_model(max_parallel_requests=1)), num_records=30, dataset_name="restarts"
    ).load_dataset()

    assert len(df) == 30
    assert df["review"].map(lambda r: set(r) == {"title", "stars", "pros"}).all()
    assert sim.stats()["malformed"] > 0


@pytest.mark.parametrize(
    "column",
    [
        # the simulator's malformed text is empty, which the text recipe rejects with a correction prompt
        dd.LLMTextColumnConfig(
            name="out", prompt="Write about {{ topic }}.", model_alias="m", with_trace="all_messages"
        ),
        pytest.param(
            dd.LLMStructuredColumnConfig(
                name="out",
                prompt="A review of {{ topic }}.",
                model_alias="m",
                output_format=Review,
                with_trace="all_messages",
            ),
        ),
    ],
    ids=["text", "structured"],
)
def test_malformed_answers_are_repaired_by_correction_steps(sim_factory, make_designer, column):
    sim = sim_factory(malformed_rate=0.3, latency_ms=0, seed=11)
    designer = make_designer(sim, max_conversation_restarts=0, max_conversation_correction_steps=4)
    builder = new_builder(chat_model(max_parallel_requests=1))
    builder.add_column(column)
    df = designer.create(builder, num_records=30, dataset_name="corrections").load_dataset()

    assert len(df) == 30
    assert df["out"].notna().all()
    corrected = [list(t) for t in df["out__trace"] if len(t) > 2]
    assert corrected, "some conversation should carry a correction turn"
    for trace in corrected:
        assert [m["role"] for m in trace][:4] == ["user", "assistant", "user", "assistant"]


@pytest.mark.parametrize("keep", [False, True], ids=["drop", "keep-with-null"])
def test_parse_failures_without_restarts_drop_or_null_the_row(sim_factory, make_designer, keep):
    sim = sim_factory(malformed_rate=0.3, latency_ms=0, seed=11)
    designer = make_designer(
        sim, max_conversation_restarts=0, keep_rows_with_parse_failures=keep, disable_early_shutdown=True
    )
    df = designer.create(
        _structured_only(chat_model(max_parallel_requests=1)), num_records=40, dataset_name="parse"
    ).load_dataset()

    malformed = sim.stats()["malformed"]
    assert malformed > 0
    nulls = df["review"].map(is_missing)
    good = df.loc[~nulls, "review"]
    assert good.map(lambda r: set(r) == {"title", "stars", "pros"}).all()
    if keep:
        assert len(df) == 40
        assert 0 < nulls.sum() <= malformed
    else:
        assert not nulls.any()
        assert 40 - malformed <= len(df) < 40


def _no_health_check_model(**kw) -> dd.ModelConfig:
    return chat_model(max_parallel_requests=4, skip_health_check=True, **kw)


@pytest.mark.parametrize("engine", ["async", "sync"])
def test_unknown_model_404s_trip_early_shutdown_within_the_window(sim_factory, make_designer, monkeypatch, engine):
    if engine == "sync":
        monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sim = sim_factory(models=["other"], latency_ms=1)
    builder = new_builder(_no_health_check_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    designer = make_designer(sim, buffer_size=50, shutdown_error_window=10, shutdown_error_rate=0.5)

    with pytest.raises(DataDesignerEarlyShutdownError) as info:
        designer.create(builder, num_records=200, dataset_name="shutdown")
    assert "shutdown_error_rate" in str(info.value)
    stats = sim.stats()
    assert stats["client_errors"] == stats["requests"]
    # the window (10) fills, then admission stops; only requests already in flight (<= 4) may still land
    assert 10 <= stats["requests"] <= 10 + 4


def test_unknown_model_fails_the_readiness_probe_before_any_row(sim_factory, make_designer):
    sim = sim_factory(models=["other"])
    builder = new_builder(chat_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    with pytest.raises(ModelNotFoundError, match="simulated-model"):
        make_designer(sim).create(builder, num_records=20, dataset_name="probe")
    assert sim.stats()["requests"] == 1


def test_context_window_400s_trip_early_shutdown_and_never_hang(sim_factory, make_designer):
    # the probe ("Hello!") fits in 40 tokens; every real prompt (padded below) does not
    sim = sim_factory(context_window_tokens=40, latency_ms=1)
    builder = new_builder(chat_model(max_parallel_requests=4))
    padding = "Please consider every detail of the subject carefully. " * 6
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt=padding + "Topic: {{ topic }}.", model_alias="m"))
    designer = make_designer(sim, buffer_size=50, shutdown_error_window=10)

    with pytest.raises(DataDesignerEarlyShutdownError):
        designer.create(builder, num_records=200, dataset_name="context")
    stats = sim.stats()
    assert stats["ok"] == 1  # the probe only
    assert 1 + 10 <= stats["requests"] <= 1 + 10 + 4


def test_non_retryable_failures_drop_only_their_rows_when_early_shutdown_is_off(sim_factory, make_designer):
    sim = sim_factory(context_window_tokens=40, latency_ms=1)
    builder = new_builder(chat_model(), topics=["short", "long"])
    builder.add_column(
        dd.ExpressionColumnConfig(
            name="padding",
            expr="{% if topic == 'long' %}{{ 'Consider every detail of the subject carefully. ' * 8 }}{% else %}Be brief. {% endif %}",
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(name="text", prompt="{{ padding }}Write about {{ topic }}.", model_alias="m")
    )
    designer = make_designer(sim, disable_early_shutdown=True)
    df = designer.create(builder, num_records=60, dataset_name="partial").load_dataset()

    assert 0 < len(df) < 60
    assert set(df["topic"]) == {"short"}
    assert sim.stats()["client_errors"] == 60 - len(df)


def test_early_shutdown_after_some_batches_keeps_them_and_reports_partial(sim_factory, make_designer, caplog):
    sim = sim_factory(latency_ms=1)
    builder = new_builder(_no_health_check_model())
    builder.add_column(dd.LLMTextColumnConfig(name="text", prompt="Write about {{ topic }}.", model_alias="m"))
    designer = make_designer(sim, buffer_size=10, max_concurrent_row_groups=1)
    written = []

    def break_the_endpoint(path) -> None:
        written.append(path)
        sim.configure(models=["other"])  # from now on every request is a 404

    with caplog.at_level(logging.WARNING, logger="data_designer"):
        results = designer.create(
            builder, num_records=100, dataset_name="partial-shutdown", on_batch_complete=break_the_endpoint
        )
    df = results.load_dataset()
    assert 10 <= len(df) < 100
    assert results.count_records() == len(df)
    assert df["text"].notna().all()
    assert len(written) >= 1
    assert sim.stats()["requests"] <= len(df) + 10 + 4 + 10  # no run-away after the trip
    assert any(f"generated {len(df)} of 100" in r.getMessage() for r in caplog.records)
