"""One adaptive limiter per (provider, model, domain), created on first use.

The static ceiling belongs to the endpoint, not to the alias: several model aliases may point at the same
(provider, model), and the tightest ``max_parallel_requests`` among them wins. Each request domain (chat,
embedding, image, healthcheck) gets its own AIMD state, because an endpoint may rate-limit them independently.
"""

from __future__ import annotations

from typing import Any

from data_designer.errors import DataDesignerRuntimeError, InvalidConfigError
from data_designer.throttle.clock import Clock, MonotonicClock
from data_designer.throttle.limiter import AdaptiveLimiter
from data_designer.throttle.settings import ThrottleSettings, settings_from

__all__ = ["DOMAINS", "ThrottleRegistry"]

DOMAINS: tuple[str, ...] = ("chat", "embedding", "image", "healthcheck")


class ThrottleRegistry:
    def __init__(self, config: Any = None, clock: Clock | None = None) -> None:
        self._settings: ThrottleSettings = settings_from(config)
        self._clock: Clock = clock if clock is not None else MonotonicClock()
        self._caps: dict[tuple[str, str], int] = {}
        self._limiters: dict[tuple[str, str, str], AdaptiveLimiter] = {}

    @property
    def settings(self) -> ThrottleSettings:
        return self._settings

    def register(self, provider: str, model: str, max_parallel_requests: int) -> None:
        """Declare an alias of (provider, model); the endpoint's ceiling is the minimum over all registrations."""
        if isinstance(max_parallel_requests, bool) or not isinstance(max_parallel_requests, int):
            raise InvalidConfigError(
                f"max_parallel_requests={max_parallel_requests!r} for model {model!r} (provider {provider!r}) "
                "must be an integer >= 1; set inference_parameters.max_parallel_requests accordingly."
            )
        if max_parallel_requests < 1:
            raise InvalidConfigError(
                f"max_parallel_requests={max_parallel_requests} for model {model!r} (provider {provider!r}) "
                "must be >= 1; set inference_parameters.max_parallel_requests to 1 or more."
            )
        key = (provider, model)
        cap = min(self._caps.get(key, max_parallel_requests), max_parallel_requests)
        self._caps[key] = cap
        for (p, m, _), limiter in self._limiters.items():
            if (p, m) == key:
                limiter.set_max_limit(cap)

    def max_parallel_requests(self, provider: str, model: str) -> int | None:
        return self._caps.get((provider, model))

    def get(self, provider: str, model: str, domain: str = "chat") -> AdaptiveLimiter:
        if domain not in DOMAINS:
            raise DataDesignerRuntimeError(
                f"Unknown request domain {domain!r} for model {model!r}; use one of {', '.join(DOMAINS)}."
            )
        key = (provider, model, domain)
        limiter = self._limiters.get(key)
        if limiter is None:
            cap = self._caps.get((provider, model))
            if cap is None:
                raise DataDesignerRuntimeError(
                    f"No concurrency ceiling registered for model {model!r} of provider {provider!r}; "
                    "call ThrottleRegistry.register(provider, model, max_parallel_requests) when the model alias "
                    "is set up, before requesting a limiter."
                )
            limiter = AdaptiveLimiter(
                name=f"{provider}/{model}/{domain}", max_limit=cap, config=self._settings, clock=self._clock
            )
            self._limiters[key] = limiter
        return limiter

    def snapshots(self) -> dict[str, dict[str, Any]]:
        """Per-limiter stats keyed by ``provider/model/domain``, for progress views and run metadata."""
        return {limiter.name: limiter.snapshot() for limiter in self._limiters.values()}
