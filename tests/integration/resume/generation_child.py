"""Child process of the kill test: one ``DataDesigner.create`` call that the parent SIGKILLs at random moments.

Usage: ``python generation_child.py SIM_URL ARTIFACT_DIR DATASET MODE NUM_RECORDS ATTEMPT REQUEST_LOG``.

Every chat request is logged *before* it is sent, as ``attempt<TAB>column<TAB>row_id`` (``probe`` for the readiness
check), with one ``os.write`` on an ``O_APPEND`` descriptor: the line is in the kernel before the request leaves,
so it survives a SIGKILL and the parent knows exactly which cells each attempt asked for. The parent copies this
file into its tmp_path, so it must stay importable-free of the test package.
"""

from __future__ import annotations

import json
import logging
import os
import re
import sys

BUFFER_SIZE = 10
SEED = 20240607
MAX_PARALLEL_REQUESTS = 4
MAX_CONCURRENT_ROW_GROUPS = 2
_CELL_RE = re.compile(r"([QA])::([0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12})")


def build_config(sim_url: str):
    import data_designer.config as dd

    provider = dd.ModelProvider(name="sim", endpoint=sim_url)
    model = dd.ModelConfig(
        alias="m",
        model="simulated-model",
        provider="sim",
        inference_parameters=dd.ChatCompletionInferenceParams(max_parallel_requests=MAX_PARALLEL_REQUESTS, timeout=30),
    )
    builder = dd.DataDesignerConfigBuilder(model_configs=[model])
    builder.add_column(dd.SamplerColumnConfig(name="row_id", sampler_type="uuid", params=dd.UUIDSamplerParams()))
    builder.add_column(
        dd.SamplerColumnConfig(
            name="topic", sampler_type="category", params=dd.CategorySamplerParams(values=["math", "art", "code"])
        )
    )
    builder.add_column(
        dd.SamplerColumnConfig(
            name="level", sampler_type="uniform", params=dd.UniformSamplerParams(low=1, high=9), convert_to="int"
        )
    )
    builder.add_column(
        dd.LLMTextColumnConfig(
            name="q", model_alias="m", prompt="Q::{{ row_id }}:: ask a level {{ level }} {{ topic }}"
        )
    )
    builder.add_column(dd.LLMTextColumnConfig(name="a", model_alias="m", prompt="A::{{ row_id }}:: answer {{ q }}"))
    return provider, builder


def install_request_log(path: str, attempt: int) -> None:
    from data_designer.models import client

    fd = os.open(path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o644)
    original = client.OpenAICompatibleClient.post_json

    async def logged_post_json(self, url, body, ctx, **kwargs):
        match = _CELL_RE.search(json.dumps(body.get("messages", "")))
        line = f"{attempt}\t{match.group(1)}\t{match.group(2)}\n" if match else f"{attempt}\tprobe\t-\n"
        os.write(fd, line.encode())
        return await original(self, url, body, ctx, **kwargs)

    client.OpenAICompatibleClient.post_json = logged_post_json


def main(argv: list[str]) -> None:
    sim_url, artifact_dir, dataset, mode, num_records, attempt, request_log = argv
    logging.getLogger("data_designer").setLevel(logging.ERROR)
    import data_designer.config as dd
    from data_designer.interface import DataDesigner

    install_request_log(request_log, int(attempt))
    provider, builder = build_config(sim_url)
    designer = DataDesigner(artifact_path=artifact_dir, model_providers=[provider], auto_configure_logging=False)
    designer.set_run_config(
        dd.RunConfig(
            buffer_size=BUFFER_SIZE,
            seed=SEED,
            max_concurrent_row_groups=MAX_CONCURRENT_ROW_GROUPS,
            cell_journal=True,
            progress_interval=3600,
        )
    )
    results = designer.create(builder, num_records=int(num_records), dataset_name=dataset, resume=mode)
    print(json.dumps({"records": results.count_records()}), flush=True)


if __name__ == "__main__":
    main(sys.argv[1:])
