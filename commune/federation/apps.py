from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "commune.federation"
    label = "federation"
    verbose_name = "Federation"
