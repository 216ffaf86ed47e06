"""``config`` management, ``simulate``, ``check-models`` and an LLM column through the CLI, over real HTTP."""

from __future__ import annotations

import json
import urllib.request

import yaml
from cli_harness import CLI, SimulateProcess, start_simulate

SECRET = "sk-live-0123456789abcdefWXYZ"

LLM_YAML = """\
model_configs:
  - alias: sim-text
    model: simulated-model
    provider: sim
columns:
  - name: topic
    column_type: sampler
    sampler_type: category
    params: {values: [tides, volcanoes]}
  - name: blurb
    column_type: llm-text
    model_alias: sim-text
    prompt: "Write one sentence about {{ topic }}."
"""


def _error(result) -> str:
    assert result.returncode == 1, result.stdout + result.stderr
    assert "Traceback" not in result.stderr
    return result.stderr


def test_provider_and_model_roundtrip_masks_the_key_and_never_prints_it(cli: CLI):
    add = cli.run(
        "config", "providers", "add", "--name", "local", "--endpoint", "http://127.0.0.1:9/v1",
        "--api-key", SECRET, "--extra-header", "Authorization=Bearer " + SECRET,
    )  # fmt: skip
    assert add.returncode == 0, add.stderr
    duplicate, unknown_provider, chat_only_flag, bad_header = cli.run_all(
        [
            ["config", "providers", "add", "--name", "local", "--endpoint", "http://x/v1"],
            ["config", "models", "add", "--alias", "m", "--model", "x", "--provider", "nowhere"],
            ["config", "models", "add", "--alias", "e", "--model", "x", "--provider", "local",
             "--generation-type", "embedding", "--temperature", "0.2"],
            ["config", "providers", "update", "--name", "local", "--extra-header", "novalue"],
        ]
    )  # fmt: skip
    assert "already exists" in _error(duplicate) and "providers update" in duplicate.stderr
    assert "unknown provider 'nowhere'" in _error(unknown_provider)
    assert "known providers: nvidia, openai, openrouter, local" in unknown_provider.stderr
    assert "--temperature" in _error(chat_only_flag)
    assert "NAME=VALUE" in _error(bad_header)

    # each round's commands touch different files, so they can run at the same time
    rounds = [
        [
            ["config", "models", "add", "--alias", "local-text", "--model", "tiny", "--provider", "local",
             "--temperature", "0.4", "--max-parallel-requests", "16", "--timeout", "30"],
            ["config", "providers", "update", "--name", "local", "--endpoint", "http://127.0.0.1:10/v1"],
        ],
        [["config", "models", "update", "--alias", "local-text", "--top-p", "0.9", "--max-tokens", "64"]],
    ]  # fmt: skip
    for commands in rounds:
        for result in cli.run_all(commands):
            assert result.returncode == 0, (result.args, result.stderr)

    listing, providers_only, models_only = cli.run_all(
        [["config", "list"], ["config", "providers", "list"], ["config", "models", "list"]]
    )
    for result in (listing, providers_only, models_only, add):
        assert result.returncode == 0, result.stderr
        assert SECRET not in result.stdout + result.stderr
        assert "0123456789" not in result.stdout
    assert "****WXYZ" in listing.stdout and "NVIDIA_API_KEY" in listing.stdout
    assert "Authorization=****" in providers_only.stdout and "http://127.0.0.1:10/v1" in providers_only.stdout
    assert "local-text" in models_only.stdout and "0.4" in models_only.stdout and "16" in models_only.stdout

    stored = yaml.safe_load((cli.home / "model_configs.yaml").read_text())["model_configs"]
    (entry,) = [m for m in stored if m["alias"] == "local-text"]
    assert entry["inference_parameters"] == {
        "generation_type": "chat-completion", "max_parallel_requests": 16, "timeout": 30,
        "temperature": 0.4, "top_p": 0.9, "max_tokens": 64,
    }  # fmt: skip

    delete_model, delete_provider = cli.run_all(
        [["config", "models", "delete", "--alias", "local-text"], ["config", "providers", "delete", "--name", "local"]]
    )
    assert delete_model.returncode == 0 and delete_provider.returncode == 0
    again, missing = cli.run_all(
        [["config", "providers", "list"], ["config", "models", "delete", "--alias", "local-text"]]
    )
    assert "local" not in again.stdout.replace("localhost", "")
    assert "not found" in _error(missing)


def test_config_reset_needs_yes_when_not_interactive(cli: CLI):
    refused = cli.run("config", "reset")
    assert "--yes" in _error(refused)
    assert (cli.home / "model_configs.yaml").is_file()
    done = cli.run("config", "reset", "--yes")
    assert done.returncode == 0, done.stderr
    assert not (cli.home / "model_configs.yaml").exists()
    assert not (cli.home / "model_providers.yaml").exists()


def test_simulate_prints_its_url_answers_models_and_stops_on_sigterm(cli: CLI):
    sim = start_simulate(cli, "--latency-ms", "1", "--capacity", "4", "--no-retry-after", "--seed", "3")
    with urllib.request.urlopen(f"{sim.base_url}/models", timeout=10) as response:
        body = json.loads(response.read())
    assert body["data"][0]["id"] == "simulated-model"
    code, out = sim.terminate()
    assert code == 0
    assert out.count("listening on") == 0  # the first line was already consumed; it is printed once
    assert "stopped" in out


def test_simulate_rejects_bad_settings_with_one_line(cli: CLI):
    bad = cli.run("simulate", "--port", "0", "--error-rate", "0.7", "--timeout-rate", "0.7")
    assert "error_rate + timeout_rate" in _error(bad)


def test_check_models_and_llm_column_via_cli_against_simulate(cli: CLI, simulate: SimulateProcess):
    added = cli.run("config", "providers", "add", "--name", "sim", "--endpoint", simulate.base_url)
    assert added.returncode == 0, added.stderr
    cli.write("llm.yaml", LLM_YAML)
    cli.write("keyed.yaml", LLM_YAML.replace("provider: sim", "provider: keyed"))
    keyed = cli.run(
        "config", "providers", "add", "--name", "keyed", "--endpoint", simulate.base_url, "--api-key", "CLI_TEST_UNSET_KEY"
    )  # fmt: skip
    assert keyed.returncode == 0, keyed.stderr

    check, missing_key, created = cli.run_all(
        [
            ["check-models", "llm.yaml"],
            ["check-models", "keyed.yaml"],
            ["create", "llm.yaml", "-n", "6", "-d", "blurbs", "-f", "jsonl"],
        ]
    )
    assert check.returncode == 0, check.stderr
    assert "sim-text" in check.stdout and "ok" in check.stdout
    assert "CLI_TEST_UNSET_KEY" in _error(missing_key)

    assert created.returncode == 0, created.stderr
    rows = [json.loads(line) for line in (cli.cwd / "artifacts/blurbs/blurbs.jsonl").read_text().splitlines()]
    assert len(rows) == 6
    assert all(isinstance(r["blurb"], str) and r["blurb"].strip() for r in rows)
    assert {r["topic"] for r in rows} <= {"tides", "volcanoes"}
    with urllib.request.urlopen(simulate.base_url.removesuffix("/v1") + "/stats", timeout=10) as response:
        stats = json.loads(response.read())
    assert stats["by_path"].get("/v1/chat/completions", 0) >= 6 + 2  # six cells plus two readiness probes
