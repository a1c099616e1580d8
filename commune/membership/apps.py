from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "commune.membership"
    label = "membership"
    verbose_name = "Joining"
