from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "commune.motions"
    label = "motions"
    verbose_name = "Motions and council sessions"
