"""Per-alias usage accounting: requests, tokens, 429s and time spent waiting for the throttle.

Mutated only from the event loop that runs the requests (plain attribute increments, no locks); the sync bridge
runs its calls on that same loop. ``merge`` adds two snapshots so a resumed run can report cumulative totals.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

__all__ = ["ModelUsageStats"]


@dataclass(slots=True)
class ModelUsageStats:
    model_alias: str
    model_name: str = ""
    provider: str = ""
    requests_ok: int = 0
    requests_failed: int = 0
    requests_cancelled: int = 0  # cancelled while in flight (run aborted / shutdown): may or may not be billed
    input_tokens: int = 0
    output_tokens: int = 0
    rate_limited: int = 0
    throttled_s: float = 0.0
    images: int = 0

    @property
    def total_tokens(self) -> int:
        return self.input_tokens + self.output_tokens

    @property
    def total_requests(self) -> int:
        return self.requests_ok + self.requests_failed

    def add_tokens(self, input_tokens: int, output_tokens: int) -> None:
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens

    def merge(self, other: ModelUsageStats) -> ModelUsageStats:
        """A new object holding the sum of both (same alias expected; ``self``'s names win)."""
        return ModelUsageStats(
            model_alias=self.model_alias,
            model_name=self.model_name or other.model_name,
            provider=self.provider or other.provider,
            requests_ok=self.requests_ok + other.requests_ok,
            requests_failed=self.requests_failed + other.requests_failed,
            requests_cancelled=self.requests_cancelled + other.requests_cancelled,
            input_tokens=self.input_tokens + other.input_tokens,
            output_tokens=self.output_tokens + other.output_tokens,
            rate_limited=self.rate_limited + other.rate_limited,
            throttled_s=self.throttled_s + other.throttled_s,
            images=self.images + other.images,
        )

    def to_dict(self) -> dict[str, Any]:
        return {
            "model_alias": self.model_alias,
            "model_name": self.model_name,
            "provider": self.provider,
            "requests_ok": self.requests_ok,
            "requests_failed": self.requests_failed,
            "requests_cancelled": self.requests_cancelled,
            "input_tokens": self.input_tokens,
            "output_tokens": self.output_tokens,
            "total_tokens": self.total_tokens,
            "rate_limited": self.rate_limited,
            "throttled_s": round(self.throttled_s, 6),
            "images": self.images,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ModelUsageStats:
        fields = {k: data[k] for k in cls.__dataclass_fields__ if k in data}
        return cls(**fields)

    def summary_line(self) -> str:
        return (
            f"{self.model_alias}: {self.requests_ok} ok / {self.requests_failed} failed requests, "
            f"{self.input_tokens} input + {self.output_tokens} output tokens, {self.rate_limited} rate-limited, "
            f"{self.throttled_s:.1f} s waiting for the throttle"
        )
