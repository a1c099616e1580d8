from django.apps import AppConfig


class FederationConfig(AppConfig):
    name = "commune.federation"
    label = "federation"
    verbose_name = "Federation"

    def ready(self) -> None:
        # The rows that confer power are held to the provenance log (commune.audit.state).
        from commune.audit.state import power_rows_derived, power_rows_watch
        from commune.federation import models as m
        from commune.federation.selectors import body_fields_differing

        power_rows_watch(
            m.Body,
            fields=[
                "organisation_id",
                "kind",
                "code",
                "parent_id",
                "seats_fixed",
                "members_per_seat",
                "dissolved_at",
                "dissolved_by",
            ],
            organisation="organisation_id",
        )
        # A body's path, depth and member count follow from rows the log holds (parents, members' units):
        # electorates are read from paths, and seats shared out by counts.
        power_rows_derived(m.Body, body_fields_differing)
        power_rows_watch(
            m.Member,
            fields=["organisation_id", "person_id", "number", "wage_band", "current_unit_id"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.Membership,
            fields=["member_id", "unit_id", "started_at", "ended_at", "end_reason"],
            organisation="unit.organisation_id",
        )
        power_rows_watch(
            m.Apportionment, fields=["council_id", "total_seats"], organisation="council.organisation_id"
        )
        power_rows_watch(
            m.ApportionedSeats,
            fields=["apportionment_id", "constituency_id", "members", "seats"],
            organisation="constituency.organisation_id",
        )
        power_rows_watch(
            m.Delegation,
            fields=[
                "council_id",
                "constituency_id",
                "member_id",
                "term_start",
                "term_end",
                "source",
                "ended_at",
                "end_reason",
            ],
            organisation="council.organisation_id",
        )
        power_rows_watch(
            m.Office, fields=["body_id", "title", "manages_roll"], organisation="body.organisation_id"
        )
        power_rows_watch(
            m.OfficeTerm,
            fields=["office_id", "member_id", "term_start", "term_end", "source", "ended_at", "end_reason"],
            organisation="office.body.organisation_id",
        )
        power_rows_watch(
            m.ConstitutionVersion,
            fields=["organisation_id", "number", "adopted_at", "adopted_by", "rules", "referendum_id"],
            organisation="organisation_id",
        )
