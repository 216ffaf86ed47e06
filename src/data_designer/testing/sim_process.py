"""Running the simulated endpoint as a server process: ``serve_forever`` (the ``data-designer simulate`` command)
and ``start_simulator_process`` (a child process, so benchmark client and server do not share a core).
"""

from __future__ import annotations

import asyncio
import json
import os
import select
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Callable, Iterable
from typing import Any

import orjson

from data_designer.errors import DataDesignerRuntimeError
from data_designer.testing.simulator import SimulatorSettings, _SimulatorCore

__all__ = ["SimulatorProcess", "serve_forever", "start_simulator_process"]

_READY_PREFIX = "SIMULATOR_READY "


def serve_forever(
    *,
    on_ready: Callable[[str], None] | None = None,
    cpu_affinity: Iterable[int] | None = None,
    use_uvloop: bool = True,
    **settings: Any,
) -> None:
    """Serve in the calling thread until SIGINT/SIGTERM; ``on_ready`` receives the base URL once listening."""
    core = _SimulatorCore(SimulatorSettings(**settings))
    if cpu_affinity is not None and hasattr(os, "sched_setaffinity"):
        os.sched_setaffinity(0, set(cpu_affinity))

    async def main() -> None:
        stop = asyncio.Event()
        loop = asyncio.get_running_loop()
        for sig in (signal.SIGINT, signal.SIGTERM):
            try:
                loop.add_signal_handler(sig, stop.set)
            except (NotImplementedError, RuntimeError, ValueError):  # not the main thread / not supported
                pass
        port = await core.start()
        try:
            if on_ready is not None:
                on_ready(f"http://{core.settings.host}:{port}/v1")
            await stop.wait()
        finally:
            await core.close()

    uvloop = None
    if use_uvloop:
        try:
            import uvloop
        except ImportError:
            uvloop = None
    if uvloop is not None:
        uvloop.run(main())
    else:
        asyncio.run(main())


class SimulatorProcess:
    """Handle on a simulator running in its own OS process (so client and server do not share a core)."""

    def __init__(self, popen: subprocess.Popen, base_url: str) -> None:
        self._popen = popen
        self.base_url = base_url
        self.port = int(base_url.rsplit(":", 1)[1].split("/", 1)[0])
        self.pid = popen.pid

    def _root(self) -> str:
        return self.base_url[: -len("/v1")]

    def stats(self) -> dict[str, Any]:
        with urllib.request.urlopen(f"{self._root()}/stats", timeout=10) as resp:
            return orjson.loads(resp.read())

    def reset_stats(self) -> None:
        request = urllib.request.Request(f"{self._root()}/stats", data=b"", method="POST")
        with urllib.request.urlopen(request, timeout=10) as resp:
            resp.read()

    def stop(self) -> None:
        if self._popen.poll() is None:
            self._popen.terminate()
            try:
                self._popen.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self._popen.kill()
                self._popen.wait()
        if self._popen.stdout is not None:
            self._popen.stdout.close()

    def __enter__(self) -> SimulatorProcess:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.stop()


def start_simulator_process(
    *, cpu_affinity: Iterable[int] | None = None, startup_timeout_s: float = 30.0, **settings: Any
) -> SimulatorProcess:
    """Start ``serve_forever`` in a child Python process and wait until it listens."""
    SimulatorSettings(**settings)  # fail fast, in the caller, on bad settings
    spec = {"settings": settings, "cpu_affinity": sorted(cpu_affinity) if cpu_affinity is not None else None}
    cmd = [
        sys.executable,
        "-c",
        "from data_designer.testing.sim_process import _run_child; _run_child()",
        json.dumps(spec),
    ]
    popen = subprocess.Popen(cmd, stdout=subprocess.PIPE, stdin=subprocess.DEVNULL, text=True)
    assert popen.stdout is not None
    deadline = time.monotonic() + startup_timeout_s
    while True:
        remaining = deadline - time.monotonic()
        readable, _, _ = select.select([popen.stdout], [], [], max(0.0, remaining))
        line = popen.stdout.readline() if readable else ""
        if line.startswith(_READY_PREFIX):
            return SimulatorProcess(popen, line[len(_READY_PREFIX) :].strip())
        if not readable or not line:
            popen.kill()
            popen.wait()
            raise DataDesignerRuntimeError(
                f"Simulator process did not start within {startup_timeout_s} s (exit code {popen.returncode}); "
                "see its stderr above, or raise startup_timeout_s."
            )


def _run_child() -> None:
    spec = json.loads(sys.argv[1])

    def announce(base_url: str) -> None:
        print(f"{_READY_PREFIX}{base_url}", flush=True)

    serve_forever(on_ready=announce, cpu_affinity=spec["cpu_affinity"], **spec["settings"])
