"""Property-style crash test: SIGKILL a generating process at random moments, resume, and check nothing is lost.

The child (``generation_child.py``, copied into ``tmp_path``) runs 60 records = 6 row groups of 10 (uuid, category
and uniform samplers plus two chained llm-text columns, 120 LLM cells) against a simulator in its own process, so
the simulator's request counter survives every kill. Kill points: during start-up, right after ``metadata.json``
is written (before the first checkpoint, or at the start of a resume), mid row group (as soon as the cell journal
grows), right after a new ``batch_*.parquet`` appears (between the parquet commit and the metadata/journal
updates), and at random delays. Episodes repeat until >= 20 kills; each is then run to completion and checked
against one uninterrupted run with the same seed.

Set ``RESUME_KILL_SEED`` to replay a schedule of kill strategies (timing still depends on the OS).
"""

from __future__ import annotations

import hashlib
import os
import random
import shutil
import signal
import subprocess
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

import orjson
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from data_designer.testing import start_simulator_process

CHILD_SOURCE = Path(__file__).with_name("generation_child.py")
NUM_RECORDS = 60
BUFFER_SIZE = 10  # must match generation_child.BUFFER_SIZE
MAX_PARALLEL_REQUESTS = 4  # must match generation_child.MAX_PARALLEL_REQUESTS
CELLS_NEEDED = 2 * NUM_RECORDS
MIN_KILLS = 20
MAX_KILLS_PER_EPISODE = 11
JOURNAL_MAX_PENDING = 512
ATTEMPT_DEADLINE_S = 30.0
STRATEGIES = ("startup", "after_metadata", "mid_row_group", "after_batch", "random_delay")

Cell = tuple[str, str]  # (column letter "Q"/"A", row_id)


@dataclass
class Episode:
    dataset_dir: Path
    first_hashes: dict[str, str] = field(default_factory=dict)
    durable_before: dict[int, set[Cell]] = field(default_factory=dict)
    journaled_only: int = 0
    kills: dict[str, int] = field(default_factory=dict)


@pytest.fixture(scope="module")
def sim_process():
    sim = start_simulator_process(latency_ms=12, jitter_ms=7)
    try:
        yield sim
    finally:
        sim.stop()


def _sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _batch_files(dataset_dir: Path) -> list[Path]:
    directory = dataset_dir / "parquet-files"
    return sorted(directory.glob("batch_*.parquet")) if directory.is_dir() else []


def _record_new_batches(episode: Episode) -> None:
    for path in _batch_files(episode.dataset_dir):
        if path.name not in episode.first_hashes:
            episode.first_hashes[path.name] = _sha256(path)


def _journal_bytes(dataset_dir: Path) -> int:
    directory = dataset_dir / "journal"
    return sum(p.stat().st_size for p in directory.glob("*.jsonl")) if directory.is_dir() else 0


def _metadata_mtime(dataset_dir: Path) -> int:
    path = dataset_dir / "metadata.json"
    return path.stat().st_mtime_ns if path.exists() else 0


def _read_dataset(dataset_dir: Path) -> list[dict]:
    tables = [pq.read_table(p) for p in _batch_files(dataset_dir)]
    return pa.concat_tables(tables).to_pylist() if tables else []


def _journaled_cells(dataset_dir: Path, reference_ids: list[str]) -> set[Cell]:
    """Every cell durably in the journal; a torn line is skipped, not treated as the end of the file."""
    cells: set[Cell] = set()
    directory = dataset_dir / "journal"
    if not directory.is_dir():
        return cells
    for path in directory.glob("row_group_*.jsonl"):
        group = int(path.stem.rsplit("_", 1)[1])
        for line in path.read_bytes().splitlines():
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError:
                continue
            row_id = reference_ids[group * BUFFER_SIZE + int(item["r"])]
            values = item["v"]
            if "q" in values:
                cells.add(("Q", row_id))
            if "a" in values:
                cells.add(("A", row_id))
    return cells


def _durable_cells(dataset_dir: Path, reference_ids: list[str]) -> tuple[set[Cell], int]:
    """Cells in the parquet files plus journaled cells; also how many were only in the journal."""
    in_parquet = {(column, row["row_id"]) for row in _read_dataset(dataset_dir) for column in ("Q", "A")}
    journaled = _journaled_cells(dataset_dir, reference_ids)
    return in_parquet | journaled, len(journaled - in_parquet)


def _read_request_log(path: Path) -> dict[int, list[tuple[str, str]]]:
    by_attempt: dict[int, list[tuple[str, str]]] = {}
    if path.exists():
        for line in path.read_text().splitlines():
            attempt, kind, row_id = line.split("\t")
            by_attempt.setdefault(int(attempt), []).append((kind, row_id))
    return by_attempt


class ChildRunner:
    def __init__(self, tmp_path: Path, sim_url: str) -> None:
        self.script = tmp_path / "generation_child.py"
        shutil.copyfile(CHILD_SOURCE, self.script)
        self.artifacts = tmp_path / "artifacts"
        self.sim_url = sim_url
        self.request_log = tmp_path / "requests.log"
        self.next_attempt = 0

    def start(self, dataset: str, mode: str) -> tuple[int, subprocess.Popen]:
        attempt = self.next_attempt
        self.next_attempt += 1
        cmd = [
            sys.executable,
            str(self.script),
            self.sim_url,
            str(self.artifacts),
            dataset,
            mode,
            str(NUM_RECORDS),
            str(attempt),
            str(self.request_log),
        ]
        return attempt, subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, stdin=subprocess.DEVNULL)

    def run_to_completion(self, dataset: str, mode: str) -> int:
        attempt, proc = self.start(dataset, mode)
        out, err = proc.communicate(timeout=ATTEMPT_DEADLINE_S)
        assert proc.returncode == 0, f"attempt {attempt} ({mode}) failed:\n{err.decode()[-3000:]}"
        return attempt


def _kill_when(proc: subprocess.Popen, episode: Episode, condition, delay_s: float) -> bool:
    """Poll until ``condition()`` (hashing batch files as they appear), wait ``delay_s``, SIGKILL. False if the
    child finished first."""
    deadline = time.monotonic() + ATTEMPT_DEADLINE_S
    while not condition():
        _record_new_batches(episode)
        if proc.poll() is not None:
            return False
        assert time.monotonic() < deadline, "child neither reached the kill point nor finished"
        time.sleep(0.001)
    if delay_s:
        time.sleep(delay_s)
    if proc.poll() is not None:
        return False
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    _record_new_batches(episode)
    return True


def _attempt_with_kill(runner: ChildRunner, episode: Episode, strategy: str, rng: random.Random) -> tuple[int, bool]:
    dataset_dir = episode.dataset_dir
    mode = "always" if dataset_dir.is_dir() and any(dataset_dir.iterdir()) else "never"
    batches0, journal0, meta0 = (
        len(_batch_files(dataset_dir)),
        _journal_bytes(dataset_dir),
        _metadata_mtime(dataset_dir),
    )
    startup_s, random_s = rng.uniform(0.05, 0.7), rng.uniform(0.5, 1.4)
    started = time.monotonic()
    attempt, proc = runner.start(dataset_dir.name, mode)
    conditions = {
        "startup": (lambda: time.monotonic() - started >= startup_s, 0.0),
        "after_metadata": (lambda: _metadata_mtime(dataset_dir) > meta0, rng.uniform(0.0, 0.03)),
        "mid_row_group": (lambda: _journal_bytes(dataset_dir) > journal0, rng.uniform(0.0, 0.06)),
        "after_batch": (lambda: len(_batch_files(dataset_dir)) > batches0, 0.0),
        "random_delay": (lambda: time.monotonic() - started >= random_s, 0.0),
    }
    condition, delay = conditions[strategy]
    killed = _kill_when(proc, episode, condition, delay)
    if not killed:
        _, err = proc.communicate()
        assert proc.returncode == 0, f"attempt {attempt} ({mode}, {strategy}) failed:\n{err.decode()[-3000:]}"
    else:
        proc.stdout.close()
        proc.stderr.close()
    return attempt, killed


def _check_episode(episode: Episode, reference: list[dict], requests: dict[int, list[tuple[str, str]]]) -> None:
    rows = _read_dataset(episode.dataset_dir)
    assert len(rows) == NUM_RECORDS
    assert len({row["row_id"] for row in rows}) == NUM_RECORDS, "duplicate row ids"
    assert [p.name for p in _batch_files(episode.dataset_dir)] == [f"batch_{i:05d}.parquet" for i in range(6)]
    for name, digest in episode.first_hashes.items():
        assert _sha256(episode.dataset_dir / "parquet-files" / name) == digest, f"{name} changed after it appeared"
    samplers = ("row_id", "topic", "level")
    assert [{k: r[k] for k in samplers} for r in rows] == [{k: r[k] for k in samplers} for r in reference]
    assert rows == reference, "a resumed row differs from the row an uninterrupted run produces"
    # No cell that was durable (parquet or journal) before an attempt is requested again by that attempt or later.
    durable_so_far: set[Cell] = set()
    for attempt in sorted(episode.durable_before):
        durable_so_far |= episode.durable_before[attempt]
        asked = {(kind, row_id) for kind, row_id in requests.get(attempt, []) if kind != "probe"}
        reissued = sorted(asked & durable_so_far)
        assert not reissued, f"attempt {attempt} re-requested {len(reissued)} durable cells, e.g. {reissued[:3]}"


def test_sigkill_at_random_moments_then_resume_loses_nothing(tmp_path, sim_process):
    seed = int(os.environ.get("RESUME_KILL_SEED", "5"))
    rng = random.Random(seed)
    runner = ChildRunner(tmp_path, sim_process.base_url)

    runner.run_to_completion("reference", "never")
    reference = _read_dataset(runner.artifacts / "reference")
    reference_ids = [row["row_id"] for row in reference]
    assert len(set(reference_ids)) == NUM_RECORDS
    sim_process.reset_stats()
    episodes_start_attempt = runner.next_attempt

    episodes: list[Episode] = []
    total_kills = 0
    while total_kills < MIN_KILLS:
        assert len(episodes) < 6, "too many episodes: the children finish before they can be killed"
        episode = Episode(runner.artifacts / f"episode{len(episodes)}")
        episodes.append(episode)
        for index in range(MAX_KILLS_PER_EPISODE):
            strategy = ("startup", "after_metadata")[len(episodes) % 2] if index == 0 else rng.choice(STRATEGIES)
            durable, journaled_only = _durable_cells(episode.dataset_dir, reference_ids)
            episode.journaled_only += journaled_only
            attempt, killed = _attempt_with_kill(runner, episode, strategy, rng)
            episode.durable_before[attempt] = durable
            if not killed:
                break
            episode.kills[strategy] = episode.kills.get(strategy, 0) + 1
            total_kills += 1
        durable, journaled_only = _durable_cells(episode.dataset_dir, reference_ids)
        episode.journaled_only += journaled_only
        attempt = runner.run_to_completion(episode.dataset_dir.name, "always")
        episode.durable_before[attempt] = durable
        _record_new_batches(episode)

    requests = _read_request_log(runner.request_log)
    for episode in episodes:
        _check_episode(episode, reference, requests)

    logged = [r for a, rs in requests.items() if a >= episodes_start_attempt for r in rs]
    probes = sum(1 for kind, _ in logged if kind == "probe")
    cell_requests = len(logged) - probes
    served = sim_process.stats()["requests"]
    assert served <= len(logged), "the simulator served a request the child did not log"
    assert served >= len(episodes) * CELLS_NEEDED
    bound = len(episodes) * CELLS_NEEDED + total_kills * (2 * MAX_PARALLEL_REQUESTS + JOURNAL_MAX_PENDING)
    assert cell_requests <= bound
    assert sum(e.journaled_only for e in episodes) > 0, "no resume ever replayed a journaled cell"
    kills_by_strategy: dict[str, int] = {}
    for episode in episodes:
        for strategy, count in episode.kills.items():
            kills_by_strategy[strategy] = kills_by_strategy.get(strategy, 0) + count
    print(
        f"\nkill seed={seed} episodes={len(episodes)} kills={total_kills} by strategy={kills_by_strategy} "
        f"cell requests={cell_requests} for {len(episodes) * CELLS_NEEDED} cells "
        f"(reissued after kills: {cell_requests - len(episodes) * CELLS_NEEDED}), "
        f"journal-only cells replayed={sum(e.journaled_only for e in episodes)}"
    )
