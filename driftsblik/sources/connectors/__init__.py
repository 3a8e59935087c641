"""Connectors to public sources; importing this package registers the built-in ones."""

from driftsblik.sources.connectors import jobindsats, os2mo, statbank  # noqa: F401 - they register themselves
from driftsblik.sources.connectors.registry import CONNECTORS, register

__all__ = ["CONNECTORS", "register"]
