from django.apps import AppConfig


class SignonConfig(AppConfig):
    """Signing on and off: password login (with lockout), single sign-on with OpenID Connect, the
    demo's login, and every sign-in, sign-out and failure in the audit log."""

    name = "driftsblik.signon"
    label = "signon"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from driftsblik.signon import signals

        signals.connect()
