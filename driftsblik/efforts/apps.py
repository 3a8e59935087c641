from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EffortsConfig(AppConfig):
    """Cross-cutting efforts: shared goals, participants, methods, milestones."""

    name = "driftsblik.efforts"
    label = "efforts"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks
        from driftsblik.efforts import sections
        from driftsblik.efforts.reminders import remind_late_milestones
        from driftsblik.efforts.selectors import REMAINDER, effort_aggregates
        from driftsblik.indicators import suppression

        suppression.register_aggregates(effort_aggregates, hidden_first=[REMAINDER])

        hooks.register(hooks.TickJob("efforts", remind_late_milestones, order=30))
        status_reports = frozenset({"status"})
        hooks.register(hooks.ReportSection("efforts", sections.report_efforts, kinds=status_reports, order=10))
        hooks.register(hooks.DemoLoader("efforts", hooks.Lazy("driftsblik.efforts.demo.load_demo"), order=30))
        hooks.register(hooks.MenuEntry("efforts", _("Efforts"), "efforts:list", current="efforts", order=20))
        hooks.register(hooks.ExcelTable("efforts.participants", "efforts:export"))
        hooks.register(
            hooks.OverviewSection("efforts.mine", hooks.OVERVIEW_END, "efforts/_my_efforts.html", sections.my_efforts)
        )
