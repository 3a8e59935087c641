"""Driftsblik: results follow-up for Danish municipalities."""

__version__ = "0.1.0"
