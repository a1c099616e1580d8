from django.urls import path

from commune.actions import notice_views, views

app_name = "actions"

urlpatterns = [
    path("action/", views.calendar_page, name="calendar"),
    path("action/calendar.ics", views.organisation_feed, name="organisation_feed"),
    path("action/units/<str:code>/calendar.ics", views.unit_feed, name="unit_feed"),
    path("action/feed/", views.feed_reset_page, name="feed_reset"),
    path("action/calls/<int:call_id>/", views.call_page, name="call"),
    path("action/calls/<int:call_id>/notice/", notice_views.notice_page, name="notice"),
    path("action/calls/<int:call_id>/notice.pdf", notice_views.notice_pdf, name="notice_pdf"),
    path("action/events/<int:event_id>/", views.event_page, name="event"),
    path("action/strike-pay/", views.strike_pay_page, name="strike_pay"),
]

#: A person's own calendar, outside any organisation: its secret token is all a calendar application has.
feed_urlpatterns = [path("action/feeds/<str:token>.ics", views.personal_feed, name="actions_feed")]
