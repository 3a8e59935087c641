"""Services that change indicator data: definitions, targets and observations (see each module)."""

from driftsblik.indicators.services.common import ImportSummary
from driftsblik.indicators.services.definitions import indicators_define
from driftsblik.indicators.services.observations import (
    CellChange,
    ensure_unassigned_unit,
    observations_import,
    observations_load,
    observations_replace_engine_output,
)
from driftsblik.indicators.services.targets import targets_import

__all__ = [
    "CellChange",
    "ImportSummary",
    "ensure_unassigned_unit",
    "indicators_define",
    "observations_import",
    "observations_load",
    "observations_replace_engine_output",
    "targets_import",
]
