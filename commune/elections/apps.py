from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "commune.elections"
    label = "elections"
    verbose_name = "Elections"

    def ready(self) -> None:
        from commune.elections.selectors import candidate_in_open_election
        from commune.federation.roll.safeguards import roll_conflict_check_register

        roll_conflict_check_register(candidate_in_open_election)
