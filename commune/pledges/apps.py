from django.apps import AppConfig


class PledgesConfig(AppConfig):
    name = "commune.pledges"
    label = "pledges"
    verbose_name = "Pledges"
