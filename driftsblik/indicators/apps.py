from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    """Indicator definitions, targets, observations, roll-up, status and forecast, and the pages that
    show them: a unit's figures, an indicator at a unit, and their Excel downloads."""

    name = "driftsblik.indicators"
    label = "indicators"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.utils.translation import gettext_lazy as _

        from driftsblik.core import hooks
        from driftsblik.indicators import rollup, suppression
        from driftsblik.indicators.suppression import warm
        from driftsblik.organisation.tree import tree_changed

        # in this order, in the organisation import's transaction: the roll-up, then the patterns of its figures
        tree_changed.connect(rollup.tree_changed, dispatch_uid="indicators.rollup")
        tree_changed.connect(suppression.tree_changed, dispatch_uid="indicators.suppression")

        hooks.register(hooks.MenuEntry("catalogue", _("Indicators"), "catalogue", current="catalogue", order=15))

        # the suppression patterns of the new data version, before a page asks for one cold
        hooks.register(hooks.TickJob("suppression", warm, order=5))

        for name, indicator in (
            ("scorecard", False),
            ("below", False),
            ("children", False),
            ("peers", False),
            ("breakdown", True),
            ("months", True),
        ):
            hooks.register(hooks.ExcelTable(name, "export", indicator=indicator))
