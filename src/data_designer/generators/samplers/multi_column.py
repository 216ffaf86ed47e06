"""All sampler columns of a dataset, generated together from scratch for one row group.

Design notes:

* Compilation merges every sampler column into one :class:`SamplerMultiColumnConfig`, so the samplers' own
  dependencies (conditions, subcategory parents, timedelta references, column constraints) are ordered here, once,
  in ``__init__``; every configuration mistake is raised there, before a single row is drawn.
* A column is drawn for a set of row positions at a time: the first pass draws all rows, rejection passes redraw only
  violating rows. Within a draw, each ``conditional_params`` branch gets one vectorised call for the rows it selects
  (first matching condition wins; the rest use ``params``).
* Everything random comes from the ``rng`` argument, consumed in a fixed order, so the same seed gives the same
  values, and a resumed row group re-derives exactly what it had.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from data_designer.errors import ConfigCompilationError, DataDesignerError, RejectionSamplingError
from data_designer.generators.base import FromScratchGenerator, GeneratorContext
from data_designer.generators.samplers.categorical import subcategory_options
from data_designer.generators.samplers.conditions import referenced_columns, select_rows
from data_designer.generators.samplers.conversion import apply_numeric_cast, to_output, validate_convert_to
from data_designer.generators.samplers.ordering import order_sampler_columns, sampler_type_of
from data_designer.generators.samplers.registry import build_sampler_registry
from data_designer.generators.samplers.rejection import validate_constraint, violating_rows
from data_designer.generators.samplers.temporal import datetime_unit_range

__all__ = ["SamplerMultiColumnConfig", "SamplerMultiColumnGenerator"]


@dataclass
class SamplerMultiColumnConfig:
    """The compiled (internal) config of every sampler column of a dataset plus the constraints among them."""

    columns: list[Any]
    constraints: list[Any] = field(default_factory=list)
    max_rejections_factor: int = 5
    name: str = "sampler-columns"

    @property
    def output_columns(self) -> list[str]:
        return [column.name for column in self.columns]

    @property
    def side_effect_columns(self) -> list[str]:
        return []


@dataclass(frozen=True)
class _Branch:
    condition: str | None  # None = the default branch (``params``)
    params: Any
    condition_inputs: frozenset[str]  # columns the condition reads
    draw_inputs: tuple[str, ...]  # columns the draw itself reads (subcategory parent, timedelta reference)


def _draw_inputs(params: Any) -> tuple[str, ...]:
    kind = sampler_type_of(params)
    if kind == "subcategory":
        return (params.category,)
    if kind == "timedelta":
        return (params.reference_column_name,)
    return ()


class SamplerMultiColumnGenerator(FromScratchGenerator):
    def __init__(self, config: SamplerMultiColumnConfig, context: GeneratorContext) -> None:
        super().__init__(config, context)
        if config.max_rejections_factor < 1:
            raise ConfigCompilationError(
                f"max_rejections_factor must be at least 1, got {config.max_rejections_factor}"
            )
        self._columns = {column.name: column for column in config.columns}
        self._order = order_sampler_columns(config.columns, config.constraints)
        self._types = {column.name: sampler_type_of(column) for column in config.columns}
        self._branches = {column.name: self._compile_branches(column) for column in config.columns}
        self._condition_inputs = {
            name: sorted(set().union(*(b.condition_inputs for b in branches)))
            for name, branches in self._branches.items()
        }
        self._downstream = self._downstream_closure()
        reference_date = context.extras.get("reference_date") or dt.date.today()
        self._registry, managed = build_sampler_registry(
            managed_assets_path=context.managed_assets_path, reference_date=reference_date
        )
        convert_to = {column.name: column.convert_to for column in config.columns}
        for column in config.columns:
            validate_convert_to(column.name, self._types[column.name], column.convert_to)
            for branch in self._branches[column.name]:
                self._validate_params(column.name, branch.params)
                if self._types[column.name] == "person":  # fail before any LLM call if the dataset is missing
                    try:
                        managed.locate(branch.params.locale)
                    except DataDesignerError as exc:
                        raise type(exc)(f"sampler column {column.name!r}: {exc}") from exc
        for constraint in config.constraints:
            validate_constraint(constraint, self._types, convert_to)

    @property
    def output_columns(self) -> list[str]:
        return self.config.output_columns

    # ------------------------------------------------------------------ compile-time checks
    def _compile_branches(self, column: Any) -> list[_Branch]:
        kind = sampler_type_of(column)
        branches = [
            _Branch(cond, params, frozenset(referenced_columns(cond, column=column.name)), _draw_inputs(params))
            for cond, params in (column.conditional_params or {}).items()
        ]
        branches.append(_Branch(None, column.params, frozenset(), _draw_inputs(column.params)))
        for branch in branches:
            if sampler_type_of(branch.params) != kind:
                where = "params" if branch.condition is None else f"conditional_params[{branch.condition!r}]"
                raise ConfigCompilationError(
                    f"sampler column {column.name!r}: {where} are for sampler_type "
                    f"{sampler_type_of(branch.params)!r} but the column has sampler_type {kind!r}; make them agree"
                )
        return branches

    def _validate_params(self, name: str, params: Any) -> None:
        kind = sampler_type_of(params)
        if kind == "datetime":
            try:
                datetime_unit_range(params)
            except ConfigCompilationError as exc:
                raise ConfigCompilationError(f"sampler column {name!r}: {exc}") from exc
        elif kind == "timedelta":
            ref = params.reference_column_name
            if self._types[ref] not in ("datetime", "timedelta"):
                raise ConfigCompilationError(
                    f"sampler column {name!r}: reference_column_name {ref!r} is a {self._types[ref]} sampler; "
                    "it must name a datetime or timedelta sampler column"
                )
        elif kind == "subcategory":
            parent = self._columns[params.category]
            if self._types[parent.name] == "category":
                parent_values = {v for b in self._branches[parent.name] for v in b.params.values}
                missing = sorted((v for v in parent_values if subcategory_options(params, v) is None), key=str)
                if missing:
                    raise ConfigCompilationError(
                        f"sampler column {name!r}: parent category {parent.name!r} can produce {missing}, which "
                        "have no entry in params.values; add a list of subcategories for each"
                    )

    def _downstream_closure(self) -> dict[str, set[str]]:
        """Columns whose values derive from each column, so a redraw of a column also redraws them."""
        direct: dict[str, set[str]] = {name: set() for name in self._columns}
        for name, branches in self._branches.items():
            for branch in branches:
                for ref in (*branch.condition_inputs, *branch.draw_inputs):
                    direct[ref].add(name)
        closure: dict[str, set[str]] = {}
        for name in reversed(self._order):  # children come later in the order, so they are already closed
            closure[name] = set(direct[name]).union(*(closure[child] for child in direct[name]))
        return closure

    # ------------------------------------------------------------------ generation
    def generate(self, *, offset: int, num_rows: int, rng: np.random.Generator) -> dict[str, list[Any] | np.ndarray]:
        values: dict[str, np.ndarray] = {}
        every_row = np.arange(num_rows)
        for name in self._order:
            values[name] = self._draw_column(name, every_row, values, rng)
        self._enforce_constraints(values, num_rows, rng)
        return {
            name: to_output(self._types[name], column.convert_to, values[name])
            for name, column in self._columns.items()
        }

    def _draw_column(
        self, name: str, rows: np.ndarray, values: Mapping[str, np.ndarray], rng: np.random.Generator
    ) -> np.ndarray:
        """Working values of column ``name`` for the row positions ``rows``."""
        branches = self._branches[name]
        frame = {ref: values[ref][rows] for ref in self._condition_inputs[name]}
        unassigned = np.ones(rows.size, dtype=bool)
        parts: list[tuple[np.ndarray, np.ndarray]] = []
        for branch in branches:
            if branch.condition is None:
                selected = unassigned
            else:
                selected = unassigned & select_rows(branch.condition, frame, rows.size, column=name)
                unassigned &= ~selected
            positions = np.flatnonzero(selected)
            if positions.size == 0:
                continue
            upstream = {ref: values[ref][rows[positions]] for ref in branch.draw_inputs}
            try:
                drawn = self._registry[self._types[name]](branch.params, positions.size, rng, upstream)
            except DataDesignerError as exc:  # the draw functions do not know the column; name it for the user
                raise type(exc)(f"sampler column {name!r}: {exc}") from exc
            parts.append((positions, apply_numeric_cast(self._types[name], self._columns[name].convert_to, drawn)))
        dtype = np.result_type(*(part.dtype for _, part in parts)) if parts else object
        out = np.empty(rows.size, dtype=dtype)
        for positions, part in parts:
            out[positions] = part
        return out

    def _enforce_constraints(self, values: dict[str, np.ndarray], num_rows: int, rng: np.random.Generator) -> None:
        constraints = self.config.constraints
        budget = self.config.max_rejections_factor * num_rows
        redrawn = 0
        while constraints:
            masks = [(constraint, violating_rows(constraint, values)) for constraint in constraints]
            violated = [(constraint, mask) for constraint, mask in masks if mask.any()]
            if not violated:
                return
            rows = np.flatnonzero(np.logical_or.reduce([mask for _, mask in violated]))
            redrawn += rows.size
            if redrawn > budget:
                details = "; ".join(f"{c.describe()!r} fails on {int(m.sum())} of {num_rows} rows" for c, m in violated)
                raise RejectionSamplingError(
                    f"sampler constraint(s) not satisfied: {details} (gave up after redrawing {redrawn - rows.size} "
                    f"rows, the limit max_rejections_factor={self.config.max_rejections_factor} x {num_rows} rows); "
                    "relax the constraint or change the samplers' params so most draws already satisfy it"
                )
            involved: set[str] = set()
            for constraint, _ in violated:
                for name in constraint.referenced_columns:
                    involved |= {name, *self._downstream[name]}
            for name in (n for n in self._order if n in involved):
                redraw = self._draw_column(name, rows, values, rng)
                if redraw.dtype != values[name].dtype:
                    values[name] = values[name].astype(np.result_type(values[name].dtype, redraw.dtype))
                values[name][rows] = redraw
