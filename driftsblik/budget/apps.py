from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class BudgetConfig(AppConfig):
    """Budget follow-up: the ledger, budget against spending and the forecast, unit costs."""

    name = "driftsblik.budget"
    label = "budget"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.budget.sections import report_budget
        from driftsblik.budget.services import rollup
        from driftsblik.core import hooks
        from driftsblik.organisation.tree import tree_changed

        tree_changed.connect(rollup.tree_changed, dispatch_uid="budget.rollup")

        hooks.register(hooks.ReportSection("budget", report_budget, order=20))
        hooks.register(hooks.DemoLoader("budget", hooks.Lazy("driftsblik.budget.demo.load_demo"), order=10))
        hooks.register(hooks.MenuEntry("budget", _("Budget"), "budget:overview", current="budget", order=40))
        hooks.register(hooks.ExcelTable("budget", "budget:export"))
