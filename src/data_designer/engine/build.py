"""Bind an execution plan to generators: one ``EngineUnit`` per plan node, computed once per run."""

from __future__ import annotations

from typing import Any

from data_designer.engine.units import EngineUnit
from data_designer.generators.base import GeneratorContext
from data_designer.generators.jinja_render import compile_condition
from data_designer.generators.registry import create_generator
from data_designer.plan.compile import ExecutionPlan, PlanNode

__all__ = ["build_units", "seed_column_names"]


def seed_column_names(seed_config: Any, *, seed: int = 0) -> list[str]:
    if seed_config is None:
        return []
    from data_designer.generators.seed_reader import SeedDatasetReader

    return SeedDatasetReader(seed_config, seed=seed).column_names()


def _ancestors(plan: ExecutionPlan, node: PlanNode) -> list[str]:
    by_name = {n.name: n for n in plan.nodes}
    seen: set[str] = set()
    stack = list(node.upstream)
    while stack:
        name = stack.pop()
        if name not in seen:
            seen.add(name)
            stack.extend(by_name[name].upstream)
    return [out for n in plan.nodes if n.name in seen for out in n.outputs]


def _from_scratch_generator(node: PlanNode, plan: ExecutionPlan, context: GeneratorContext, seed: int) -> Any:
    if node.kind == "seed":
        from data_designer.generators.seed_reader import SeedDatasetGenerator

        return SeedDatasetGenerator(node.config, context, seed=seed)
    from data_designer.generators.samplers import SamplerMultiColumnConfig, SamplerMultiColumnGenerator

    config = SamplerMultiColumnConfig(columns=list(node.config), constraints=list(plan.config.constraints or []))
    return SamplerMultiColumnGenerator(config, context)


def build_units(plan: ExecutionPlan, context: GeneratorContext, *, seed: int) -> list[EngineUnit]:
    run_config = context.run_config
    units: list[EngineUnit] = []
    # Skip markers are kept per producing column: reading `x__trace` depends on `x` for skip propagation.
    producer = {out: n.name for n in plan.nodes if n.kind in ("cell", "full_column") for out in n.outputs}
    for node in plan.nodes:
        if node.kind in ("seed", "samplers"):
            units.append(EngineUnit(node=node, generator=_from_scratch_generator(node, plan, context, seed)))
            continue
        column = node.config
        generator = create_generator(column, context)
        resizes = bool(getattr(column, "allow_resize", False))
        reads_all = column.column_type in ("custom", "validation")
        if resizes:  # a resize rebuilds whole rows, so it sees every column produced before it
            read_columns = tuple(o for n in plan.nodes[: plan.nodes.index(node)] for o in n.outputs)
        elif reads_all:
            read_columns = tuple(_ancestors(plan, node))
        else:
            read_columns = tuple(node.required_columns)
        skip = skip_columns = None
        if column.skip is not None:
            skip = compile_condition(column.skip.when, where=f"column {column.name!r} skip.when")
            skip_columns = tuple(column.skip.columns)
        key = getattr(generator, "scheduling_key", None)
        is_model = key is not None
        if is_model:
            dispatch_key = f"{key.provider}/{key.model}/{key.domain}"
            budget = int(getattr(generator, "max_parallel_requests", 4))
        else:
            dispatch_key = getattr(generator, "dispatch_key", "local")
            budget = getattr(generator, "dispatch_budget", None) or run_config.non_inference_max_parallel_workers
        units.append(
            EngineUnit(
                node=node,
                generator=generator,
                read_columns=read_columns,
                skip=skip,
                skip_columns=skip_columns or (),
                skip_value=column.skip.value if column.skip is not None else None,
                propagate_skip=column.propagate_skip,
                required_set=frozenset(producer.get(c, c) for c in column.required_columns),
                dispatch_key=dispatch_key,
                dispatch_budget=budget,
                is_model=is_model,
                run_in_thread=column.column_type in ("validation", "custom"),
                keep_rows_with_parse_failures=run_config.keep_rows_with_parse_failures,
                fatal_on_error=column.column_type == "expression",
                resizes=resizes,
                journal_full=column.column_type in ("custom", "validation"),
            )
        )
    return units
