from django.apps import AppConfig


class UiConfig(AppConfig):
    """The UI kit: templates, template tags and the Danish catalogue of the shared words; no models."""

    name = "driftsblik.ui"
    label = "ui"
