from django.apps import AppConfig


class ProvenanceConfig(AppConfig):
    name = "commune.provenance"
    label = "provenance"
    verbose_name = "Provenance of decisions"
