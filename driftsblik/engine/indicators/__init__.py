"""The indicator registry: one dict, filled by the built-in packs and by third-party packs alike.

An indicator pack is a module that decorates its builders with :func:`register_indicator`.
The built-in packs (cash benefit, youth, elderly) are imported below; a third party ships a
module and either imports it before calling :func:`driftsblik.engine.compute` or declares it in
the entry-point group ``driftsblik.indicator_packs`` (loaded by :func:`load_packs`).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable
from dataclasses import dataclass
from importlib.metadata import entry_points
from typing import Any

import ibis.expr.types as ir

from driftsblik.engine.indicators.base import Context, HoursReader

MEASURES = ("count", "share", "rate_per_1000")
ENTRY_POINT_GROUP = "driftsblik.indicator_packs"

Builder = Callable[..., ir.Table]
HoursDeclaration = Callable[..., tuple[str, HoursReader]]
"""``hours(ctx, **thresholds) -> (family, HoursReader)``: whose employment hours an indicator
reads, so that a run reads the hours once for every indicator that needs them."""
WeeksDeclaration = Callable[..., tuple[int, int]]
"""``weeks(ctx, **thresholds) -> (first, last)``: the week numbers of cash-benefit weeks an
indicator reads, so that a run reads the benefit weeks once (:mod:`driftsblik.engine.weeks`)."""


@dataclass(frozen=True)
class IndicatorSpec:
    """A registered indicator: its code, how its value is formed, and its expression builder."""

    code: str
    measure: str
    build: Builder
    hours: HoursDeclaration | None = None
    weeks: WeeksDeclaration | None = None

    @property
    def parameters(self) -> dict[str, Any]:
        """The builder's thresholds with their defaults."""
        sig = inspect.signature(self.build)
        return {name: p.default for name, p in sig.parameters.items() if p.kind is inspect.Parameter.KEYWORD_ONLY}

    @property
    def rule(self) -> str:
        """The rule, as stated in the builder's docstring."""
        return inspect.getdoc(self.build) or ""

    def __call__(self, ctx: Context, **params: Any) -> ir.Table:
        return self.build(ctx, **params)


INDICATORS: dict[str, IndicatorSpec] = {}


def register_indicator(
    code: str, measure: str, *, hours: HoursDeclaration | None = None, weeks: WeeksDeclaration | None = None
) -> Callable[[Builder], Builder]:
    """Register ``build`` as the expression builder of indicator ``code`` (``hours``: whose
    employment hours it reads, when it reads them through
    :func:`~driftsblik.engine.indicators.base.hours_masks`; ``weeks``: which cash-benefit weeks
    it reads, when it reads them from ``ctx.week_sets``)."""
    if measure not in MEASURES:
        raise ValueError(f"measure must be one of {MEASURES}, got {measure!r}")

    def decorate(build: Builder) -> Builder:
        if not inspect.getdoc(build):
            raise ValueError(f"indicator {code}: the builder needs a docstring stating its rule")
        INDICATORS[code] = IndicatorSpec(code, measure, build, hours, weeks)
        return build

    return decorate


def load_packs() -> None:
    """Import the third-party indicator packs declared as entry points."""
    for ep in entry_points(group=ENTRY_POINT_GROUP):
        ep.load()


from driftsblik.engine.indicators import cash_benefit, elderly, youth  # noqa: E402  (registers the built-ins)

__all__ = [
    "INDICATORS",
    "MEASURES",
    "Context",
    "HoursReader",
    "IndicatorSpec",
    "cash_benefit",
    "elderly",
    "load_packs",
    "register_indicator",
    "youth",
]
