"""The runner: statements on a worker thread (DuckDB) in submission order, failures and stops."""

from __future__ import annotations

import gc
import sys
import threading
import time
from concurrent.futures import CancelledError
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pytest

from driftsblik.engine import backends, compute, runner
from driftsblik.engine.generate import generate
from driftsblik.engine.indicators import INDICATORS, IndicatorSpec
from driftsblik.engine.runner import Runner


@pytest.fixture
def con() -> ibis.BaseBackend:
    con = backends.connect("duckdb")
    yield con
    con.disconnect()


def _numbers(con: ibis.BaseBackend, n: int = 50) -> ibis.Table:
    return con.create_table("numbers", pa.table({"x": list(range(n)), "g": [i % 3 for i in range(n)]}), temp=True)


def _busy_worker(r: Runner) -> threading.Event:
    """Keep ``r``'s worker on a job until the returned event is set."""
    gate = threading.Event()
    started = threading.Event()

    def hold(_raw: object) -> None:
        started.set()
        gate.wait()

    r._submit(ibis.literal(1), hold)
    assert started.wait(10)
    return gate


def test_tables_and_results_come_out_as_when_run_at_once(con: ibis.BaseBackend) -> None:
    t = _numbers(con)
    expr = t.group_by("g").agg(n=t.count(), s=t.x.sum()).order_by("g")
    with Runner(con, "duckdb") as r:
        assert r.background
        kept = r.materialize(t.filter(t.x % 2 == 0))
        counted = r.fetch(kept.count())
        grouped = r.fetch(expr)
        total = r.fetch(kept.x.sum()).result().as_py()
        assert counted.result().as_py() == 25
        assert grouped.result().equals(expr.to_pyarrow())
        assert total == sum(range(0, 50, 2))
    # the table the worker made is an ordinary table of the connection
    assert kept.count().to_pyarrow().as_py() == 25


def test_the_other_backends_run_each_statement_when_it_is_submitted(con: ibis.BaseBackend) -> None:
    t = _numbers(con)
    r = Runner(con, "duckdb", background=False)
    kept = r.materialize(t.filter(t.x < 10))
    assert kept.count().to_pyarrow().as_py() == 10  # already there, nothing to wait for
    assert r.fetch(kept.x.max()).done()
    assert r._worker is None


def test_a_statement_sent_ahead_runs_before_the_queued_ones(con: ibis.BaseBackend) -> None:
    t = _numbers(con)
    order: list[str] = []
    with Runner(con, "duckdb") as r:
        gate = _busy_worker(r)
        queued = r.fetch(t.count())
        queued.add_done_callback(lambda _: order.append("queued"))
        ahead = r.fetch(t.x.max(), ahead=True)
        ahead.add_done_callback(lambda _: order.append("ahead"))
        gate.set()
        assert (queued.result().as_py(), ahead.result().as_py()) == (50, 49)
    assert order == ["ahead", "queued"]


def test_after_a_failed_statement_the_queued_ones_give_its_error(con: ibis.BaseBackend) -> None:
    t = _numbers(con)
    missing = ibis.table({"x": "int64"}, name="no_such_table")
    with Runner(con, "duckdb") as r:
        gate = _busy_worker(r)
        broken = r.materialize(missing.filter(missing.x > 0))
        after = r.fetch(broken.count())
        unrelated = r.fetch(t.count())
        gate.set()
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            after.result()
        # the root cause, not "table tmp_... does not exist"
        with pytest.raises(duckdb.CatalogException, match="no_such_table"):
            unrelated.result()


def test_closing_a_failed_run_drops_the_queue_and_stops_the_running_statement(con: ibis.BaseBackend) -> None:
    big = con.create_table("big", pa.table({"x": list(range(200_000))}), temp=True)
    pairs = big.cross_join(big.select(y="x"))
    slow = pairs.aggregate(s=(pairs.x * pairs.y).sum())  # 4e10 rows: minutes, unless stopped
    r = Runner(con, "duckdb")
    running = r.fetch(slow)
    queued = r.fetch(_numbers_expr())
    while not r._lock.locked():  # the slow statement has started
        time.sleep(0.001)
    r.close(interrupt=True)
    with pytest.raises(duckdb.InterruptException):
        running.result()
    with pytest.raises(CancelledError):
        queued.result()
    # the connection is usable afterwards: nothing of the interruption is left over
    assert big.count().to_pyarrow().as_py() == 200_000


def _numbers_expr() -> ibis.Table:
    return ibis.memtable({"x": [1, 2, 3]})


def test_after_a_stop_the_statements_run_at_once(con: ibis.BaseBackend) -> None:
    t = _numbers(con)
    r = Runner(con, "duckdb")
    gate = _busy_worker(r)
    queued = r.fetch(t.count())
    threading.Timer(0.05, gate.set).start()
    r.stop()
    assert queued.cancelled()
    assert not r.background
    done = r.fetch(t.count())
    assert done.done() and done.result().as_py() == 50


def test_the_switch_interval_and_the_garbage_collector_are_given_back(con: ibis.BaseBackend) -> None:
    before = sys.getswitchinterval()
    assert gc.isenabled()
    numbers = _numbers(con)
    with Runner(con, "duckdb") as r:
        r.fetch(numbers.count()).result()
        assert sys.getswitchinterval() == min(before, runner.SWITCH_INTERVAL)
        assert not gc.isenabled()
    assert sys.getswitchinterval() == before
    assert gc.isenabled()
    # two runs at once, ending in either order: the settings come back when the last one ends
    for first_to_end in (0, 1):
        runs = [Runner(con, "duckdb"), Runner(backends.connect("duckdb"), "duckdb")]
        for r in runs:
            r.fetch(ibis.memtable({"x": [1]}).count()).result()
        runs[first_to_end].close()
        assert not gc.isenabled() and sys.getswitchinterval() == min(before, runner.SWITCH_INTERVAL)
        runs[1 - first_to_end].close()
        assert gc.isenabled() and sys.getswitchinterval() == before
        runs[1].con.disconnect()
    # a caller that had paused the collector finds it paused still
    gc.disable()
    try:
        with Runner(con, "duckdb") as r:
            r.fetch(numbers.count()).result()
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_a_run_on_the_worker_equals_a_run_statement_by_statement(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from driftsblik.engine import contract

    folder = tmp_path / "registers"
    generate(folder, persons=3000, start="2024-01", end="2025-06", seed=5)
    monkeypatch.setattr(contract, "NATIVE_LOAD_MIN_BYTES", 0)  # the copies go through the runner too
    codes = sorted(INDICATORS)
    expected = [(1, 7, "registers checked"), *((i, 7, code) for i, code in enumerate(codes, start=2))]
    reported: list[tuple[int, int, str]] = []
    built_after: list[int] = []  # how many steps had been reported when each indicator was built
    build = IndicatorSpec.__call__

    def counted_build(spec: IndicatorSpec, ctx: object, **params: object) -> object:
        built_after.append(len(reported))
        return build(spec, ctx, **params)  # type: ignore[arg-type]

    monkeypatch.setattr(IndicatorSpec, "__call__", counted_build)

    def run() -> tuple[pa.Table, dict[str, float]]:
        steps: dict[str, float] = {}
        reported.clear()
        built_after.clear()
        out = compute(folder, "2024-01", "2025-06", codes, timings=steps, progress=lambda *step: reported.append(step))
        assert reported == expected
        assert list(steps) == ["open_validate", *codes] and sorted(steps.values()) == list(steps.values())
        return out, steps

    on_worker, _ = run()
    assert built_after == [0] * 6  # every indicator handed over before the first result
    monkeypatch.setattr(runner, "BACKGROUND_BACKENDS", ())
    at_once, _ = run()
    assert built_after == [1, 2, 3, 4, 5, 6]  # checked first, then each reported when done
    assert on_worker.num_rows > 0
    assert on_worker.equals(at_once)
