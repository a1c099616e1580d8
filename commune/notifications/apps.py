from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "commune.notifications"
    label = "notifications"
    verbose_name = "Notifications"

    def ready(self) -> None:
        # A person's data export carries the notifications they were sent.
        from commune.accounts.personal_data import personal_data_section_register
        from commune.notifications.personal_data import notifications_personal_data

        personal_data_section_register("notifications", notifications_personal_data)
