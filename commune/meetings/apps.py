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

        # Who chairs, who tells, the counts of hands cast as votes and the minutes adopted confer power or
        # record its use: they are held to the provenance log (commune.audit.state), as officers' seats are.
        from commune.audit.state import power_rows_watch
        from commune.meetings import models as m

        council = "session.council.organisation_id"
        power_rows_watch(
            m.Meeting, fields=["session_id", "chair_id", "chair_elected", "chair_round"], organisation=council
        )
        power_rows_watch(m.Teller, fields=["meeting_id", "member_id"], organisation=f"meeting.{council}")
        power_rows_watch(
            m.HandCount,
            fields=["meeting_id", "vote_id", "teller_id", "choices", "confirms_id", "merged_at"],
            organisation=f"meeting.{council}",
        )
        power_rows_watch(
            m.Minutes,
            fields=["session_id", "digest", "adopted_at", "adopted_in_id", "adopted_by_id"],
            organisation=council,
        )
