from django.apps import AppConfig


class WebConfig(AppConfig):
    name = "driftsblik.web"
    label = "web"
    default_auto_field = "django.db.models.BigAutoField"
