from django.urls import path

from commune.health import views

app_name = "health"

urlpatterns = [
    path("health/", views.health_page, name="page"),
]
