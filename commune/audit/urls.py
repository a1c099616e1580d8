from django.urls import path

from commune.audit import views

app_name = "audit"

urlpatterns = [
    path("", views.log_list, name="log"),
    path("verify/", views.log_verify, name="verify"),
    path("integrity/", views.log_integrity, name="integrity"),
]
