from django.apps import AppConfig


class MeetingsConfig(AppConfig):
    name = "commune.meetings"
    label = "meetings"
    verbose_name = "Council meetings"

    def ready(self) -> None:
        # A meeting's pages update live: who may follow it is who may open them.
        from commune.live.access import topic_kind_register
        from commune.meetings.access import access_meeting_follow
        from commune.meetings.services.live import TOPIC

        topic_kind_register(TOPIC, access_meeting_follow)
