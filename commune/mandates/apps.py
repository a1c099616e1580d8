from django.apps import AppConfig


class MandatesConfig(AppConfig):
    name = "commune.mandates"
    label = "mandates"
    verbose_name = "Mandates and compliance"

    def ready(self) -> None:
        from commune.audit.state import power_rows_watch
        from commune.mandates.models import Mandate
        from commune.mandates.services import delegate_vote_cast, mandate_conclude
        from commune.motions.models import VotePurpose
        from commune.motions.services import council_vote_caster_register, vote_concluder_register

        # Motions never import mandates: a council's vote is cast, and a mandate's vote concluded, by the
        # services installed here.
        council_vote_caster_register(delegate_vote_cast)
        vote_concluder_register(VotePurpose.MANDATE, mandate_conclude)
        # The rows that confer power are held to the provenance log (commune.audit.state).
        power_rows_watch(
            Mandate,
            fields=[
                "organisation_id",
                "constituency_id",
                "council_id",
                "motion_id",
                "kind",
                "instruction",
                "vote_id",
                "status",
            ],
            organisation="organisation_id",
        )
