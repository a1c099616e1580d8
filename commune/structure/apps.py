from django.apps import AppConfig


class StructureConfig(AppConfig):
    name = "commune.structure"
    label = "structure"
    verbose_name = "Structural changes"

    def ready(self) -> None:
        from commune.audit.state import power_rows_watch
        from commune.federation.services import structural_decision_check_register
        from commune.structure import models as m
        from commune.structure.services import structural_decision_standing

        # The federation changes its shape only on a decision this app vouches for.
        structural_decision_check_register(structural_decision_standing)
        power_rows_watch(
            m.StructuralChange,
            fields=[
                "organisation_id",
                "council_id",
                "motion_id",
                "kind",
                "proposal",
                "status",
                "referendum_id",
                "applied_at",
                "outcome",
            ],
            organisation="organisation_id",
        )
