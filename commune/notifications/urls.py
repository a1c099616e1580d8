from django.urls import path

from commune.notifications import views

app_name = "notifications"

urlpatterns = [
    path("", views.notification_list, name="list"),
    path("<int:notification_id>/read/", views.notification_read, name="read"),
    path("read/", views.notification_read_all, name="read_all"),
    path("badge/", views.notification_badge, name="badge"),
]
