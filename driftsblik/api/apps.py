from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ApiConfig(AppConfig):
    """The versioned REST API (/api/v1/) and the personal access tokens that open it."""

    name = "driftsblik.api"
    label = "api"
    default_auto_field = "django.db.models.BigAutoField"
    verbose_name = _("API")

    def ready(self) -> None:
        from driftsblik.core import hooks

        hooks.register(hooks.MenuEntry("api", _("API tokens"), "api-tokens:list", current="api-tokens", order=80))
