from django.apps import AppConfig


class ElectionsConfig(AppConfig):
    name = "commune.elections"
    label = "elections"
    verbose_name = "Elections"

    def ready(self) -> None:
        # The rows that confer power are held to the provenance log (commune.audit.state).
        from commune.audit.state import power_rows_watch
        from commune.elections import models as m

        power_rows_watch(
            m.Election,
            fields=[
                "organisation_id",
                "body_id",
                "kind",
                "council_id",
                "office_id",
                "seats",
                "method",
                "electorate_mode",
                "weighted",
                "constitution_version",
                "apportionment_id",
                "term_start",
                "term_end",
                "status",
                "tie_seed",
                "ballots_counted",
                "result",
                "merkle_root",
                "uncontested",
                "declared_at",
                "installed_at",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.Elector, fields=["election_id", "member_id", "weight"], organisation="election.organisation_id"
        )
        power_rows_watch(
            m.Candidacy,
            fields=[
                "election_id",
                "member_id",
                "status",
                "ballot_label",
                "outcome",
                "elected_order",
                "alternate_rank",
            ],
            organisation="election.organisation_id",
        )
        power_rows_watch(
            m.ElectedSeat,
            fields=["election_id", "member_id", "delegation_id", "office_term_id", "represents_members"],
            organisation="election.organisation_id",
        )

        from commune.elections.selectors import candidate_in_open_election
        from commune.federation.roll.safeguards import roll_conflict_check_register

        roll_conflict_check_register(candidate_in_open_election)
