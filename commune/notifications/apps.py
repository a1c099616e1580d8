from django.apps import AppConfig


class NotificationsConfig(AppConfig):
    name = "commune.notifications"
    label = "notifications"
    verbose_name = "Notifications"
