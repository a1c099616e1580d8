from django.urls import path

from commune.elections import ballot_views as views

app_name = "ballots"

urlpatterns = [
    path("elections/<int:election_id>/ballot/", views.ballot, name="ballot"),
    path("elections/<int:election_id>/bulletin/", views.bulletin, name="bulletin"),
    path("elections/<int:election_id>/bulletin.json", views.bulletin_json, name="bulletin_json"),
    path("elections/<int:election_id>/bulletin.blt", views.bulletin_blt, name="bulletin_blt"),
]
