from django.apps import AppConfig


class BallotsConfig(AppConfig):
    name = "commune.ballots"
    label = "ballots"
    verbose_name = "Ballot box"
