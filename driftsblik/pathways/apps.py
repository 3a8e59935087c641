from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PathwaysConfig(AppConfig):
    """Citizen pathways: cohorts followed month by month over the registers, suppressed."""

    name = "driftsblik.pathways"
    label = "pathways"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks

        # the page's module imports the register engine (pandas, pyarrow, ibis): not at start-up
        shown = hooks.Lazy("driftsblik.pathways.views.may_open")
        hooks.register(
            hooks.MenuEntry(
                "pathways", _("Citizen pathways"), "pathways:cohort", current="pathways", order=50, shown=shown
            )
        )
        hooks.register(hooks.ExcelTable("pathways", "pathways:export"))
