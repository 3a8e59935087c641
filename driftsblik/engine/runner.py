"""Running the statements of one computation, in the background where the backend allows it.

A run of the engine is some forty statements: register copies, checks, intermediate tables and
the indicators' results. Building and compiling each Ibis expression is Python work (a few
milliseconds to tens of milliseconds each); executing it is the backend's. On DuckDB, which runs
in this process and releases the interpreter while it works, a :class:`Runner` executes the
statements on one worker thread, in the order they were submitted, while the caller builds and
compiles the next ones: the run takes about as long as the backend's share of it, instead of
the sum of both. On the other backends the statements run at once, as they are submitted.

The caller hands over expressions and gets back tables (:meth:`Runner.materialize`) and results
to wait for (:meth:`Runner.fetch`). While a worker is running, nothing but the worker touches the
connection; once a statement fails, the ones queued after it fail with its error (they may
depend on what it was to make).
"""

from __future__ import annotations

import gc
import itertools
import queue
import sys
import threading
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from contextlib import contextmanager
from typing import Any, TypeVar

import ibis.expr.operations as ops
import ibis.expr.types as ir
import sqlglot.expressions as sge

from driftsblik.engine import backends

T = TypeVar("T")

BACKGROUND_BACKENDS = ("duckdb",)
"""Where statements run on a worker thread (an in-process engine that releases the interpreter)."""

SWITCH_INTERVAL = 0.0005
"""Seconds the interpreter lets a thread run before another may take over, while a worker runs
(Python's default is 0.005). Between and around its statements the worker runs Python (DuckDB's
client is partly written in it); with the default it waits up to 5 ms each time behind the
thread building the next expressions, which adds up to a tenth of a second on a run of forty
statements. For the same reason the cyclic garbage collector is paused while a worker runs: a
full collection, set off by the many small objects of the expressions being built, holds the
interpreter for tens of milliseconds while the worker waits to go on (the run's garbage is
collected when it ends)."""

_workers = 0
_workers_lock = threading.Lock()
_saved: tuple[float, bool] = (0.0, True)


def _workers_started() -> None:
    """The first worker of the process sets the switch interval and pauses the collector."""
    global _workers, _saved
    with _workers_lock:
        if _workers == 0:
            _saved = (sys.getswitchinterval(), gc.isenabled())
            sys.setswitchinterval(min(_saved[0], SWITCH_INTERVAL))
            gc.disable()
        _workers += 1


def _workers_stopped() -> None:
    """The last worker of the process to stop gives both back as they were before the first."""
    global _workers
    with _workers_lock:
        _workers -= 1
        if _workers == 0:
            sys.setswitchinterval(_saved[0])
            if _saved[1]:
                gc.enable()


class Runner:
    """Executes one computation's statements on ``con`` (an Ibis connection to ``backend``).

    ``background`` (default: on DuckDB) runs them on a worker thread in submission order;
    otherwise each runs when it is submitted. Use as a context manager, or call :meth:`close`.
    """

    def __init__(self, con: Any, backend: str, *, background: bool | None = None) -> None:
        self.con = con
        self.backend = backend
        self.background = backend in BACKGROUND_BACKENDS if background is None else background
        self._worker: threading.Thread | None = None
        self._queue: queue.PriorityQueue[tuple[int, int, tuple[Future[Any], Callable[[], Any]] | None]] = (
            queue.PriorityQueue()
        )
        self._order = itertools.count()
        self._failed: BaseException | None = None
        self._stopped = False
        self._lock = threading.Lock()
        self._held = False

    def materialize(self, expr: ir.Table, name: str | None = None) -> ir.Table:
        """``expr`` computed once into a table (named ``name``, else a fresh name), returned at
        once as a table to build on; with a worker it is filled when the worker gets to it."""
        name = name or backends.table_name()
        if not self.background:
            return backends.materialize(self.con, self.backend, expr, name=name)
        schema = expr.schema()
        target = sge.table_(name, db="main", catalog="temp", quoted=True)
        create = sge.Create(
            kind="TABLE",
            this=sge.Schema(this=target, expressions=schema.to_sqlglot_column_defs(self.con.dialect)),
            properties=sge.Properties(expressions=[sge.TemporaryProperty()]),
        ).sql(self.con.dialect)
        insert = f"INSERT INTO {target.sql(self.con.dialect)} {self.con.compile(expr)}"

        def work(raw: Any) -> None:
            raw.execute(create)
            raw.execute(insert).fetchall()

        self._submit(expr, work)
        return ops.DatabaseTable(
            name, schema=schema, source=self.con, namespace=ops.Namespace(catalog="temp", database="main")
        ).to_expr()

    def fetch(self, expr: ir.Expr, *, ahead: bool = False) -> Future[Any]:
        """The result of ``expr``, as ``expr.to_pyarrow()`` gives it, to be waited for. ``ahead``
        runs it before the statements already queued: only for an expression that reads nothing
        they make (a register, say), whose result the caller needs before it can go on."""
        if not self.background:
            done: Future[Any] = Future()
            done.set_result(expr.to_pyarrow())
            return done
        from ibis.backends.duckdb.converter import DuckDBPyArrowData

        sql = self.con.compile(expr.as_table())

        def work(raw: Any) -> Any:
            return expr.__pyarrow_result__(raw.sql(sql).to_arrow_table(), data_mapper=DuckDBPyArrowData)

        return self._submit(expr, work, ahead=ahead)

    @contextmanager
    def held(self) -> Iterator[None]:
        """Statements submitted inside are queued but not started until the end, so that the
        most urgent of them (``ahead``) runs first."""
        self._held = True
        try:
            yield
        finally:
            self._held = False
        if not self._queue.empty():
            self._start()

    def _start(self) -> None:
        if self._worker is None and not self._held:
            _workers_started()
            self._worker = threading.Thread(target=self._work, name="driftsblik-engine", daemon=True)
            self._worker.start()

    def _submit(self, expr: ir.Expr, work: Callable[[Any], T], *, ahead: bool = False) -> Future[T]:
        def job() -> T:
            if self._stopped:
                raise RuntimeError("the run was stopped before this statement")
            if self._failed is not None:
                raise self._failed
            try:
                with self._lock:
                    # the in-memory tables the statement reads are registered by the worker, the
                    # only user of the connection while it runs
                    self.con._run_pre_execute_hooks(expr)
                    return work(self.con.con)
            except BaseException as exc:
                self._failed = exc
                raise

        future: Future[T] = Future()
        self._queue.put((0 if ahead else 1, next(self._order), (future, job)))
        self._start()
        return future

    def _work(self) -> None:
        while True:
            _, _, item = self._queue.get()
            if item is None:
                return
            future, job = item
            if not future.set_running_or_notify_cancel():
                continue
            try:
                future.set_result(job())
            except BaseException as exc:  # noqa: BLE001 - handed to whoever waits for the result
                future.set_exception(exc)

    def close(self, *, interrupt: bool = False) -> None:
        """Wait for the statement being run and drop the queued ones; ``interrupt`` stops the
        running statement too (the run failed or was stopped, and nobody waits for it)."""
        if self._worker is None:
            for future in self._drain():
                future.cancel()
            return
        worker, self._worker = self._worker, None
        self._stopped = True
        for future in self._drain():
            future.cancel()
        self._queue.put((2, next(self._order), None))
        if interrupt:
            # the statement may not have started yet when interrupted (an interruption is
            # forgotten when the next statement starts): ask again until the worker is done
            while worker.is_alive():
                self.con.con.interrupt()
                worker.join(0.01)
        worker.join()
        _workers_stopped()

    def _drain(self) -> Iterator[Future[Any]]:
        """Take the queued statements out of the queue."""
        while True:
            try:
                _, _, item = self._queue.get_nowait()
            except queue.Empty:
                return
            if item is not None:
                yield item[0]

    def stop(self) -> None:
        """Drop the queued statements and stop the running one; what is submitted after runs at
        once. For when the outcome of the run is known (bad registers) and only a few small
        queries (examples of the problems) remain."""
        self.close(interrupt=True)
        self.background = False
        self._failed = None
        self._stopped = False

    def __enter__(self) -> Runner:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: Any) -> None:
        self.close(interrupt=kind is not None)
