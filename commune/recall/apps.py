from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "commune.recall"
    label = "recall"
    verbose_name = "Recall"

    def ready(self) -> None:
        from commune.federation.roll.safeguards import roll_conflict_check_register
        from commune.recall.selectors import subject_of_open_recall

        roll_conflict_check_register(subject_of_open_recall)
