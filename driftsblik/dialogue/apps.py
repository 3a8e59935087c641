from django.apps import AppConfig


class DialogueConfig(AppConfig):
    name = "driftsblik.dialogue"
    label = "dialogue"
    default_auto_field = "django.db.models.BigAutoField"
