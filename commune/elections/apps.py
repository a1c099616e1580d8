from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "commune.elections"
    label = "elections"
    verbose_name = "Elections"
