from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "commune.mandates"
    label = "mandates"
    verbose_name = "Mandates, compliance and recall"

    def ready(self) -> None:
        from commune.federation.roll.safeguards import roll_conflict_check_register
        from commune.mandates.selectors import subject_of_open_recall

        roll_conflict_check_register(subject_of_open_recall)
