"""Connecting to the backends the engine runs on; the choice is made at the edge.

- ``duckdb`` (default): in-memory, needs nothing beyond the package.
- ``postgres``: the database in ``DATABASE_URL`` (``postgres://`` or ``postgresql://``).
- ``pyspark``: ``SPARK_MASTER`` (or an already configured ``spark.master``), else ``local[2]``.
- ``polars``: in-process, lazy.

The settings named are read through ``driftsblik.conf`` (no Django there), like every setting.
"""

from __future__ import annotations

import re
import uuid
from typing import Any

import ibis
import ibis.expr.types as ir

from driftsblik import conf
from driftsblik.engine.errors import EngineInputError

BACKENDS = ("duckdb", "postgres", "pyspark", "polars")
DEFAULT_BACKEND = "duckdb"
DEFAULT_SPARK_MASTER = "local[2]"


def postgres_url(url: str | None = None) -> str:
    """The PostgreSQL URL to use: ``url``, else ``DATABASE_URL`` when it points at PostgreSQL."""
    url = url or str(conf.value("DATABASE_URL"))
    if not url.startswith(("postgres://", "postgresql://")):
        raise EngineInputError(
            f"--backend postgres needs DATABASE_URL=postgresql://user@host:port/database (got {url or 'nothing'!r})"
        )
    if url.startswith("postgres://"):
        url = "postgresql://" + url[len("postgres://") :]
    return url


def spark_session(master: str | None = None) -> Any:
    """The active SparkSession, or a new one on ``master``/``SPARK_MASTER``/``local[2]``."""
    from pyspark.conf import SparkConf
    from pyspark.sql import SparkSession

    active = SparkSession.getActiveSession()
    if active is not None and master is None:
        return active
    spark_conf = SparkConf()
    chosen = master or conf.value("SPARK_MASTER") or spark_conf.get("spark.master") or DEFAULT_SPARK_MASTER
    builder = (
        SparkSession.builder.master(chosen)
        .appName("driftsblik-engine")
        .config("spark.sql.session.timeZone", "UTC")
        .config("spark.ui.enabled", "false")
        .config("spark.ui.showConsoleProgress", "false")
        .config("spark.sql.execution.arrow.pyspark.enabled", "true")
        .config("spark.sql.shuffle.partitions", str(conf.value("SPARK_SHUFFLE_PARTITIONS")))
        .config("spark.driver.memory", str(conf.value("SPARK_DRIVER_MEMORY")))
    )
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    return session


def connect(backend: str = DEFAULT_BACKEND, **options: Any) -> Any:
    """An Ibis connection to ``backend`` (one of :data:`BACKENDS`)."""
    if backend == "duckdb":
        con = ibis.duckdb.connect(**options)
        # intermediate tables need no row order; without it DuckDB streams them with less memory
        con.raw_sql("SET preserve_insertion_order = false")
        limit = str(conf.value("DRIFTSBLIK_ENGINE_MEMORY_LIMIT")).strip()
        if limit:
            if not re.fullmatch(r"\d+(\.\d+)?\s*(B|KB|MB|GB|TB|KiB|MiB|GiB|TiB)", limit, re.IGNORECASE):
                raise EngineInputError(
                    f"DRIFTSBLIK_ENGINE_MEMORY_LIMIT must be a size such as 1GB or 800MB, got {limit!r}"
                )
            con.raw_sql(f"SET memory_limit = '{limit}'")
        return con
    if backend == "postgres":
        return ibis.connect(postgres_url(options.pop("url", None)), **options)
    if backend == "pyspark":
        return ibis.pyspark.connect(spark_session(options.pop("master", None)), **options)
    if backend == "polars":
        return ibis.polars.connect(**options)
    raise EngineInputError(f"unknown backend {backend!r}; choose one of {', '.join(BACKENDS)}")


def table_name() -> str:
    """A fresh name for an intermediate table."""
    return "tmp_" + uuid.uuid4().hex[:12]


def materialize(con: Any, backend: str, expr: ir.Table, name: str | None = None) -> ir.Table:
    """Compute ``expr`` once and keep the result (as table ``name``, else a fresh name), so that
    several indicators reuse it."""
    name = name or table_name()
    if backend in ("duckdb", "postgres"):
        return con.create_table(name, expr, temp=True)
    if backend == "pyspark":
        # ibis 12's pyspark cache() does not register the memtables the expression uses
        con._run_pre_execute_hooks(expr)
        return expr.cache()
    if backend == "polars":
        return con.create_table(name, con.to_polars(expr))
    return expr


def close(con: Any, backend: str) -> None:
    """Release a connection made by :func:`connect` (a Spark session is left running)."""
    if backend in ("duckdb", "postgres"):
        con.disconnect()
