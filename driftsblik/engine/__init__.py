"""Driftsblik's register engine: monthly indicators from pseudonymised person-level registers.

The engine knows nothing of Django. Indicator definitions are pure Ibis expressions
(``driftsblik.engine.indicators``); the backend (DuckDB by default, PostgreSQL, PySpark, polars)
is chosen at the edge (``driftsblik.engine.backends``). The public entry point is
:func:`compute`, which returns the engine output contract of DESIGN.md as a pyarrow table.
"""

from driftsblik.engine.compute import OUTPUT_SCHEMA, compute, write_output
from driftsblik.engine.contract import UNASSIGNED
from driftsblik.engine.indicators import INDICATORS, IndicatorSpec, register_indicator
from driftsblik.engine.validate import Problem, RegisterValidationError, validate_registers

__all__ = [
    "INDICATORS",
    "OUTPUT_SCHEMA",
    "UNASSIGNED",
    "IndicatorSpec",
    "Problem",
    "RegisterValidationError",
    "compute",
    "register_indicator",
    "validate_registers",
    "write_output",
]
