"""Every command's ``--help`` renders with the pinned Typer, and importing the CLI stays light."""

from __future__ import annotations

import subprocess
import sys

import pytest
from typer.testing import CliRunner

from data_designer.cli.main import app

COMMANDS = [
    ["validate"],
    ["preview"],
    ["create"],
    ["check-models"],
    ["simulate"],
    ["config"],
    ["config", "list"],
    ["config", "reset"],
    ["config", "providers"],
    ["config", "providers", "add"],
    ["config", "providers", "update"],
    ["config", "providers", "delete"],
    ["config", "providers", "list"],
    ["config", "models"],
    ["config", "models", "add"],
    ["config", "models", "update"],
    ["config", "models", "delete"],
    ["config", "models", "list"],
]

EXPECTED_OPTIONS = {
    "preview": ["--num-records", "--non-interactive", "--save-results", "--artifact-path", "--theme", "--display-width"],
    "create": ["--run-config", "--num-records", "--dataset-name", "--artifact-path", "--resume", "--output-format",
               "--tui"],
    "simulate": ["--port", "--host", "--latency-ms", "--jitter-ms", "--capacity", "--error-rate", "--timeout-rate",
                 "--malformed-rate", "--no-retry-after", "--seed"],
}  # fmt: skip


@pytest.mark.parametrize("command", COMMANDS, ids=" ".join)
def test_help_of_every_command_renders(command: list[str]):
    result = CliRunner().invoke(app, [*command, "--help"], env={"COLUMNS": "200", "TERM": "dumb"})
    assert result.exit_code == 0, result.output
    assert "Usage:" in result.output
    for option in EXPECTED_OPTIONS.get(command[0] if len(command) == 1 else "", []):
        assert option in result.output, option


def test_root_help_runs_as_a_subprocess_and_lists_the_commands(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "data_designer.cli.main", "--help"],
        capture_output=True,
        text=True,
        env={"PATH": "", "DATA_DESIGNER_HOME": str(tmp_path / "home"), "COLUMNS": "200"},
        timeout=60,
    )
    assert result.returncode == 0, result.stderr
    for name in ("validate", "preview", "create", "check-models", "simulate", "config"):
        assert name in result.stdout


def test_importing_the_cli_does_not_load_the_engine_or_data_stack():
    code = (
        "import sys, data_designer.cli.main\n"
        "heavy = [m for m in ('pandas', 'pyarrow', 'aiohttp', 'numpy', 'data_designer.interface.data_designer',"
        " 'data_designer.engine') if m in sys.modules]\n"
        "print(','.join(heavy))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == ""
