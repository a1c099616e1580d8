from django.apps import AppConfig


class LiveConfig(AppConfig):
    name = "commune.live"
    label = "live"
    verbose_name = "Live updates"
