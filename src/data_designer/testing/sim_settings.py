"""Settings and counters of the simulated endpoint (plain data, shared by the server and its runners)."""

from __future__ import annotations

import dataclasses
from typing import Any

from data_designer.errors import InvalidConfigError

__all__ = ["SimulatorSettings"]


@dataclasses.dataclass(frozen=True)
class SimulatorSettings:
    """Every knob of the simulated endpoint; rates are probabilities per valid inference request."""

    host: str = "127.0.0.1"
    port: int = 0
    latency_ms: float = 0.0
    jitter_ms: float = 0.0
    capacity: int | None = None
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    malformed_rate: float = 0.0
    retry_after: float | None = 1.0
    seed: int = 0
    api_key: str | None = None
    models: list[str] | None = None
    context_window_tokens: int | None = None
    embedding_dim: int = 16
    # A broken server, for error-path tests: "forbidden" (403 to every request), "non_json" (200 with an HTML body),
    # "no_choices" (200 with a JSON body that has no `choices`).
    fault: str | None = None

    def __post_init__(self) -> None:
        if self.fault not in (None, "forbidden", "non_json", "no_choices"):
            raise InvalidConfigError(
                f"Simulator setting 'fault' must be None, 'forbidden', 'non_json' or 'no_choices', got {self.fault!r}."
            )
        for name in ("latency_ms", "jitter_ms"):
            if getattr(self, name) < 0:
                raise InvalidConfigError(f"Simulator setting '{name}' must be >= 0, got {getattr(self, name)}.")
        rates = {n: getattr(self, n) for n in ("error_rate", "timeout_rate", "malformed_rate")}
        for name, rate in rates.items():
            if not 0.0 <= rate <= 1.0:
                raise InvalidConfigError(f"Simulator setting '{name}' must be a probability in [0, 1], got {rate}.")
        if sum(rates.values()) > 1.0 + 1e-9:
            raise InvalidConfigError("Simulator settings error_rate + timeout_rate + malformed_rate must be <= 1.")
        if self.capacity is not None and self.capacity < 1:
            raise InvalidConfigError(f"Simulator setting 'capacity' must be >= 1 or None, got {self.capacity}.")
        if self.embedding_dim < 1:
            raise InvalidConfigError(f"Simulator setting 'embedding_dim' must be >= 1, got {self.embedding_dim}.")

    def updated(self, **changes: Any) -> SimulatorSettings:
        unknown = sorted(set(changes) - set(_SETTING_NAMES))
        if unknown:
            raise InvalidConfigError(f"Unknown simulator setting(s) {unknown}; valid: {list(_SETTING_NAMES)}.")
        return dataclasses.replace(self, **changes)


_SETTING_NAMES = tuple(f.name for f in dataclasses.fields(SimulatorSettings))


class _SimulatorStats:
    """Counters owned by the server loop; ``snapshot`` is safe to call from any thread."""

    def __init__(self) -> None:
        self.in_flight = 0
        self.reset()

    def reset(self) -> None:
        self.requests = self.ok = self.rate_limited = self.server_errors = self.client_errors = 0
        self.timeouts = self.malformed = 0
        self.peak_concurrency = self.in_flight
        self.by_path: dict[str, int] = {}

    def snapshot(self) -> dict[str, Any]:
        names = ("requests", "ok", "rate_limited", "server_errors", "client_errors", "timeouts", "malformed")
        out: dict[str, Any] = {n: getattr(self, n) for n in names}
        out.update(peak_concurrency=self.peak_concurrency, in_flight=self.in_flight, by_path=dict(self.by_path))
        return out
