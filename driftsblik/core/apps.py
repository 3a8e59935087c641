from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "driftsblik.core"
    label = "core"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from driftsblik.core.appendonly import register_sqlite_function

        connection_created.connect(register_sqlite_function, dispatch_uid="driftsblik-append-only")
