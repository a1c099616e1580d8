from django.urls import path

from commune.meetings import views

app_name = "meetings"

urlpatterns = [
    path("sessions/<int:session_id>/meeting/", views.meeting_page, name="meeting"),
    path("sessions/<int:session_id>/meeting/projector/", views.projector_page, name="projector"),
    path("sessions/<int:session_id>/meeting/act/<str:act>/", views.meeting_act_page, name="act"),
    path("sessions/<int:session_id>/minutes/", views.minutes_page, name="minutes"),
    path("sessions/<int:session_id>/minutes.pdf", views.minutes_pdf_page, name="minutes_pdf"),
]
