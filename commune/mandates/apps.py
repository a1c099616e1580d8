from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "commune.mandates"
    label = "mandates"
    verbose_name = "Mandates and compliance"
