from django.apps import AppConfig


class EffortsConfig(AppConfig):
    name = "driftsblik.efforts"
    label = "efforts"
    default_auto_field = "django.db.models.BigAutoField"
