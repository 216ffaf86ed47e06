"""Run every benchmark (one command: `make bench`) and write benchmarks/results/*.json.

The numbers in docs/benchmarks.md come from these runs. Each benchmark runs its simulated server in a separate
process pinned to core 1 and the measured client on core 0, so "CPU per record" is the client's own cost.
Long cases can be skipped with --quick (fewer records, shorter durations).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def run(script: str, *args: str) -> list[dict]:
    proc = subprocess.run([sys.executable, str(HERE / script), *args], capture_output=True, text=True)
    if proc.returncode != 0:
        print(proc.stderr[-2000:], file=sys.stderr)
        raise SystemExit(f"{script} failed")
    rows = []
    for line in proc.stdout.splitlines():
        line = line.strip()
        if line.startswith("{"):
            rows.append(json.loads(line))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    args = parser.parse_args()
    n = "1000" if args.quick else "5000"
    results: dict[str, list[dict]] = {}
    results["samplers"] = run(
        "bench_samplers.py", "--records", "100000", *([] if args.quick else ["--records", "1000000"])
    )
    cases = [
        ("latency0", ["--latency-ms", "0", "--max-parallel", "64"]),
        ("latency500_cap64", ["--latency-ms", "500", "--capacity", "64", "--max-parallel", "64"]),
        ("latency50_cap64", ["--latency-ms", "50", "--capacity", "64", "--max-parallel", "64"]),
        ("latency500_cap32_mpr128", ["--latency-ms", "500", "--capacity", "32", "--max-parallel", "128"]),
    ]
    for name, case in cases:
        for engine in ("async", "sync"):
            if engine == "sync" and args.quick and name != "latency0":
                continue
            results[f"w_{name}_{engine}"] = run("workload_w.py", "--records", n, "--engine", engine, *case)
            print(name, engine, results[f"w_{name}_{engine}"], flush=True)
    results["w_latency0_no_journal"] = run("workload_w.py", "--records", n, "--latency-ms", "0", "--no-journal")
    results["rss_10k"] = run("workload_w.py", "--records", "10000", "--latency-ms", "0")
    if not args.quick:
        results["rss_100k"] = run("workload_w.py", "--records", "100000", "--latency-ms", "0")
    results["aimd_capacity"] = run("bench_aimd_capacity.py", "--duration-s", "30" if args.quick else "90")
    results["client"] = run("bench_client.py")
    results["simulator"] = run("bench_simulator.py")
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    (out_dir / "latest.json").write_text(json.dumps(results, indent=2))
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
