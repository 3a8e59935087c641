from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Committee reports: schedules, commentary rounds, building, issuing and the issued versions."""

    name = "driftsblik.reports"
    label = "reports"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks
        from driftsblik.reports import explanations, sections, selectors
        from driftsblik.reports.commentary import tick

        hooks.register(hooks.TickJob("reports", tick, order=20))
        hooks.register(hooks.FigureExplanation("reports.commentary", explanations.explain_figures, order=10))
        hooks.register(hooks.ReportSection("commentary", selectors.commentary_section, hooks.TASK_AREA, order=10))
        hooks.register(hooks.ReportSection("chosen", selectors.chosen_section, hooks.TASK_AREA, order=30))
        hooks.register(hooks.DemoLoader("reports", hooks.Lazy("driftsblik.reports.demo.load_demo"), order=40))
        hooks.register(hooks.MenuEntry("reports", _("Committee reports"), "reports:list", current="reports", order=30))
        hooks.register(
            hooks.OverviewSection(
                "reports.commentary_due",
                hooks.OVERVIEW_FOR_ME,
                "reports/_commentary_due.html",
                sections.commentary_due,
                order=20,
            )
        )
