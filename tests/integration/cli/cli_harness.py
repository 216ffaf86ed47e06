"""Helpers to run ``data-designer`` as a real subprocess, with its own ``DATA_DESIGNER_HOME`` and working directory.

Independent invocations can be started together (``cli.run_all``) so the folder stays fast on two cores: each
process pays the interpreter + pandas import once, and they overlap.
"""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import textwrap
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

URL_PATTERN = re.compile(r"(http://127\.0\.0\.1:\d+/v1)")

SAMPLER_EXPRESSION_YAML = textwrap.dedent(
    """\
    columns:
      - name: age
        column_type: sampler
        sampler_type: uniform
        params: {low: 18, high: 80}
        convert_to: int
      - name: pet
        column_type: sampler
        sampler_type: category
        params: {values: [cat, dog, fish]}
      - name: label
        column_type: expression
        expr: "{{ pet }}-{{ age }}"
    """
)


@dataclass
class CLI:
    home: Path
    cwd: Path

    def env(self) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if not k.endswith("_API_KEY")}
        env.update(DATA_DESIGNER_HOME=str(self.home), DISABLE_DATA_DESIGNER_PLUGINS="true", PYTHONUNBUFFERED="1")
        env.pop("DATA_DESIGNER_SKIP_MODEL_HEALTH_CHECKS", None)
        return env

    def command(self, args: Sequence[str]) -> list[str]:
        return [sys.executable, "-m", "data_designer.cli.main", *map(str, args)]

    def start(self, args: Sequence[str], **kwargs) -> subprocess.Popen:
        return subprocess.Popen(
            self.command(args),
            cwd=self.cwd,
            env=self.env(),
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            **kwargs,
        )

    def run(self, *args: str, timeout: float = 60) -> subprocess.CompletedProcess:
        return self.run_all([args], timeout=timeout)[0]

    def run_all(self, commands: Sequence[Sequence[str]], timeout: float = 60) -> list[subprocess.CompletedProcess]:
        procs = [(list(c), self.start(c)) for c in commands]
        done = []
        for args, proc in procs:
            try:
                out, err = proc.communicate(timeout=timeout)
            except subprocess.TimeoutExpired:
                proc.kill()
                out, err = proc.communicate()
            done.append(subprocess.CompletedProcess(args, proc.returncode, out, err))
        return done

    def write(self, name: str, text: str) -> Path:
        path = self.cwd / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path


@dataclass
class SimulateProcess:
    proc: subprocess.Popen
    base_url: str

    def terminate(self) -> tuple[int, str]:
        if self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
        try:
            out, _ = self.proc.communicate(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            out, _ = self.proc.communicate()
        return self.proc.returncode, out


def start_simulate(cli: CLI, *extra: str) -> SimulateProcess:
    proc = cli.start(["simulate", "--port", "0", *extra])
    assert proc.stdout is not None
    line = proc.stdout.readline()  # blocks until the server listens (or the process dies)
    match = URL_PATTERN.search(line)
    if match is None:
        proc.kill()
        _, err = proc.communicate()
        raise AssertionError(f"simulate did not print its URL; first line {line!r}, stderr {err!r}")
    return SimulateProcess(proc, match.group(1))
