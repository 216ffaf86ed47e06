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
    text = proc.stdout.strip()
    try:  # a benchmark printing one (possibly indented) JSON document
        return [json.loads(text[: text.index("\n\n")] if "\n\n" in text else text)]
    except ValueError:
        pass
    rows = []
    for line in text.splitlines():
        line = line.strip()
        if line.startswith("{"):
            try:
                rows.append(json.loads(line))
            except ValueError:
                continue
    return rows


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--only", action="append", help="run only cases whose name starts with this (repeatable)")
    args = parser.parse_args()
    out_dir = HERE / "results"
    out_dir.mkdir(exist_ok=True)
    latest = out_dir / "latest.json"
    results: dict[str, list[dict]] = json.loads(latest.read_text()) if latest.exists() and args.only else {}

    def wanted(name: str) -> bool:
        return not args.only or any(name.startswith(prefix) for prefix in args.only)

    def record(name: str, rows: list[dict]) -> None:
        results[name] = rows
        latest.write_text(json.dumps(results, indent=2))  # saved after every case: a later failure loses nothing
        print(name, json.dumps(rows), flush=True)

    n = "1000" if args.quick else "5000"
    if wanted("samplers"):
        record(
            "samplers",
            run("bench_samplers.py", "--records", "100000", *([] if args.quick else ["--records", "1000000"])),
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
            if wanted(f"w_{name}_{engine}"):
                record(f"w_{name}_{engine}", run("workload_w.py", "--records", n, "--engine", engine, *case))
    if wanted("w_latency0_no_journal"):
        record("w_latency0_no_journal", run("workload_w.py", "--records", n, "--latency-ms", "0", "--no-journal"))
    if wanted("rss_10k"):
        record("rss_10k", run("workload_w.py", "--records", "10000", "--latency-ms", "0"))
    if not args.quick and wanted("rss_100k"):
        record("rss_100k", run("workload_w.py", "--records", "100000", "--latency-ms", "0"))
    if wanted("aimd_capacity"):
        record("aimd_capacity", run("bench_aimd_capacity.py", "--duration-s", "30" if args.quick else "90"))
    if wanted("client"):
        record("client", run("bench_client.py"))
    if wanted("simulator"):
        record("simulator", run("bench_simulator.py"))


if __name__ == "__main__":
    main()
