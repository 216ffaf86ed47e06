"""Real sockets on 127.0.0.1: the simulated endpoint, plus a tiny scripted aiohttp app for answers it cannot give."""

from __future__ import annotations

import asyncio
import threading

import pytest
from aiohttp import web

from data_designer.testing.simulator import SimulatedEndpoint


@pytest.fixture()
def sim():
    with SimulatedEndpoint(api_key="sim-key", models=["sim-model"], context_window_tokens=200) as endpoint:
        yield endpoint


class ScriptedServer:
    """Answers POSTs from a list of (status, body bytes, headers) in order; the last entry repeats."""

    def __init__(self) -> None:
        self.script: list[tuple[int, bytes, dict[str, str]]] = [(200, b"{}", {})]
        self.requests = 0
        self.base_url = ""
        self._loop = asyncio.new_event_loop()
        self._runner: web.AppRunner | None = None
        self._thread = threading.Thread(target=self._loop.run_forever, daemon=True)

    async def _handle(self, request: web.Request) -> web.Response:
        await request.read()
        index = min(self.requests, len(self.script) - 1)
        self.requests += 1
        status, body, headers = self.script[index]
        return web.Response(status=status, body=body, headers=headers, content_type="application/json")

    async def _start(self) -> int:
        app = web.Application()
        app.router.add_route("*", "/{tail:.*}", self._handle)
        self._runner = web.AppRunner(app)
        await self._runner.setup()
        site = web.TCPSite(self._runner, "127.0.0.1", 0)
        await site.start()
        return site._server.sockets[0].getsockname()[1]

    def start(self) -> None:
        self._thread.start()
        port = asyncio.run_coroutine_threadsafe(self._start(), self._loop).result(10)
        self.base_url = f"http://127.0.0.1:{port}/v1"

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self._runner.cleanup(), self._loop).result(10)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(10)
        self._loop.close()


@pytest.fixture()
def scripted():
    server = ScriptedServer()
    server.start()
    yield server
    server.stop()
