from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "commune.motions"
    label = "motions"
    verbose_name = "Motions and council sessions"

    def ready(self) -> None:
        # The rows that confer power are held to the provenance log (commune.audit.state).
        from commune.audit.state import power_rows_watch
        from commune.motions.models import VoteElector

        power_rows_watch(VoteElector, fields=["vote_id", "member_id"], organisation="vote.organisation_id")
