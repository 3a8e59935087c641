"""Connectors to public sources; importing this package registers the built-in ones."""

from driftsblik.sources.connectors import statbank  # noqa: F401 - registers itself
from driftsblik.sources.connectors.registry import CONNECTORS, register

__all__ = ["CONNECTORS", "register"]
