"""Dispatch groups: bounded admission of ready cells into running tasks, one group per throttle domain.

Each model endpoint (provider, model, domain) gets its own queue and its own admission budget (by default twice its
``max_parallel_requests``), so a slow model never starves a fast one and each endpoint's AIMD limiter sees just
enough waiting requests to use any capacity it is given. Local cell work (custom columns without models) has its
own group sized by ``non_inference_max_parallel_workers``. Admission is a plain counter: ready cells beyond the
budget wait in the deque as data, not as suspended coroutines.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

__all__ = ["DispatchGroup", "GlobalBudget"]


@dataclass
class GlobalBudget:
    """The run-wide cap on running tasks (``RunConfig.max_in_flight_tasks``)."""

    capacity: int
    in_flight: int = 0
    blocked: list[DispatchGroup] = field(default_factory=list)

    def release(self) -> None:
        self.in_flight -= 1
        if self.blocked:
            waiting, self.blocked = self.blocked, []
            for group in waiting:
                group.pump()


class DispatchGroup:
    def __init__(self, name: str, budget: int, spawn: Callable[[Any], None], global_budget: GlobalBudget) -> None:
        self.name = name
        self.budget = max(1, budget)
        self.queue: deque[Any] = deque()
        self.in_flight = 0
        self._spawn = spawn
        self._global = global_budget
        self.paused = False

    def submit(self, item: Any) -> None:
        self.queue.append(item)
        self.pump()

    def resubmit(self, item: Any) -> None:
        """A deferred (retryable) item goes to the back so fresh work keeps flowing meanwhile."""
        self.queue.append(item)

    def task_finished(self) -> None:
        self.in_flight -= 1
        self._global.release()
        self.pump()

    def pump(self) -> None:
        queue, glob = self.queue, self._global
        while queue and not self.paused:
            if self.in_flight >= self.budget:
                return
            if glob.in_flight >= glob.capacity:
                if self not in glob.blocked:
                    glob.blocked.append(self)
                return
            item = queue.popleft()
            self.in_flight += 1
            glob.in_flight += 1
            self._spawn(item)
