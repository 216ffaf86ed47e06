"""A tiny scripted HTTP server on 127.0.0.1 for the remote validator tests."""

from __future__ import annotations

import json
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

Reply = tuple[int, Any]  # (status, JSON-able body or raw bytes)


@dataclass
class ScriptedServer:
    url: str
    respond: Callable[[dict[str, Any]], Reply] = lambda body: (200, {"data": [{"is_valid": True}] * len(body["data"])})
    requests: list[dict[str, Any]] = field(default_factory=list)
    release: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)


@pytest.fixture
def validator_server():
    state: dict[str, ScriptedServer] = {}

    class Handler(BaseHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 - http.server naming
            server = state["server"]
            body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
            with server.lock:
                server.requests.append(body)
            status, reply = server.respond(body)
            payload = reply if isinstance(reply, bytes) else json.dumps(reply).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    httpd.daemon_threads = True
    state["server"] = ScriptedServer(url=f"http://127.0.0.1:{httpd.server_address[1]}/validate")
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.01}, daemon=True)
    thread.start()
    try:
        yield state["server"]
    finally:
        state["server"].release.set()
        httpd.shutdown()
        httpd.server_close()
        thread.join(timeout=5)
