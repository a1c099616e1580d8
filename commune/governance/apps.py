from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "commune.governance"
    label = "governance"
    verbose_name = "Executives, constitution, offices and tendencies"
