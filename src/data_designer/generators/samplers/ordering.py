"""The dependency graph among sampler columns and its topological order.

Sampler columns are generated together, before any other column, so their order is decided here rather than by
the dataset DAG. A sampler column depends on the columns its ``conditional_params`` conditions read, on the parent
of a subcategory, on the reference of a timedelta, and (for a column inequality constraint) the target depends on
the right-hand column. Ties keep the order the user declared the columns in, so the draw order - and therefore the
values for a given seed - does not change when unrelated columns are added after them.
"""

from __future__ import annotations

import heapq
from collections import Counter
from typing import Any

from data_designer.errors import ConfigCompilationError, DAGCircularDependencyError
from data_designer.generators.samplers.conditions import referenced_columns

__all__ = ["sampler_type_of", "column_dependencies", "order_sampler_columns"]


def sampler_type_of(obj: Any) -> str:
    """The sampler type value of a column or params object, whether it holds the enum or its value."""
    value = obj.sampler_type
    return getattr(value, "value", value)


def _params_dependencies(params: Any) -> list[tuple[str, str]]:
    kind = sampler_type_of(params)
    if kind == "subcategory":
        return [(params.category, "subcategory parent (params.category)")]
    if kind == "timedelta":
        return [(params.reference_column_name, "timedelta reference_column_name")]
    return []


def column_dependencies(column: Any) -> list[tuple[str, str]]:
    """``(upstream column, why)`` pairs for one sampler column, constraints excluded."""
    deps = _params_dependencies(column.params)
    for condition, params in (column.conditional_params or {}).items():
        deps += [
            (name, f"conditional_params condition {condition!r}")
            for name in sorted(referenced_columns(condition, column=column.name))
        ]
        deps += _params_dependencies(params)
    return deps


def order_sampler_columns(columns: list[Any], constraints: list[Any]) -> list[str]:
    """Column names in an order where every column comes after the columns it depends on (Kahn's algorithm)."""
    position = {column.name: index for index, column in enumerate(columns)}
    if len(position) != len(columns):
        dupes = sorted(name for name, count in Counter(c.name for c in columns).items() if count > 1)
        raise ConfigCompilationError(f"sampler column names must be unique; {dupes} are defined more than once")

    upstream: dict[str, set[str]] = {name: set() for name in position}

    def _add_edge(source: str, target: str, why: str) -> None:
        if source not in position:
            raise ConfigCompilationError(
                f"sampler column {target!r}: {why} refers to {source!r}, which is not a sampler column; "
                f"it may only refer to one of {sorted(position)}"
            )
        if source == target:
            raise DAGCircularDependencyError(f"sampler column {target!r}: {why} refers to the column itself")
        upstream[target].add(source)

    for column in columns:
        for source, why in column_dependencies(column):
            _add_edge(source, column.name, why)
    for constraint in constraints:
        target = constraint.target_column
        if target not in position:
            raise ConfigCompilationError(
                f"constraint {constraint.describe()!r} targets {target!r}, which is not a sampler column; "
                f"constraints apply only to sampler columns ({sorted(position)})"
            )
        if getattr(constraint, "constraint_type", None) == "column_inequality":
            _add_edge(constraint.rhs, target, f"constraint {constraint.describe()!r}")

    downstream: dict[str, set[str]] = {name: set() for name in position}
    for target, sources in upstream.items():
        for source in sources:
            downstream[source].add(target)
    remaining = {name: len(sources) for name, sources in upstream.items()}
    ready = [(position[name], name) for name, count in remaining.items() if count == 0]
    heapq.heapify(ready)
    order: list[str] = []
    while ready:
        _, name = heapq.heappop(ready)
        order.append(name)
        for child in downstream[name]:
            remaining[child] -= 1
            if remaining[child] == 0:
                heapq.heappush(ready, (position[child], child))
    if len(order) != len(columns):
        stuck = sorted((name for name, count in remaining.items() if count > 0), key=position.__getitem__)
        raise DAGCircularDependencyError(
            f"sampler columns {stuck} depend on each other in a cycle (through conditional_params conditions, "
            "subcategory parents, timedelta references or column constraints); remove one of the references"
        )
    return order
