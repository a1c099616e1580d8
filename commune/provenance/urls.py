from django.urls import path

from commune.provenance import views

app_name = "provenance"

urlpatterns = [
    path(
        "decisions/<str:kind>/<int:decision_id>/provenance/",
        views.decision_provenance_page,
        name="decision",
    ),
]
