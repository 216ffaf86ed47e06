"""``data-designer simulate``: run the simulated OpenAI-compatible endpoint in the foreground.

The base URL is printed (and flushed) only once the socket is listening, so a script or test can start the process,
read one line and point a provider at it. The server stops cleanly on SIGINT/SIGTERM and the command exits 0.
"""

from __future__ import annotations

import sys
from typing import Annotated

import typer

__all__ = ["simulate_command"]

READY_MESSAGE = "simulated OpenAI-compatible endpoint listening on {url}"


def simulate_command(
    port: Annotated[int, typer.Option("--port", min=0, max=65535, help="TCP port; 0 picks a free one.")] = 8000,
    host: Annotated[str, typer.Option("--host", help="Interface to bind.")] = "127.0.0.1",
    latency_ms: Annotated[float, typer.Option("--latency-ms", min=0, help="Added latency per request.")] = 0.0,
    jitter_ms: Annotated[float, typer.Option("--jitter-ms", min=0, help="Random extra latency, up to this.")] = 0.0,
    capacity: Annotated[
        int | None, typer.Option("--capacity", min=1, help="Concurrent requests served; more get 429. Default: no cap.")
    ] = None,
    error_rate: Annotated[float, typer.Option("--error-rate", min=0, max=1, help="Share of 5xx answers.")] = 0.0,
    timeout_rate: Annotated[
        float, typer.Option("--timeout-rate", min=0, max=1, help="Share of requests held until the client gives up.")
    ] = 0.0,
    malformed_rate: Annotated[
        float, typer.Option("--malformed-rate", min=0, max=1, help="Share of answers that are not valid JSON.")
    ] = 0.0,
    retry_after: Annotated[
        float, typer.Option("--retry-after", min=0, help="Retry-After seconds sent with 429 answers.")
    ] = 1.0,
    no_retry_after: Annotated[bool, typer.Option("--no-retry-after", help="Send 429 without Retry-After.")] = False,
    seed: Annotated[int, typer.Option("--seed", help="Seed for faults and answer content.")] = 0,
) -> None:
    """Serve a simulated OpenAI-compatible endpoint (chat, embeddings, images, /v1/models, /stats) until stopped."""
    from data_designer.testing.simulator import serve_forever

    def announce(url: str) -> None:
        sys.stdout.write(READY_MESSAGE.format(url=url) + "\n")
        sys.stdout.write("stop with Ctrl+C (SIGINT) or SIGTERM; statistics at " + url.removesuffix("/v1") + "/stats\n")
        sys.stdout.flush()

    serve_forever(
        on_ready=announce,
        host=host,
        port=port,
        latency_ms=latency_ms,
        jitter_ms=jitter_ms,
        capacity=capacity,
        error_rate=error_rate,
        timeout_rate=timeout_rate,
        malformed_rate=malformed_rate,
        retry_after=None if no_retry_after else retry_after,
        seed=seed,
    )
    sys.stdout.write("simulated endpoint stopped\n")
    sys.stdout.flush()
