from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    """The shell: login, "Mit overblik", the base templates and the main menu."""

    name = "driftsblik.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks

        hooks.register(hooks.MenuEntry("overview", _("My overview"), "overview", current="overview", order=10))
