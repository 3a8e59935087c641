from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DialogueConfig(AppConfig):
    """Challenges, answers, follow-up actions and their reminders."""

    name = "driftsblik.dialogue"
    label = "dialogue"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks
        from driftsblik.dialogue import explanations, sections
        from driftsblik.dialogue.reminders import remind_overdue

        hooks.register(hooks.TickJob("dialogue", remind_overdue, order=10))
        hooks.register(hooks.ReportSection("dialogue", sections.report_dialogue, hooks.TASK_AREA, order=20))
        hooks.register(hooks.DemoLoader("dialogue", hooks.Lazy("driftsblik.dialogue.demo.load_demo"), order=20))
        hooks.register(hooks.MenuEntry("dialogue", _("Dialogue"), "dialogue:inbox", current="dialogue", order=60))
        hooks.register(hooks.ExcelTable("dialogue.quality", "dialogue:quality"))
        hooks.register(hooks.FigureExplanation("dialogue.answers", explanations.explain_figures, order=20))
        for name, place, template, context in (
            ("dialogue.to_me", hooks.OVERVIEW_FOR_ME, "_to_me.html", sections.to_me),
            ("dialogue.unit", hooks.UNIT_END, "_unit_threads.html", sections.unit_threads),
            ("dialogue.indicator", hooks.INDICATOR_ASIDE, "_indicator_threads.html", sections.indicator_threads),
        ):
            section = hooks.OverviewSection(
                name, place, f"dialogue/{template}", context, stylesheet="dialogue/dialogue.css", order=10
            )
            hooks.register(section)
