from django.apps import AppConfig


class RecallConfig(AppConfig):
    name = "commune.recall"
    label = "recall"
    verbose_name = "Recall"

    def ready(self) -> None:
        from commune.federation.roll.safeguards import roll_conflict_check_register
        from commune.recall.selectors import subject_of_open_recall

        roll_conflict_check_register(subject_of_open_recall)

        # Who may petition and vote to recall is fixed when a petition opens, and held to the log
        # (commune.audit.state): never who signed.
        from commune.audit.state import power_rows_watch
        from commune.recall import models as m

        power_rows_watch(
            m.RecallPetitionElector,
            fields=["petition_id", "member_id"],
            organisation="petition.organisation_id",
        )
