from django.apps import AppConfig


class AuditConfig(AppConfig):
    name = "commune.audit"
    label = "audit"
    verbose_name = "Provenance log"

    def ready(self) -> None:
        # The services write the entries that carry rows noted with no act of their own
        # (commune.audit.capture); they must be loaded before the first write.
        import commune.audit.services  # noqa: F401
