"""The connectors Driftsblik knows, by the name a mapping file's `source:` uses.

The built-in connectors register themselves here the way a third-party one would:

    from driftsblik.sources.connectors.registry import register

    @register
    class MySource(Connector):
        kind = "mysource"
        ...
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from driftsblik.sources.connectors.base import Connector

CONNECTORS: dict[str, type[Connector]] = {}


def register(connector: type[Connector]) -> type[Connector]:
    """Make a connector available to mapping files as `source: <its kind>`."""
    CONNECTORS[connector.kind] = connector
    return connector
