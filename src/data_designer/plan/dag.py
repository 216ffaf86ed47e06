"""Column dependency graph: edges from template references, side-effect columns and ``skip.when``.

Pure functions over column configs; no asyncio, no I/O.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping

from data_designer.errors import DAGCircularDependencyError, InvalidConfigError

__all__ = ["closest_name", "find_cycle", "topological_order"]


def closest_name(name: str, candidates: Iterable[str]) -> str | None:
    matches = difflib.get_close_matches(name, list(candidates), n=1, cutoff=0.5)
    return matches[0] if matches else None


def unknown_reference_error(column: str, field: str, reference: str, known: Iterable[str]) -> InvalidConfigError:
    known = sorted(set(known))
    hint = closest_name(reference, known)
    suggestion = f"did you mean {hint!r}? " if hint else ""
    return InvalidConfigError(
        f"column {column!r}: {field} references unknown column {reference!r}; {suggestion}"
        f"known columns: {', '.join(known) or '(none)'}"
    )


def find_cycle(upstream: Mapping[str, Iterable[str]]) -> list[str] | None:
    """A dependency cycle as ``[a, b, ..., a]``, or ``None``. Iterative DFS (no recursion limits)."""
    color: dict[str, int] = {}
    for root in upstream:
        if color.get(root):
            continue
        stack: list[tuple[str, list[str]]] = [(root, list(upstream.get(root, ())))]
        path = [root]
        color[root] = 1
        while stack:
            node, children = stack[-1]
            if not children:
                stack.pop()
                path.pop()
                color[node] = 2
                continue
            child = children.pop()
            state = color.get(child, 0)
            if state == 1:
                return path[path.index(child) :] + [child]
            if state == 0 and child in upstream:
                color[child] = 1
                path.append(child)
                stack.append((child, list(upstream.get(child, ()))))
    return None


def topological_order(upstream: Mapping[str, Iterable[str]]) -> list[str]:
    """Kahn's algorithm; ties keep declaration order so the plan is stable and readable."""
    order_index = {name: i for i, name in enumerate(upstream)}
    remaining = {name: {u for u in deps if u in upstream and u != name} for name, deps in upstream.items()}
    downstream: dict[str, list[str]] = {name: [] for name in upstream}
    for name, deps in remaining.items():
        for dep in deps:
            downstream[dep].append(name)
    ready = sorted((n for n, deps in remaining.items() if not deps), key=order_index.__getitem__)
    order: list[str] = []
    while ready:
        node = ready.pop(0)
        order.append(node)
        newly_ready = []
        for child in downstream[node]:
            remaining[child].discard(node)
            if not remaining[child]:
                newly_ready.append(child)
        if newly_ready:
            ready = sorted(ready + newly_ready, key=order_index.__getitem__)
    if len(order) != len(upstream):
        cycle = find_cycle({n: deps for n, deps in remaining.items() if deps}) or sorted(set(upstream) - set(order))
        raise DAGCircularDependencyError(
            "columns depend on each other in a cycle: " + " → ".join(cycle) + "; break the cycle by removing one "
            "of these references"
        )
    return order
