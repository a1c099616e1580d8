from django.apps import AppConfig


class MotionsConfig(AppConfig):
    name = "commune.motions"
    label = "motions"
    verbose_name = "Motions and council sessions"

    def ready(self) -> None:
        # A vote's page updates live: who may follow it is who may open it.
        from commune.live.access import topic_kind_register
        from commune.motions.access import access_vote_follow
        from commune.motions.services.live import TOPIC

        topic_kind_register(TOPIC, access_vote_follow)
        # A person's data export carries their votes on the record (never a secret ballot's).
        from commune.accounts.personal_data import personal_data_section_register
        from commune.motions.personal_data import motions_personal_data

        personal_data_section_register("motions", motions_personal_data)
        # The rows that confer power are held to the provenance log (commune.audit.state).
        from commune.audit.state import power_rows_watch
        from commune.motions import models as m

        power_rows_watch(
            m.Motion,
            fields=[
                "organisation_id",
                "body_id",
                "title",
                "text",
                "status",
                "constitutional",
                "industrial_action",
                "adopted_by_id",
                "forwarded_from_id",
            ],
            organisation="organisation_id",
        )
        # A vote's outcome is written when it closes; a secret vote's running totals never are.
        power_rows_watch(
            m.Vote,
            fields=[
                "organisation_id",
                "body_id",
                "motion_id",
                "amendment_id",
                "referral_id",
                "purpose",
                "mode",
                "rule",
                "details",
                "closed_at",
                "electorate",
                "present",
                "yes",
                "no",
                "abstain",
                "carried",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(m.VoteElector, fields=["vote_id", "member_id"], organisation="vote.organisation_id")
        # Council votes are cast on the record: each seat's choice is public, and so is its entry.
        power_rows_watch(
            m.DelegateVote,
            fields=[
                "vote_id",
                "delegation_id",
                "cast_by_id",
                "as_alternate",
                "choice",
                "weight",
                "mandate_kind",
                "mandate_instruction",
                "departed",
            ],
            organisation="vote.organisation_id",
        )
        power_rows_watch(
            m.Referral,
            fields=["motion_id", "council_id", "kind", "decided_by_id", "rule", "closed_at", "carried"],
            organisation="council.organisation_id",
        )

        # A new version of the constitution is carried only by a referendum (the federation asks, never imports).
        from commune.federation.services import constitution_referendum_check_register
        from commune.motions.selectors import constitution_referendum_refusal

        constitution_referendum_check_register(constitution_referendum_refusal)
