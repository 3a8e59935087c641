from __future__ import annotations

from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def sees_the_root(request: HttpRequest) -> bool:
    """The comparison pages are for those who see the municipality (its root unit)."""
    from driftsblik.organisation.viewer import viewer_of

    viewer = viewer_of(request)
    return any(viewer.sees(root) for root in viewer.tree.roots)


class SourcesConfig(AppConfig):
    """Public sources (Statistikbanken, Jobindsats, OS2mo) and the comparison with similar municipalities."""

    name = "driftsblik.sources"
    label = "sources"
    verbose_name = _("Public sources")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from functools import partial

        from driftsblik.core import hooks
        from driftsblik.sources.connectors import CONNECTORS
        from driftsblik.sources.schedule import fetch_connector_sources, tick
        from driftsblik.sources.sections import indicator_comparison, report_comparison

        hooks.register(hooks.TickJob("sources", tick, order=50))
        status_reports = frozenset({"status"})
        hooks.register(hooks.ReportSection("comparison", report_comparison, kinds=status_reports, order=15))
        hooks.register(
            hooks.MenuEntry(
                "sources", _("Compare"), "sources:overview", current="sources", order=35, shown=sees_the_root
            )
        )
        hooks.register(hooks.DemoLoader("sources", hooks.Lazy("driftsblik.sources.demo.load_demo"), order=35))
        hooks.register(
            hooks.OverviewSection(
                "sources.compare",
                hooks.INDICATOR_ASIDE,
                "sources/_indicator_comparison.html",
                indicator_comparison,
                order=10,
            )
        )
        for order, (kind, connector) in enumerate(sorted(CONNECTORS.items())):
            load = partial(fetch_connector_sources, kind)
            hooks.register(hooks.DataSource(f"sources.{kind}", connector.label, load, order=order))
