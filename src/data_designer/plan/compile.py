"""Compile a ``DataDesignerConfig`` into an execution plan: units of work in dependency order.

A unit is what the engine schedules: the seed reader (all seed columns), the sampler block (all sampler columns),
a full-column generator (expressions, validators, full-column custom columns) or a cell generator (LLM columns,
embeddings, images, cell-by-cell custom columns). Seed column names are passed in (reading the seed schema is I/O,
which this module does not do).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

from data_designer.config.column_configs import SamplerColumnConfig
from data_designer.config.data_designer_config import DataDesignerConfig
from data_designer.errors import InvalidConfigError
from data_designer.plan.dag import topological_order, unknown_reference_error

__all__ = ["ExecutionPlan", "PlanNode", "Violation", "compile_plan", "SEED_UNIT", "SAMPLER_UNIT", "INTERNAL_ROW_ID"]

SEED_UNIT = "__seed_dataset__"
SAMPLER_UNIT = "__samplers__"
INTERNAL_ROW_ID = "_internal_row_id"

_CELL_TYPES = {"llm-text", "llm-code", "llm-structured", "llm-judge", "embedding", "image"}
_FULL_TYPES = {"expression", "validation"}

UnitKind = Literal["seed", "samplers", "full_column", "cell"]


@dataclass(frozen=True)
class Violation:
    column: str | None
    type: str
    message: str
    level: Literal["ERROR", "WARNING"] = "WARNING"


@dataclass(frozen=True)
class PlanNode:
    name: str
    kind: UnitKind
    config: Any
    outputs: tuple[str, ...]
    upstream: frozenset[str]
    required_columns: tuple[str, ...] = ()

    @property
    def is_model_unit(self) -> bool:
        return bool(getattr(self.config, "model_alias", None)) or bool(
            callable(getattr(self.config, "get_model_aliases", None)) and self.config.get_model_aliases()
        )


@dataclass
class ExecutionPlan:
    config: DataDesignerConfig
    nodes: list[PlanNode]
    seed_columns: list[str]
    sampler_columns: list[SamplerColumnConfig]
    dropped_columns: list[str]
    violations: list[Violation] = field(default_factory=list)

    @property
    def column_names(self) -> list[str]:
        return [name for node in self.nodes for name in node.outputs]

    @property
    def output_columns(self) -> list[str]:
        dropped = set(self.dropped_columns)
        return [c for c in self.column_names if c not in dropped]

    def node(self, name: str) -> PlanNode:
        for node in self.nodes:
            if node.name == name:
                return node
        raise KeyError(name)

    @property
    def allows_resize(self) -> bool:
        return any(getattr(c, "allow_resize", False) for c in self.config.columns)


def _unit_kind(column: Any) -> UnitKind:
    if column.column_type in _CELL_TYPES:
        return "cell"
    if column.column_type in _FULL_TYPES:
        return "full_column"
    if column.column_type == "custom":
        strategy = getattr(column.generation_strategy, "value", column.generation_strategy)
        return "full_column" if strategy == "full_column" else "cell"
    raise InvalidConfigError(f"column {column.name!r}: column_type {column.column_type!r} cannot be scheduled")


def compile_plan(config: DataDesignerConfig, *, seed_columns: list[str] | None = None) -> ExecutionPlan:
    seed_columns = list(seed_columns or [])
    violations: list[Violation] = []
    declared = [c for c in config.columns if c.column_type != "seed-dataset"]
    sampler_columns = [c for c in declared if c.column_type == "sampler"]
    if not sampler_columns and not seed_columns:
        from data_designer.config.sampler_params import UUIDSamplerParams

        sampler_columns = [
            SamplerColumnConfig(name=INTERNAL_ROW_ID, sampler_type="uuid", params=UUIDSamplerParams(), drop=True)
        ]
    for name in seed_columns:
        if any(c.name == name for c in declared):
            raise InvalidConfigError(
                f"column {name!r} is declared in the config and also comes from the seed dataset; rename the "
                "declared column or drop it from the seed data"
            )

    producer: dict[str, str] = {name: SEED_UNIT for name in seed_columns}
    for column in sampler_columns:
        producer[column.name] = SAMPLER_UNIT
    other = [c for c in declared if c.column_type != "sampler"]
    for column in other:
        producer[column.name] = column.name
        for side in column.side_effect_columns:
            producer[side] = column.name

    aliases = {m.alias for m in config.model_configs or []}
    upstream: dict[str, set[str]] = {}
    if seed_columns:
        upstream[SEED_UNIT] = set()
    upstream[SAMPLER_UNIT] = set()
    for column in other:
        deps: set[str] = set()
        refs = [("template", r) for r in column.required_columns]
        if column.skip is not None:
            refs += [("skip.when", r) for r in column.skip.columns]
        for field_name, ref in refs:
            if ref not in producer:
                raise unknown_reference_error(column.name, field_name, ref, producer)
            if producer[ref] == column.name:
                raise InvalidConfigError(f"column {column.name!r}: {field_name} references its own output {ref!r}")
            deps.add(producer[ref])
        for alias in column.get_model_aliases():
            if alias not in aliases:
                from data_designer.plan.dag import closest_name

                hint = closest_name(alias, aliases)
                raise InvalidConfigError(
                    f"column {column.name!r}: unknown model alias {alias!r}"
                    + (f"; did you mean {hint!r}?" if hint else "")
                    + f" Configured aliases: {', '.join(sorted(aliases)) or '(none)'}. Add a ModelConfig with "
                    "this alias or fix the column's model_alias."
                )
        if getattr(column, "tool_alias", None):
            raise InvalidConfigError(
                f"column {column.name!r}: tool_alias={column.tool_alias!r} asks for MCP tool use, which this "
                "implementation does not support yet; remove tool_alias or generate the tool output in a custom column"
            )
        if column.column_type == "custom" and isinstance(column.generator_function, str):
            raise InvalidConfigError(
                f"column {column.name!r}: custom generator {column.generator_function!r} was loaded from a file and "
                "cannot be run; build the config in Python with the decorated function"
            )
        if getattr(column, "prompt", None) is not None and not column.required_columns:
            violations.append(Violation(column.name, "prompt_without_references", "prompt references no other column"))
        upstream[column.name] = deps

    sampler_names = {c.name for c in sampler_columns}
    for constraint in config.constraints or []:
        if constraint.target_column not in sampler_names:
            raise InvalidConfigError(
                f"constraint on {constraint.target_column!r}: constraints apply only to sampler columns; "
                f"sampler columns are {', '.join(sorted(sampler_names)) or '(none)'}"
            )

    order = topological_order(upstream)
    by_name = {c.name: c for c in other}
    nodes: list[PlanNode] = []
    for unit in order:
        if unit == SEED_UNIT:
            nodes.append(PlanNode(SEED_UNIT, "seed", config.seed_config, tuple(seed_columns), frozenset()))
        elif unit == SAMPLER_UNIT:
            if sampler_columns:
                nodes.append(
                    PlanNode(
                        SAMPLER_UNIT, "samplers", sampler_columns, tuple(c.name for c in sampler_columns), frozenset()
                    )
                )
        else:
            column = by_name[unit]
            nodes.append(
                PlanNode(
                    unit,
                    _unit_kind(column),
                    column,
                    (column.name, *column.side_effect_columns),
                    frozenset(upstream[unit]),
                    tuple(column.required_columns),
                )
            )
    dropped = [c.name for c in [*sampler_columns, *other] if c.drop]
    all_outputs = [o for n in nodes for o in n.outputs]
    if all_outputs and set(all_outputs) <= set(dropped):
        raise InvalidConfigError("every column is marked drop=True; the dataset would be empty. Keep at least one.")
    return ExecutionPlan(config, nodes, seed_columns, sampler_columns, dropped, violations)
