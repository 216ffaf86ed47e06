"""Workload W (issue 4): a category and a numeric sampler, two chained llm-text columns, one llm-structured, one
llm-judge and one expression — 4 LLM calls per record — against the simulated endpoint in its own process.

    python benchmarks/workload_w.py --records 5000 --latency-ms 0 --capacity 0 --max-parallel 64 [--engine sync]

Prints one JSON line: records/s, CPU-ms per record of the generating process, efficiency = ideal / actual where
ideal = LLM calls x latency / min(capacity, max_parallel), peak RSS, and the simulator's request counters.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import sys
import tempfile
import time
import warnings
from pathlib import Path

LLM_CALLS_PER_RECORD = 4


def build(alias: str, models):
    import data_designer.config as dd

    b = dd.DataDesignerConfigBuilder(model_configs=models)
    b.add_column(
        dd.SamplerColumnConfig(
            name="topic",
            sampler_type="category",
            params=dd.CategorySamplerParams(values=["math", "art", "code", "food"]),
        )
    )
    b.add_column(
        dd.SamplerColumnConfig(
            name="level", sampler_type="uniform", params=dd.UniformSamplerParams(low=1, high=10), convert_to="int"
        )
    )
    b.add_column(
        dd.LLMTextColumnConfig(
            name="question", model_alias=alias, prompt="Ask a level {{ level }} question about {{ topic }}."
        )
    )
    b.add_column(dd.LLMTextColumnConfig(name="answer", model_alias=alias, prompt="Answer briefly: {{ question }}"))
    b.add_column(
        dd.LLMStructuredColumnConfig(
            name="meta",
            model_alias=alias,
            prompt="Classify this answer: {{ answer }}",
            output_format={
                "type": "object",
                "properties": {
                    "difficulty": {"type": "integer", "minimum": 1, "maximum": 10},
                    "tag": {"type": "string"},
                },
                "required": ["difficulty", "tag"],
            },
        )
    )
    b.add_column(
        dd.LLMJudgeColumnConfig(
            name="grade",
            model_alias=alias,
            prompt="Grade the answer {{ answer }} to {{ question }}",
            scores=[dd.Score(name="correctness", description="Is it right?", options={0: "wrong", 1: "right"})],
        )
    )
    b.add_column(dd.ExpressionColumnConfig(name="label", expr="{{ topic }}/{{ level }}/{{ grade.correctness.score }}"))
    return b


def main(argv: list[str] | None = None) -> dict:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, default=5000)
    parser.add_argument("--latency-ms", type=float, default=0.0)
    parser.add_argument("--capacity", type=int, default=0, help="0 = unlimited")
    parser.add_argument("--max-parallel", type=int, default=64)
    parser.add_argument("--buffer-size", type=int, default=1000)
    parser.add_argument("--engine", choices=["async", "sync"], default="async")
    parser.add_argument("--no-journal", action="store_true")
    parser.add_argument("--profile", help="write a cProfile stats file here")
    args = parser.parse_args(argv)
    if args.engine == "sync":
        os.environ["DATA_DESIGNER_ASYNC_ENGINE"] = "0"
        warnings.simplefilter("ignore", DeprecationWarning)
    os.environ.setdefault("DATA_DESIGNER_HOME", tempfile.mkdtemp(prefix="dd-bench-home-"))
    import logging

    import data_designer.config as dd
    from data_designer.interface import DataDesigner
    from data_designer.testing import start_simulator_process

    logging.getLogger("data_designer").setLevel(logging.WARNING)
    sim = start_simulator_process(
        latency_ms=args.latency_ms,
        capacity=args.capacity or None,
        retry_after=1.0,
        cpu_affinity={1} if os.cpu_count() and os.cpu_count() > 1 else None,
    )
    try:
        if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
            os.sched_setaffinity(0, {0})
        provider = dd.ModelProvider(name="sim", endpoint=sim.base_url)
        model = dd.ModelConfig(
            alias="m",
            model="simulated-model",
            provider="sim",
            inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=args.max_parallel, timeout=60),
        )
        designer = DataDesigner(
            artifact_path=Path(tempfile.mkdtemp(prefix="dd-bench-")),
            model_providers=[provider],
            auto_configure_logging=False,
        )
        designer.set_run_config(
            dd.RunConfig(buffer_size=args.buffer_size, cell_journal=not args.no_journal, progress_interval=3600)
        )
        builder = build("m", [model])
        sim.reset_stats()
        cpu0, t0 = time.process_time(), time.perf_counter()
        if args.profile:
            import cProfile

            profiler = cProfile.Profile()
            profiler.enable()
        results = designer.create(builder, num_records=args.records, dataset_name="w")
        if args.profile:
            profiler.disable()
            profiler.dump_stats(args.profile)
        wall, cpu = time.perf_counter() - t0, time.process_time() - cpu0
        rows = results.count_records()
        stats = sim.stats()
        import orjson

        generation_s = orjson.loads((results.artifact_storage.dataset_dir / "metadata.json").read_bytes()).get(
            "last_run_elapsed_s"
        )
    finally:
        sim.stop()
    concurrency = min(args.capacity or args.max_parallel, args.max_parallel)
    ideal = LLM_CALLS_PER_RECORD * args.records * (args.latency_ms / 1000.0) / concurrency
    out = {
        "engine": args.engine,
        "records": args.records,
        "rows_written": rows,
        "latency_ms": args.latency_ms,
        "capacity": args.capacity or None,
        "max_parallel_requests": args.max_parallel,
        "wall_s": round(wall, 3),
        "records_per_s": round(rows / wall, 1),
        "cpu_ms_per_record": round(1000 * cpu / max(1, rows), 3),
        "ideal_s": round(ideal, 3),
        "efficiency": round(ideal / wall, 3) if ideal else None,
        "generation_s": generation_s,
        "efficiency_generation_only": round(ideal / generation_s, 3) if ideal and generation_s else None,
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "requests": stats["requests"],
        "rate_limited": stats["rate_limited"],
        "peak_concurrency": stats["peak_concurrency"],
        "journal": not args.no_journal,
    }
    print(json.dumps(out), flush=True)
    return out


if __name__ == "__main__":
    main(sys.argv[1:])
