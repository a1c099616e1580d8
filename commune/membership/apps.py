from django.apps import AppConfig


class MembershipConfig(AppConfig):
    name = "commune.membership"
    label = "membership"
    verbose_name = "Joining, moving and leaving"

    def ready(self) -> None:
        # A person's data export carries their memberships, seats, offices, applications and moves.
        from commune.accounts.personal_data import personal_data_section_register
        from commune.membership.personal_data import membership_personal_data

        personal_data_section_register("membership", membership_personal_data)
