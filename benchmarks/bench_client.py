"""Client + throttle cost per LLM call, against the simulated endpoint in a separate process.

Compares, at the same concurrency and request bodies:
  * ``bare-aiohttp``: one ClientSession, a semaphore, POST + orjson.loads (the practical floor);
  * ``data-designer``: ``ModelFacade.agenerate`` (request assembly, AIMD lease, aiohttp client, response parsing,
    usage accounting);
  * ``bare-httpx``: the same loop on ``httpx.AsyncClient``, to justify choosing aiohttp.

CPU-µs per call is ``time.process_time()`` of this (client) process divided by calls; the simulator runs in another
process pinned to another core when the machine has two. Run: ``python benchmarks/bench_client.py [--quick]``.
Prints one JSON document and markdown table rows.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import platform
import sys
import time

import aiohttp
import orjson

from data_designer.config.models import ChatCompletionInferenceParams, ModelConfig, ModelProvider
from data_designer.models.registry import ModelRegistry
from data_designer.testing.simulator import start_simulator_process

PROMPT = "Write one sentence about rivers."
HTTPX_CALLS = 3000


def _body() -> dict:
    return {"model": "sim-model", "messages": [{"role": "user", "content": PROMPT}]}


async def _run_bare_aiohttp(base_url: str, calls: int, concurrency: int) -> None:
    connector = aiohttp.TCPConnector(limit=2 * concurrency, limit_per_host=0)
    headers = {"Content-Type": "application/json"}
    async with aiohttp.ClientSession(connector=connector, headers=headers) as session:
        sem = asyncio.Semaphore(concurrency)
        url = f"{base_url}/chat/completions"
        timeout = aiohttp.ClientTimeout(total=60)

        async def one() -> None:
            async with sem, session.post(url, data=orjson.dumps(_body()), timeout=timeout) as resp:
                data = orjson.loads(await resp.read())
                assert data["choices"][0]["message"]["content"]

        await asyncio.gather(*(one() for _ in range(calls)))


async def _run_bare_httpx(base_url: str, calls: int, concurrency: int) -> None:
    import httpx

    limits = httpx.Limits(max_connections=2 * concurrency, max_keepalive_connections=concurrency)
    async with httpx.AsyncClient(limits=limits, timeout=60) as client:
        sem = asyncio.Semaphore(concurrency)
        url = f"{base_url}/chat/completions"

        async def one() -> None:
            async with sem:
                resp = await client.post(
                    url, content=orjson.dumps(_body()), headers={"Content-Type": "application/json"}
                )
                assert orjson.loads(resp.content)["choices"][0]["message"]["content"]

        await asyncio.gather(*(one() for _ in range(calls)))


async def _run_data_designer(base_url: str, calls: int, concurrency: int) -> None:
    provider = ModelProvider(name="sim", endpoint=base_url)
    config = ModelConfig(
        alias="bench",
        model="sim-model",
        provider="sim",
        inference_parameters=ChatCompletionInferenceParams(max_parallel_requests=concurrency, temperature=0.7),
    )
    registry = ModelRegistry([config], [provider])
    facade = registry.get_model("bench")
    try:
        await asyncio.gather(*(facade.agenerate(PROMPT) for _ in range(calls)))
        assert facade.usage_stats.requests_ok == calls, facade.usage_stats
    finally:
        await registry.aclose()


RUNNERS = {"bare-aiohttp": _run_bare_aiohttp, "data-designer": _run_data_designer, "bare-httpx": _run_bare_httpx}


def _measure(name: str, base_url: str, calls: int, concurrency: int, use_uvloop: bool) -> dict:
    runner = RUNNERS[name]
    warmup = min(concurrency, calls // 10)
    _loop_run(runner(base_url, warmup, concurrency), use_uvloop)
    wall0, cpu0 = time.perf_counter(), time.process_time()
    _loop_run(runner(base_url, calls, concurrency), use_uvloop)
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    return {
        "client": name,
        "calls": calls,
        "concurrency": concurrency,
        "calls_per_s": round(calls / wall, 1),
        "cpu_us_per_call": round(cpu / calls * 1e6, 1),
        "wall_s": round(wall, 3),
    }


def _loop_run(coro, use_uvloop: bool) -> None:
    if use_uvloop:
        import uvloop

        uvloop.run(coro)
    else:
        asyncio.run(coro)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer calls (smoke run)")
    parser.add_argument("--uvloop", action="store_true", help="run the client on uvloop")
    parser.add_argument("--concurrency", type=int, default=1000)
    args = parser.parse_args()

    two_cores = (os.cpu_count() or 1) >= 2 and hasattr(os, "sched_setaffinity")
    if two_cores:
        os.sched_setaffinity(0, {0})
    scenarios = [
        (0.0, 4000 if args.quick else 20000, ["bare-aiohttp", "data-designer", "bare-httpx"]),
        (100.0, 3000 if args.quick else 10000, ["bare-aiohttp", "data-designer", "bare-httpx"]),
    ]
    rows = []
    for latency_ms, calls, clients in scenarios:
        sim = start_simulator_process(latency_ms=latency_ms, cpu_affinity={1} if two_cores else None)
        try:
            for name in clients:
                n = min(calls, HTTPX_CALLS) if name == "bare-httpx" else calls  # httpx is ~50x slower here
                row = _measure(name, sim.base_url, n, args.concurrency, args.uvloop)
                row["latency_ms"] = latency_ms
                rows.append(row)
                print(f"# {row}", file=sys.stderr)
        finally:
            sim.stop()
    result = {
        "benchmark": "bench_client",
        "python": platform.python_version(),
        "cpus": os.cpu_count(),
        "loop": "uvloop" if args.uvloop else "asyncio",
        "pinned": two_cores,
        "rows": rows,
    }
    print(json.dumps(result, indent=2))
    print()
    print("| client | latency ms | concurrency | calls | calls/s | CPU µs/call |")
    print("|---|---:|---:|---:|---:|---:|")
    for r in rows:
        print(
            f"| {r['client']} | {r['latency_ms']:g} | {r['concurrency']} | {r['calls']} | {r['calls_per_s']:.0f} "
            f"| {r['cpu_us_per_call']:.0f} |"
        )


if __name__ == "__main__":
    main()
