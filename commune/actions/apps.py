from django.apps import AppConfig


class ActionsConfig(AppConfig):
    name = "commune.actions"
    label = "actions"
    verbose_name = "Collective action: calls, events and strike pay"

    def ready(self) -> None:
        # A person's data export carries their shifts, days of action and strike-pay claims.
        from commune.accounts.personal_data import personal_data_section_register
        from commune.actions.personal_data import actions_personal_data

        personal_data_section_register("actions", actions_personal_data)
        # The rows that confer or use power are held to the provenance log (commune.audit.state).
        from commune.actions import models as m
        from commune.audit.state import power_rows_watch

        power_rows_watch(
            m.ActionCall,
            fields=[
                "organisation_id",
                "body_id",
                "executive_id",
                "reach_id",
                "kind",
                "title",
                "demands",
                "starts_on",
                "ends_on",
                "authority_id",
                "authority_vote_id",
                "authority_referral_id",
                "called_by_id",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.CallEndorsement,
            fields=["call_id", "unit_id", "motion_id", "status", "decided_at"],
            organisation="call.organisation_id",
        )
        # Who took part grounds their strike pay, so the officers' reports are held to the log too.
        power_rows_watch(
            m.Participation,
            fields=["call_id", "unit_id", "member_id", "day", "reported_by_id"],
            organisation="call.organisation_id",
        )
        power_rows_watch(
            m.StrikePayClaim,
            fields=[
                "call_id",
                "member_id",
                "unit_id",
                "days",
                "status",
                "amount",
                "executive_id",
                "approved_by_id",
                "approval_id",
                "paid_by_id",
                "paid_at",
                "payment_reference",
            ],
            organisation="call.organisation_id",
        )
