from django.apps import AppConfig


class HealthConfig(AppConfig):
    name = "commune.health"
    label = "health"
    verbose_name = "Democracy health"
