"""Simulated time series of the AIMD limit against a server that can serve only ``capacity`` requests at once.

Pure discrete-event simulation on the throttle's FakeClock: no network, no sleeping, deterministic for a seed.
The server answers 429 quickly to any request beyond its capacity and serves the others in ~``latency_s``.
Demand is unbounded, so the limiter alone decides the concurrency.

    python benchmarks/bench_throttle.py [--capacity 32] [--max 128] [--seconds 120] [--rampup 0] [--json out.json]
"""

from __future__ import annotations

import argparse
import heapq
import itertools
import json
import random
from pathlib import Path

from data_designer.throttle import AdaptiveLimiter, FakeClock, Lease, Outcome, ThrottleSettings


def simulate(
    *,
    capacity: int,
    max_limit: int,
    seconds: float,
    rampup_s: float = 0.0,
    latency_s: float = 1.0,
    reject_latency_s: float = 0.05,
    sample_every_s: float = 2.0,
    seed: int = 0,
) -> list[dict[str, float]]:
    rng = random.Random(seed)
    clock = FakeClock()
    limiter = AdaptiveLimiter(
        name=f"sim/capacity-{capacity}",
        max_limit=max_limit,
        config=ThrottleSettings(rampup_seconds=rampup_s),
        clock=clock,
    )
    seq = itertools.count()
    events: list[tuple[float, int, Lease, Outcome]] = []
    serving = 0
    served_since_sample = 0
    rows: list[dict[str, float]] = []
    next_sample = 0.0

    while clock.now() <= seconds:
        now = clock.now()
        while (lease := limiter.try_acquire()) is not None:
            if serving < capacity:
                serving += 1
                done_at = now + latency_s * rng.uniform(0.8, 1.2)
                heapq.heappush(events, (done_at, next(seq), lease, Outcome.SUCCESS))
            else:
                heapq.heappush(events, (now + reject_latency_s, next(seq), lease, Outcome.RATE_LIMITED))
        if now >= next_sample:
            snap = limiter.snapshot()
            rows.append(
                {
                    "t_s": round(now, 2),
                    "limit": snap["limit"],
                    "in_flight": snap["in_flight"],
                    "ceiling": snap["ceiling"] if snap["ceiling"] is not None else "-",
                    "rate_limited": snap["rate_limited"],
                    "served_per_s": round(served_since_sample / sample_every_s, 1) if rows else 0.0,
                    "cooldown_s": round(snap["cooldown_s"], 1),
                }
            )
            served_since_sample = 0
            next_sample += sample_every_s
        wakeup = limiter.controller.next_wakeup(now)
        candidates = [t for t in (events[0][0] if events else None, wakeup, next_sample) if t is not None and t > now]
        clock.advance(min(candidates) - now)
        while events and events[0][0] <= clock.now():
            _, _, lease, outcome = heapq.heappop(events)
            if outcome is Outcome.SUCCESS:
                serving -= 1
                served_since_sample += 1
            lease.release(outcome)
    return rows


def render_markdown(rows: list[dict[str, float]]) -> str:
    headers = list(rows[0])
    lines = ["| " + " | ".join(headers) + " |", "|" + "---|" * len(headers)]
    lines += ["| " + " | ".join(str(row[h]) for h in headers) + " |" for row in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--capacity", type=int, default=32)
    parser.add_argument("--max", dest="max_limit", type=int, default=128)
    parser.add_argument("--seconds", type=float, default=120.0)
    parser.add_argument("--rampup", type=float, default=0.0)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path, default=None, help="also write the rows as JSON here")
    args = parser.parse_args()
    rows = simulate(
        capacity=args.capacity, max_limit=args.max_limit, seconds=args.seconds, rampup_s=args.rampup, seed=args.seed
    )
    print(f"AIMD limit vs a capacity-{args.capacity} server, max_parallel_requests={args.max_limit}\n")
    print(render_markdown(rows))
    steady = [r for r in rows if r["t_s"] >= args.seconds / 2]
    if steady:
        mean_limit = sum(r["limit"] for r in steady) / len(steady)
        mean_served = sum(r["served_per_s"] for r in steady) / len(steady)
        print(f"\nsecond half: mean limit {mean_limit:.1f}, mean served {mean_served:.1f}/s, capacity {args.capacity}")
    if args.json is not None:
        args.json.write_text(json.dumps(rows, indent=2))


if __name__ == "__main__":
    main()
