"""Throughput of the simulated endpoint at zero latency, with the server pinned to one core.

The server runs in its own process (``start_simulator_process(cpu_affinity={server_cpu})``); load comes from separate
client processes using aiohttp, pinned to the other cores when there are any. Throughput is measured on the server
side (``/stats`` ok-count delta over wall time) together with the server's CPU time, so the result also says whether
the server or the client was saturated: ``ok_per_server_cpu_s`` is what one fully busy core sustains.

    .venv/bin/python benchmarks/bench_simulator.py [--duration-s 5] [--connections 64] [--kind mix] [--output out.json]

Prints one JSON line and one markdown table row.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing as mp
import os
import time

import orjson
import psutil

from data_designer.testing.simulator import start_simulator_process

_SCHEMA = {
    "type": "object",
    "properties": {
        "helpfulness": {"type": "object", "properties": {"score": {"enum": ["1", "2", "3", "4"]}, "reasoning": {"type": "string"}}, "required": ["score", "reasoning"]},
        "accuracy": {"type": "object", "properties": {"score": {"enum": ["0", "1"]}, "reasoning": {"type": "string"}}, "required": ["score", "reasoning"]},
    },
    "required": ["helpfulness", "accuracy"],
}  # fmt: skip
_PROMPTS = {
    "plain": "Write a short product description for a reusable water bottle made of {i} recycled materials.",
    "schema": "Judge the answer {i}.\n<response_schema>\n" + json.dumps(_SCHEMA) + "\n</response_schema>",
    "code": "Write a function that sums order amounts per region (variant {i}). Answer in ```python",
}


def _bodies(kind: str) -> list[bytes]:
    kinds = list(_PROMPTS) if kind == "mix" else [kind]
    return [
        orjson.dumps({"model": "sim", "messages": [{"role": "user", "content": _PROMPTS[k].replace("{i}", str(i))}]})
        for i in range(64)
        for k in kinds
    ]


def _client(base_url: str, kind: str, connections: int, run_s: float, cpus: list[int] | None, out: mp.Queue) -> None:
    if cpus and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(cpus))
    import aiohttp

    try:
        import uvloop

        run = uvloop.run
    except ImportError:
        run = asyncio.run

    async def main() -> tuple[int, int]:
        bodies = _bodies(kind)
        url = f"{base_url}/chat/completions"
        headers = {"Content-Type": "application/json"}
        deadline = time.monotonic() + run_s
        done = errors = 0
        connector = aiohttp.TCPConnector(limit=connections)
        async with aiohttp.ClientSession(connector=connector) as session:

            async def worker(w: int) -> None:
                nonlocal done, errors
                i = w
                while time.monotonic() < deadline:
                    async with session.post(url, data=bodies[i % len(bodies)], headers=headers) as resp:
                        await resp.read()
                        if resp.status == 200:
                            done += 1
                        else:
                            errors += 1
                    i += connections

            await asyncio.gather(*(worker(w) for w in range(connections)))
        return done, errors

    out.put(run(main()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--duration-s", type=float, default=5.0)
    parser.add_argument("--warmup-s", type=float, default=1.0)
    parser.add_argument("--connections", type=int, default=64, help="concurrent requests per client process")
    parser.add_argument("--clients", type=int, default=1, help="client processes")
    parser.add_argument("--kind", choices=["mix", *_PROMPTS], default="mix")
    parser.add_argument("--server-cpu", type=int, default=0)
    parser.add_argument("--output", help="also write the JSON result to this file")
    args = parser.parse_args()

    all_cpus = sorted(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else []
    client_cpus = [c for c in all_cpus if c != args.server_cpu] or None
    ctx = mp.get_context("spawn")
    with start_simulator_process(latency_ms=0, cpu_affinity={args.server_cpu}) as server:
        proc = psutil.Process(server.pid)
        queue: mp.Queue = ctx.Queue()
        run_s = args.warmup_s + args.duration_s + 0.5
        clients = [
            ctx.Process(target=_client, args=(server.base_url, args.kind, args.connections, run_s, client_cpus, queue))
            for _ in range(args.clients)
        ]
        for c in clients:
            c.start()
        time.sleep(args.warmup_s)
        ok0, cpu0, t0 = server.stats()["ok"], sum(proc.cpu_times()[:2]), time.monotonic()
        time.sleep(args.duration_s)
        ok1, cpu1, t1 = server.stats()["ok"], sum(proc.cpu_times()[:2]), time.monotonic()
        results = [queue.get(timeout=60) for _ in clients]
        for c in clients:
            c.join()
        stats = server.stats()
    wall_s, cpu_s, ok = t1 - t0, cpu1 - cpu0, ok1 - ok0
    result = {
        "benchmark": "simulator_throughput",
        "kind": args.kind,
        "latency_ms": 0,
        "server_cpus": 1,
        "client_processes": args.clients,
        "connections_per_client": args.connections,
        "measured_s": round(wall_s, 3),
        "requests_per_s": round(ok / wall_s, 1),
        "server_cpu_utilization": round(cpu_s / wall_s, 3),
        "ok_per_server_cpu_s": round(ok / cpu_s, 1) if cpu_s > 0 else None,
        "client_errors": sum(e for _, e in results),
        "server_peak_concurrency": stats["peak_concurrency"],
        "cpu_count": os.cpu_count(),
    }
    line = json.dumps(result)
    print(line)
    print("| benchmark | kind | requests/s | server CPU util | ok per server CPU-s | connections |")
    print("|---|---|---|---|---|---|")
    print(
        f"| simulator latency=0, 1 core | {args.kind} | {result['requests_per_s']:.0f} | "
        f"{result['server_cpu_utilization']:.0%} | {result['ok_per_server_cpu_s']} | "
        f"{args.clients}x{args.connections} |"
    )
    if args.output:
        with open(args.output, "w") as fh:
            fh.write(line + "\n")


if __name__ == "__main__":
    main()
