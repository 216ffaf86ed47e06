"""The ready frontier dispatches every live cell exactly once, in dependency order, for any DAG."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from data_designer.engine.frontier import FrontierTopology, RowGroupFrontier


@st.composite
def dags(draw):
    n = draw(st.integers(min_value=1, max_value=6))
    kinds = ["samplers"] + [draw(st.sampled_from(["cell", "full_column"])) for _ in range(n)]
    upstream = [[]]
    for i in range(1, n + 1):
        deps = draw(st.sets(st.integers(min_value=0, max_value=i - 1), min_size=1, max_size=i))
        upstream.append(sorted(deps))
    size = draw(st.integers(min_value=1, max_value=8))
    drops = draw(st.lists(st.integers(min_value=0, max_value=size - 1), max_size=3))
    barrier = draw(st.booleans())
    order = draw(st.randoms(use_true_random=False))
    return kinds, upstream, size, drops, barrier, order


def _run(kinds, upstream, size, drops, barrier, rnd):
    topology = FrontierTopology.build(kinds, upstream, barrier=barrier)
    ready_cells: list[tuple[int, int]] = []
    ready_units: list[int] = []
    dispatched: list[tuple[int, int | None]] = []

    def on_unit(unit: int) -> None:
        if kinds[unit] == "samplers":  # from-scratch units complete synchronously, exactly as in the scheduler
            dispatched.append((unit, None))
            frontier.mark_unit_done(unit)
        else:
            ready_units.append(unit)

    frontier = RowGroupFrontier(topology, size, lambda u, r: ready_cells.append((u, r)), on_unit)
    frontier.start()
    pending_drops = list(drops)
    while ready_cells or ready_units:
        if ready_units:
            unit = ready_units.pop(0)
            dispatched.append((unit, None))
            frontier.mark_unit_done(unit)
            continue
        index = rnd.randrange(len(ready_cells))
        unit, row = ready_cells.pop(index)
        dispatched.append((unit, row))
        assert all(frontier.done[d][row] for d in topology.row_deps[unit]), "cell ran before its row's upstream"
        assert all(frontier.complete[d] for d in topology.unit_deps[unit]), "cell ran before a whole-unit dependency"
        if pending_drops and rnd.random() < 0.3:
            frontier.drop_row(pending_drops.pop())
        if frontier.alive[row]:
            frontier.mark_done(unit, row)
    return frontier, dispatched


@settings(max_examples=300, deadline=None)
@given(dags())
def test_every_live_cell_is_dispatched_exactly_once_and_the_group_completes(case):
    kinds, upstream, size, drops, barrier, rnd = case
    frontier, dispatched = _run(kinds, upstream, size, drops, barrier, rnd)
    assert frontier.is_complete
    assert len(dispatched) == len(set(dispatched)), "a cell or unit was dispatched twice"
    units_dispatched = [u for u, r in dispatched if r is None]
    assert len(units_dispatched) == len(set(units_dispatched))


def test_chained_cell_columns_overlap_per_row():
    # samplers -> a (cell) -> b (cell): row 0 of b is ready as soon as row 0 of a is done.
    topology = FrontierTopology.build(["samplers", "cell", "cell"], [[], [0], [1]], barrier=False)
    ready: list[tuple[int, int]] = []
    frontier = RowGroupFrontier(topology, 3, lambda u, r: ready.append((u, r)), lambda u: frontier.mark_unit_done(u))
    frontier.start()
    assert ready == [(1, 0), (1, 1), (1, 2)]
    frontier.mark_done(1, 0)
    assert ready[-1] == (2, 0)


def test_barrier_policy_waits_for_the_whole_previous_column():
    topology = FrontierTopology.build(["samplers", "cell", "cell"], [[], [0], [1]], barrier=True)
    ready: list[tuple[int, int]] = []
    frontier = RowGroupFrontier(topology, 2, lambda u, r: ready.append((u, r)), lambda u: frontier.mark_unit_done(u))
    frontier.start()
    frontier.mark_done(1, 0)
    assert (2, 0) not in ready
    frontier.mark_done(1, 1)
    assert {(2, 0), (2, 1)} <= set(ready)


def test_dropping_a_row_completes_it_for_every_unit():
    topology = FrontierTopology.build(["samplers", "cell"], [[], [0]], barrier=False)
    frontier = RowGroupFrontier(topology, 2, lambda u, r: None, lambda u: frontier.mark_unit_done(u))
    frontier.start()
    frontier.drop_row(0)
    frontier.mark_done(1, 1)
    assert frontier.is_complete
    assert frontier.alive_rows() == [1]
