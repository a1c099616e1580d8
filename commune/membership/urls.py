from django.urls import path

from commune.membership import views

app_name = "membership"

urlpatterns = [
    path("join/", views.apply, name="apply"),
    path("join/<str:token>/", views.status, name="status"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/decide/", views.decide, name="decide"),
]
