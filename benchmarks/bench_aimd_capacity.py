"""AIMD against a rate-limited server: capacity 32, max_parallel_requests 128, latency 500 ms (issue 3).

    python benchmarks/bench_aimd_capacity.py [--duration-s 60] [--capacity 32] [--max-parallel 128]

Client + throttle alone (ModelRegistry -> ModelFacade -> limiter -> aiohttp) with 2 x max_parallel_requests callers
that retry 429s (as the engine's deferral does). Samples the limit every 0.5 s. Prints the time series and a JSON
summary: throughput vs the ideal capacity / latency, over the whole run and after the first 10 s.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import tempfile
import time


async def run(args) -> dict:
    import data_designer.config as dd
    from data_designer.errors import ModelRateLimitError
    from data_designer.models.registry import ModelRegistry
    from data_designer.testing import start_simulator_process

    sim = start_simulator_process(
        latency_ms=args.latency_ms,
        capacity=args.capacity,
        retry_after=args.retry_after,
        cpu_affinity={1} if (os.cpu_count() or 1) > 1 else None,
    )
    try:
        provider = dd.ModelProvider(name="sim", endpoint=sim.base_url)
        model = dd.ModelConfig(
            alias="m",
            model="simulated-model",
            provider="sim",
            inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=args.max_parallel),
        )
        registry = ModelRegistry([model], [provider], throttle_config=dd.ThrottleConfig())
        facade = registry.get_model("m")
        limiter = registry.throttle.get("sim", "simulated-model", "chat")
        done = 0
        completions: list[float] = []
        stop_at = time.monotonic() + args.duration_s
        start = time.monotonic()

        async def caller() -> None:
            nonlocal done
            while time.monotonic() < stop_at:
                try:
                    await facade.agenerate("Write one sentence about rate limits.")
                except ModelRateLimitError:
                    continue
                done += 1
                completions.append(time.monotonic() - start)

        series = []

        async def sampler() -> None:
            while time.monotonic() < stop_at:
                snap = limiter.snapshot()
                series.append((round(time.monotonic() - start, 1), snap["limit"], snap["in_flight"]))
                await asyncio.sleep(0.5)

        await asyncio.gather(sampler(), *(caller() for _ in range(2 * args.max_parallel)))
        await registry.aclose()
        stats = sim.stats()
    finally:
        sim.stop()
    ideal_rate = args.capacity / (args.latency_ms / 1000.0)
    steady = [t for t in completions if t >= 10.0]
    steady_rate = len(steady) / max(1e-9, args.duration_s - 10.0)
    limits_after_10 = [limit for t, limit, _ in series if t >= 10.0]
    return {
        "capacity": args.capacity,
        "max_parallel_requests": args.max_parallel,
        "latency_ms": args.latency_ms,
        "duration_s": args.duration_s,
        "completed": done,
        "ideal_rate_per_s": ideal_rate,
        "rate_per_s": round(done / args.duration_s, 2),
        "efficiency": round(done / args.duration_s / ideal_rate, 3),
        "steady_rate_per_s": round(steady_rate, 2),
        "steady_efficiency": round(steady_rate / ideal_rate, 3),
        "limit_after_10s_min": min(limits_after_10, default=None),
        "limit_after_10s_max": max(limits_after_10, default=None),
        "limit_after_10s_mean": round(sum(limits_after_10) / max(1, len(limits_after_10)), 1),
        "server_429s": stats["rate_limited"],
        "peak_concurrency": stats["peak_concurrency"],
        "series": series,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--duration-s", type=float, default=60.0)
    parser.add_argument("--capacity", type=int, default=32)
    parser.add_argument("--max-parallel", type=int, default=128)
    parser.add_argument("--latency-ms", type=float, default=500.0)
    parser.add_argument("--retry-after", type=float, default=1.0)
    args = parser.parse_args()
    os.environ.setdefault("DATA_DESIGNER_HOME", tempfile.mkdtemp(prefix="dd-bench-home-"))
    if hasattr(os, "sched_setaffinity") and (os.cpu_count() or 1) > 1:
        os.sched_setaffinity(0, {0})
    result = asyncio.run(run(args))
    for t, limit, in_flight in result["series"][::4]:
        print(f"t={t:5.1f}s limit={limit:4d} in_flight={in_flight:4d}")
    print(json.dumps({k: v for k, v in result.items() if k != "series"}), flush=True)


if __name__ == "__main__":
    main()
