from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "commune.audit"
    label = "audit"
    verbose_name = "Provenance log"
