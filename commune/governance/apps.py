from django.apps import AppConfig


class GovernanceConfig(AppConfig):
    name = "commune.governance"
    label = "governance"
    verbose_name = "Executives, constitution, offices and tendencies"

    def ready(self) -> None:
        # The rows that confer power are held to the provenance log (commune.audit.state).
        from commune.audit.state import power_rows_watch
        from commune.governance import models as m
        from commune.governance.services import pay_interest_applies_sql, pay_interest_bar
        from commune.motions.services import vote_bar_register

        # Nobody votes on a figure that bounds their own pay, however the vote is cast.
        vote_bar_register(pay_interest_bar, applies_sql=pay_interest_applies_sql)

        power_rows_watch(
            m.Executive,
            fields=[
                "organisation_id",
                "council_id",
                "kind",
                "code",
                "powers",
                "proposed_members",
                "status",
                "motion_id",
                "established_at",
                "dissolution_motion_id",
                "dissolved_at",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.ExecutiveSeat,
            fields=["executive_id", "member_id", "started_at", "ended_at", "end_reason"],
            organisation="executive.organisation_id",
        )
        power_rows_watch(
            m.ExecutiveDecision,
            fields=[
                "executive_id",
                "power",
                "title",
                "text",
                "decided_by_id",
                "status",
                "reversed_by_id",
                "retake_motion_id",
            ],
            organisation="executive.organisation_id",
        )
        power_rows_watch(
            m.CallIn,
            fields=["decision_id", "council_id", "threshold", "status", "motion_id"],
            organisation="council.organisation_id",
        )
        power_rows_watch(
            m.WageBand, fields=["organisation_id", "code", "weekly"], organisation="organisation_id"
        )
        power_rows_watch(
            m.OfficePay,
            fields=["office_id", "weekly", "motion_id", "status", "in_force_from", "cap_when_set"],
            organisation="office.body.organisation_id",
        )
        power_rows_watch(
            m.Tendency,
            fields=[
                "organisation_id",
                "slug",
                "name",
                "founded_by_id",
                "dissolved_at",
                "admission",
                "dissolution_majority",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.TendencyMembership,
            fields=["tendency_id", "member_id", "joined_at", "left_at", "founder", "admitted_by_id"],
            organisation="tendency.organisation_id",
        )
        power_rows_watch(
            m.TendencyDissolution,
            fields=["tendency_id", "proposed_by_id", "electorate", "majority", "decided_at"],
            organisation="tendency.organisation_id",
        )
        power_rows_watch(
            m.WageBandsProposal,
            fields=["organisation_id", "bands", "members", "motion_id", "status", "in_force_from"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.CallInElector,
            fields=["call_in_id", "member_id"],
            organisation="call_in.council.organisation_id",
        )
