"""Foundation benchmark: a 10-column sampler + expression pipeline (no model) at 100k and 1M records.

    python benchmarks/bench_samplers.py --records 100000 [--buffer-size 10000]

Runs each size in a fresh subprocess so peak RSS is per run. Prints one JSON line per run.
Memory must be bounded by buffer_size x max_concurrent_row_groups, not by num_records.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path


def build():
    import data_designer.config as dd

    b = dd.DataDesignerConfigBuilder(model_configs=[])
    b.add_column(dd.SamplerColumnConfig(name="id", sampler_type="uuid", params=dd.UUIDSamplerParams(short_form=True)))
    b.add_column(
        dd.SamplerColumnConfig(
            name="region", sampler_type="category", params=dd.CategorySamplerParams(values=["EU", "US", "APAC"])
        )
    )
    b.add_column(
        dd.SamplerColumnConfig(
            name="city",
            sampler_type="subcategory",
            params=dd.SubcategorySamplerParams(
                category="region", values={"EU": ["Paris", "Berlin"], "US": ["NYC", "SF"], "APAC": ["Tokyo", "Seoul"]}
            ),
        )
    )
    b.add_column(
        dd.SamplerColumnConfig(
            name="age", sampler_type="uniform", params=dd.UniformSamplerParams(low=18, high=90), convert_to="int"
        )
    )
    b.add_column(
        dd.SamplerColumnConfig(
            name="income",
            sampler_type="gaussian",
            params=dd.GaussianSamplerParams(mean=50000, stddev=12000, decimal_places=0),
        )
    )
    b.add_column(dd.SamplerColumnConfig(name="visits", sampler_type="poisson", params=dd.PoissonSamplerParams(mean=3)))
    b.add_column(
        dd.SamplerColumnConfig(
            name="joined",
            sampler_type="datetime",
            params=dd.DatetimeSamplerParams(start="2020-01-01", end="2025-01-01"),
        )
    )
    b.add_column(dd.ExpressionColumnConfig(name="segment", expr="{{ region }}-{{ 'senior' if age > 60 else 'adult' }}"))
    b.add_column(dd.ExpressionColumnConfig(name="score", expr="{{ (income / 1000) | round(1) }}", dtype="float"))
    b.add_column(dd.ExpressionColumnConfig(name="label", expr="{{ city }}/{{ visits }}"))
    return b


def run_one(records: int, buffer_size: int) -> dict:
    os.environ.setdefault("DATA_DESIGNER_HOME", tempfile.mkdtemp(prefix="dd-bench-home-"))
    import logging

    import data_designer.config as dd
    from data_designer.interface import DataDesigner

    logging.getLogger("data_designer").setLevel(logging.WARNING)
    designer = DataDesigner(artifact_path=Path(tempfile.mkdtemp(prefix="dd-bench-")), auto_configure_logging=False)
    designer.set_run_config(dd.RunConfig(buffer_size=buffer_size, progress_interval=3600))
    builder = build()
    t0, c0 = time.perf_counter(), time.process_time()
    results = designer.create(builder, num_records=records, dataset_name="samplers")
    wall, cpu = time.perf_counter() - t0, time.process_time() - c0
    return {
        "records": results.count_records(),
        "buffer_size": buffer_size,
        "wall_s": round(wall, 2),
        "records_per_s": round(records / wall),
        "cpu_s": round(cpu, 2),
        "peak_rss_mb": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--records", type=int, action="append")
    parser.add_argument("--buffer-size", type=int, default=10000)
    parser.add_argument("--child", action="store_true")
    args = parser.parse_args()
    sizes = args.records or [100_000, 1_000_000]
    if args.child:
        print(json.dumps(run_one(sizes[0], args.buffer_size)), flush=True)
        return
    for size in sizes:
        out = subprocess.run(
            [sys.executable, __file__, "--child", "--records", str(size), "--buffer-size", str(args.buffer_size)],
            capture_output=True,
            text=True,
            check=True,
        )
        print(out.stdout.strip().splitlines()[-1], flush=True)


if __name__ == "__main__":
    main()
