from django.apps import AppConfig
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _


def unread_badge(request: HttpRequest) -> int:
    """The count beside "Messages" in the menu."""
    from driftsblik.notifications.selectors import unread_count

    return unread_count(request.user)


class NotificationsConfig(AppConfig):
    """Messages to a person (in the app and by e-mail), and the scheduled `driftsblik tick`."""

    name = "driftsblik.notifications"
    label = "notifications"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.core import hooks

        hooks.register(
            hooks.MenuEntry(
                "notifications",
                _("Messages"),
                "notifications:list",
                current="notifications",
                order=70,
                badge=unread_badge,
                badge_label=_("unread"),
            )
        )
