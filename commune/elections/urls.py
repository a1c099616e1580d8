from django.urls import path

from commune.elections import views

app_name = "elections"

urlpatterns = [
    path("elections/", views.election_list, name="list"),
    path("elections/<int:election_id>/", views.election_detail, name="detail"),
    path("elections/<int:election_id>/stand/", views.election_stand, name="stand"),
    path("elections/<int:election_id>/withdraw/", views.election_withdraw, name="withdraw"),
    path("elections/<int:election_id>/result/", views.election_result, name="result"),
    path("bodies/<str:code>/elections/", views.body_elections, name="of_body"),
]
