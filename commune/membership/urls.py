from django.urls import path

from commune.membership import views

app_name = "membership"

urlpatterns = [
    path("join/", views.apply, name="apply"),
    path("join/<str:token>/", views.status, name="status"),
    path("applications/", views.applications, name="applications"),
    path("applications/<int:application_id>/decide/", views.decide, name="decide"),
    path("applications/<int:application_id>/assembly/", views.put_to_assembly, name="put_to_assembly"),
    path("transfers/", views.transfers, name="transfers"),
    path("transfers/<int:transfer_id>/decide/", views.transfer_decide, name="transfer_decide"),
    path("resign/", views.resign, name="resign"),
    path("directory/", views.directory, name="directory"),
]
