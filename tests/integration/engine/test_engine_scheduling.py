"""Scheduling seen from outside: DAG overlap in task traces, exact request counts, and the legacy sync engine."""

from __future__ import annotations

import warnings

import pytest
from engine_harness import chat_model, new_builder, overlaps, traces_of

import data_designer.config as dd

pytestmark = pytest.mark.filterwarnings("ignore:DATA_DESIGNER_ASYNC_ENGINE=0:DeprecationWarning")


def _two_independent_columns(**model_kw) -> dd.DataDesignerConfigBuilder:
    builder = new_builder(chat_model(max_parallel_requests=64, **model_kw))
    builder.add_column(dd.LLMTextColumnConfig(name="left", prompt="Left take on {{ topic }}.", model_alias="m"))
    builder.add_column(dd.LLMTextColumnConfig(name="right", prompt="Right take on {{ topic }}.", model_alias="m"))
    builder.add_column(dd.ExpressionColumnConfig(name="both", expr="{{ left }} | {{ right }}"))
    return builder


def _create_quietly(designer, builder, **kwargs):
    """Run create, returning (results, DeprecationWarnings raised during the run)."""
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        results = designer.create(builder, **kwargs)
    return results, [w for w in caught if issubclass(w.category, DeprecationWarning)]


def test_independent_llm_columns_are_in_flight_at_the_same_time(sim_factory, make_designer):
    sim = sim_factory(latency_ms=20)
    designer = make_designer(sim, buffer_size=40)
    results = designer.create(_two_independent_columns(), num_records=40, dataset_name="overlap")

    assert len(results.load_dataset()) == 40
    left, right = traces_of(results.task_traces, "left"), traces_of(results.task_traces, "right")
    assert len(left) == len(right) == 40
    for trace in left + right:
        assert trace.task_type == "cell" and trace.row_group == 0
        assert trace.dispatched_at <= trace.completed_at
    assert overlaps(left, right)
    # the expression runs only after both of its row's inputs are done
    both = {t.row_index: t for t in traces_of(results.task_traces, "both", status=None)}
    for trace in left + right:
        if trace.row_index in both:
            assert both[trace.row_index].dispatched_at >= trace.completed_at


def test_task_traces_record_when_the_request_slot_was_acquired(sim_factory, make_designer):
    sim = sim_factory()
    results = make_designer(sim).create(_two_independent_columns(), num_records=20, dataset_name="slots")
    for trace in traces_of(results.task_traces, "left") + traces_of(results.task_traces, "right"):
        assert trace.slot_acquired_at is not None
        assert trace.dispatched_at <= trace.slot_acquired_at <= trace.completed_at


@pytest.mark.parametrize("engine", ["async", "sync"])
def test_no_duplicate_requests_k_columns_times_n_records_plus_one_probe_per_alias(
    sim_factory, make_designer, monkeypatch, engine
):
    if engine == "sync":
        monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sim = sim_factory()
    builder = new_builder(chat_model("writer"), chat_model("critic"))
    builder.add_column(dd.LLMTextColumnConfig(name="a", prompt="About {{ topic }}.", model_alias="writer"))
    builder.add_column(dd.LLMTextColumnConfig(name="b", prompt="Expand {{ a }}.", model_alias="writer"))
    builder.add_column(
        dd.LLMCodeColumnConfig(name="c", prompt="Code for {{ topic }}.", model_alias="critic", code_lang="python")
    )
    n = 30
    results, _ = _create_quietly(make_designer(sim), builder, num_records=n, dataset_name="count")

    assert len(results.load_dataset()) == n
    stats = sim.stats()
    assert stats["requests"] == 3 * n + 2
    assert stats["ok"] == stats["requests"]
    assert results.model_usage["writer"]["requests_ok"] == 2 * n + 1
    assert results.model_usage["critic"]["requests_ok"] == n + 1


def test_legacy_sync_engine_same_rows_deprecation_warning_and_columns_in_sequence(
    sim_factory, make_designer, monkeypatch
):
    sim = sim_factory(latency_ms=10)
    n = 40
    async_results, async_warnings = _create_quietly(
        make_designer(sim), _two_independent_columns(), num_records=n, dataset_name="async"
    )
    assert not any("ASYNC_ENGINE" in str(w.message) for w in async_warnings)

    monkeypatch.setenv("DATA_DESIGNER_ASYNC_ENGINE", "0")
    sync_results, sync_warnings = _create_quietly(
        make_designer(sim), _two_independent_columns(), num_records=n, dataset_name="sync"
    )
    assert any("ASYNC_ENGINE" in str(w.message) for w in sync_warnings)

    async_df, sync_df = async_results.load_dataset(), sync_results.load_dataset()
    assert len(sync_df) == len(async_df) == n
    assert list(sync_df.columns) == list(async_df.columns)
    assert sync_df["left"].notna().all() and sync_df["right"].notna().all()

    traces = sync_results.task_traces
    assert traces, "async_trace=True must collect traces under the sync policy too"
    for group in sorted({t.row_group for t in traces}):
        left = [t for t in traces_of(traces, "left") if t.row_group == group]
        right = [t for t in traces_of(traces, "right") if t.row_group == group]
        assert left and right
        assert not overlaps(left, right)
        first, second = sorted([left, right], key=lambda ts: min(t.dispatched_at for t in ts))
        assert max(t.completed_at for t in first) <= min(t.dispatched_at for t in second)
