from __future__ import annotations

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


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
        from driftsblik.sources.sections import indicator_comparison

        hooks.register(hooks.TickJob("sources", tick, order=50))
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
