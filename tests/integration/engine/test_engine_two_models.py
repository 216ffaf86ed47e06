"""Two models on two endpoints: their columns run concurrently and a slow model does not hold back a fast one."""

from __future__ import annotations

from engine_harness import overlaps, traces_of

import data_designer.config as dd
from data_designer.interface import DataDesigner


def test_columns_on_two_endpoints_overlap_and_each_endpoint_gets_its_own_concurrency(tmp_path, sim_factory):
    fast = sim_factory(latency_ms=5, capacity=4)
    slow = sim_factory(latency_ms=60, capacity=4)
    providers = [
        dd.ModelProvider(name="fast", endpoint=fast.base_url),
        dd.ModelProvider(name="slow", endpoint=slow.base_url),
    ]
    models = [
        dd.ModelConfig(
            alias=alias,
            model="simulated-model",
            provider=alias,
            inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=4),
        )
        for alias in ("fast", "slow")
    ]
    builder = dd.DataDesignerConfigBuilder(model_configs=models)
    builder.add_column(name="topic", column_type="sampler", sampler_type="category", params={"values": ["a", "b"]})
    builder.add_column(dd.LLMTextColumnConfig(name="quick", model_alias="fast", prompt="Quick take on {{ topic }}"))
    builder.add_column(dd.LLMTextColumnConfig(name="deep", model_alias="slow", prompt="Deep take on {{ topic }}"))
    designer = DataDesigner(artifact_path=tmp_path, model_providers=providers)
    designer.set_run_config(dd.RunConfig(buffer_size=40, async_trace=True, seed=1))

    results = designer.create(builder, num_records=40, dataset_name="two-models")

    assert results.count_records() == 40
    quick, deep = traces_of(results.task_traces, "quick"), traces_of(results.task_traces, "deep")
    assert overlaps(quick, deep), "the two models' columns should be in flight at the same time"
    # Each endpoint ran at its own concurrency (4) and never saw a 429: neither borrowed the other's budget.
    assert fast.stats()["peak_concurrency"] == 4 and slow.stats()["peak_concurrency"] == 4
    assert fast.stats()["rate_limited"] == 0 and slow.stats()["rate_limited"] == 0
    # The fast column finished long before the slow one: it was not paced by the slow model.
    assert max(t.completed_at for t in quick) < max(t.completed_at for t in deep) - 0.2
