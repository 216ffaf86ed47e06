"""`make demo`: generate 1,000 product reviews and print the dataset's analysis and location.

With no provider key configured, the demo runs against the simulated OpenAI-compatible endpoint that ships in
`data_designer.testing` (200 ms latency, capacity 64, answering 429 above it). To use a real endpoint instead, set
one of NVIDIA_API_KEY / OPENAI_API_KEY / OPENROUTER_API_KEY, or point at any OpenAI-compatible server (e.g. vLLM):

    DEMO_ENDPOINT=http://localhost:8000/v1 DEMO_MODEL=my-model make demo
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from product_reviews import build_config  # noqa: E402

import data_designer.config as dd  # noqa: E402
from data_designer.interface import DataDesigner  # noqa: E402

NUM_RECORDS = int(os.environ.get("DEMO_NUM_RECORDS", "1000"))
REAL_PROVIDERS = {
    "NVIDIA_API_KEY": ("nvidia", "nvidia-text"),
    "OPENAI_API_KEY": ("openai", "openai-text"),
    "OPENROUTER_API_KEY": ("openrouter", "openrouter-text"),
}


def _endpoint():
    if os.environ.get("DEMO_ENDPOINT"):
        provider = dd.ModelProvider(
            name="demo-endpoint", endpoint=os.environ["DEMO_ENDPOINT"], api_key=os.environ.get("DEMO_API_KEY")
        )
        model = dd.ModelConfig(
            alias="demo",
            model=os.environ.get("DEMO_MODEL", "default"),
            provider="demo-endpoint",
            inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=64),
        )
        return None, [provider], "demo", [model], f"your endpoint {os.environ['DEMO_ENDPOINT']}"
    for var, (provider_name, alias) in REAL_PROVIDERS.items():
        if os.environ.get(var):
            return None, None, alias, None, f"the {provider_name} provider ({var} is set)"
    from data_designer.testing import start_simulator_process

    sim = start_simulator_process(latency_ms=200, jitter_ms=20, capacity=64, retry_after=1.0, seed=7)
    provider = dd.ModelProvider(name="simulated", endpoint=sim.base_url, api_key=None)
    model = dd.ModelConfig(
        alias="sim-text",
        model="simulated-model",
        provider="simulated",
        inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=96, temperature=0.8),
    )
    return (
        sim,
        [provider],
        "sim-text",
        [model],
        (
            f"the SIMULATED endpoint at {sim.base_url} (latency 200 ms, capacity 64): no provider key is configured.\n"
            "   To use a real model: export NVIDIA_API_KEY / OPENAI_API_KEY / OPENROUTER_API_KEY, or\n"
            "   DEMO_ENDPOINT=http://host:8000/v1 DEMO_MODEL=<model> make demo (any OpenAI-compatible server, e.g. vLLM)"
        ),
    )


def main() -> None:
    sim, providers, alias, model_configs, where = _endpoint()
    print(f"👉 data-designer demo: {NUM_RECORDS} product reviews using {where}\n", flush=True)
    try:
        if model_configs is None:
            model_configs = [m for m in DataDesigner().get_default_model_configs() if m.alias == alias]
        builder = build_config(alias, model_configs)
        designer = DataDesigner(artifact_path=Path("artifacts"), model_providers=providers)
        designer.set_run_config(dd.RunConfig(buffer_size=250, progress_interval=2.0))
        started = time.monotonic()
        results = designer.create(builder, num_records=NUM_RECORDS, dataset_name="product-reviews")
        elapsed = time.monotonic() - started
        analysis = results.load_analysis()
        if analysis is not None:
            analysis.to_report()
        results.display_sample_record(0)
        df = results.load_dataset()
        print(f"\n✅ {len(df)} records in {elapsed:.1f}s → {results.artifact_storage.dataset_dir}")
        if sim is not None:
            stats = sim.stats()
            print(
                f"   simulated endpoint: {stats['requests']} requests, {stats['rate_limited']} answered 429, "
                f"peak concurrency {stats['peak_concurrency']}"
            )
    finally:
        if sim is not None:
            sim.stop()


if __name__ == "__main__":
    main()
