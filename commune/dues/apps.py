from django.apps import AppConfig


class DuesConfig(AppConfig):
    name = "commune.dues"
    label = "dues"
    verbose_name = "Dues"

    def ready(self) -> None:
        from commune.audit.state import power_rows_watch
        from commune.dues import models as m
        from commune.dues.services import voting_standing_bar
        from commune.federation.standing import voting_standing_bar_register

        # Where the constitution says only members in good standing vote, a process leaves out, as it
        # opens, those who are not.
        voting_standing_bar_register(voting_standing_bar)
        # A band changed another way (a roll import, a motion setting the wage bands) is kept in the band
        # history from the month it is made, so it reprices no month before it.
        from commune.dues.services import wage_bands_moved_record
        from commune.federation.bands import wage_band_recorder_register

        wage_band_recorder_register(wage_bands_moved_record)
        # A person's data export carries their payments, exemptions, notices and standing.
        from commune.accounts.personal_data import personal_data_section_register
        from commune.dues.personal_data import dues_personal_data

        personal_data_section_register("dues", dues_personal_data)
        # Payments, exemptions and arrears decide good standing, and so may decide who votes: held to the
        # provenance log (commune.audit.state).
        power_rows_watch(
            m.DuesPayment,
            fields=["organisation_id", "member_id", "amount", "paid_on", "reference", "dues_import_id"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.DuesImport,
            fields=["organisation_id", "unit_id", "file_sha256", "rows", "total"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.DuesExemption,
            fields=["organisation_id", "member_id", "first_month", "last_month", "reason"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.ArrearsBroughtForward,
            fields=["organisation_id", "member_id", "months"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.DuesAdjustment,
            fields=[
                "organisation_id",
                "member_id",
                "kind",
                "payment_id",
                "corrected_amount",
                "change",
                "made_on",
                "reason",
            ],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.WageBandChange,
            fields=["organisation_id", "member_id", "band_before", "band", "from_month", "reason"],
            organisation="organisation_id",
        )
        power_rows_watch(
            m.LapseNotice,
            fields=["organisation_id", "member_id", "sent_at", "lapse_due_at", "status"],
            organisation="organisation_id",
        )
