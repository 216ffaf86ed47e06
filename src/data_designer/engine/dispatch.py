"""Dispatch groups: bounded admission of ready cells into running tasks, one group per throttle domain.

Each model endpoint (provider, model, domain) gets its own queue and its own admission budget (by default twice its
``max_parallel_requests``), so a slow model never starves a fast one and each endpoint's AIMD limiter sees just
enough waiting requests to use any capacity it is given. Local cell work (custom columns without models) has its
own group sized by ``non_inference_max_parallel_workers``. Admission is a plain counter: ready cells beyond the
budget wait in the queues as data, not as suspended coroutines.

Within a group, the oldest admitted row group goes first (one FIFO per row group, served lowest id first): row
groups then finish one after another and free their admission slot early, instead of all finishing together at the
end and leaving the endpoint idle while the next ones start.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Callable, Hashable
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
    def __init__(
        self,
        name: str,
        budget: int,
        spawn: Callable[[Any], None],
        global_budget: GlobalBudget,
        priority: Callable[[Any], Hashable] = lambda item: 0,
    ) -> None:
        self.name = name
        self.budget = max(1, budget)
        self._queues: dict[Hashable, deque[Any]] = {}  # priority key (row-group id) -> FIFO
        self._order: list[Hashable] = []  # keys, ascending
        self._priority = priority
        self._size = 0
        self.in_flight = 0
        self._spawn = spawn
        self._global = global_budget

    def __len__(self) -> int:
        return self._size

    def _push(self, item: Any) -> None:
        key = self._priority(item)
        queue = self._queues.get(key)
        if queue is None:
            queue = self._queues[key] = deque()
            self._order.append(key)
            self._order.sort()
        queue.append(item)
        self._size += 1

    def _pop(self) -> Any:
        key = self._order[0]
        queue = self._queues[key]
        item = queue.popleft()
        self._size -= 1
        if not queue:
            del self._queues[key]
            self._order.pop(0)
        return item

    def submit(self, item: Any) -> None:
        self._push(item)
        self.pump()

    def resubmit(self, item: Any) -> None:
        """A deferred (retryable) item goes to the back of its row group's queue."""
        self._push(item)

    def task_finished(self) -> None:
        self.in_flight -= 1
        self._global.release()
        self.pump()

    def pump(self) -> None:
        glob = self._global
        while self._size:
            if self.in_flight >= self.budget:
                return
            if glob.in_flight >= glob.capacity:
                if self not in glob.blocked:
                    glob.blocked.append(self)
                return
            item = self._pop()
            self.in_flight += 1
            glob.in_flight += 1
            self._spawn(item)
