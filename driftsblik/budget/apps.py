from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def roll_up_ledger(**kwargs: object) -> None:
    """The ledger roll-up follows the tree (`budget.services.rollup.tree_changed`), imported when
    the tree changes: the ledger services read files with pyarrow, which no command start needs."""
    from driftsblik.budget.services import rollup

    rollup.tree_changed(**kwargs)


class BudgetConfig(AppConfig):
    """Budget follow-up: the ledger, budget against spending and the forecast, unit costs."""

    name = "driftsblik.budget"
    label = "budget"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.budget.sections import report_budget
        from driftsblik.core import hooks
        from driftsblik.organisation.tree import tree_changed

        tree_changed.connect(roll_up_ledger, dispatch_uid="budget.rollup")

        hooks.register(hooks.ReportSection("budget", report_budget, order=20))
        hooks.register(hooks.DemoLoader("budget", hooks.Lazy("driftsblik.budget.demo.load_demo"), order=10))
        hooks.register(hooks.MenuEntry("budget", _("Budget"), "budget:overview", current="budget", order=40))
        hooks.register(hooks.ExcelTable("budget", "budget:export"))
