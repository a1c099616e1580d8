from django.urls import path

from commune.mandates import views

app_name = "mandates"

urlpatterns = [
    path("delegates/<str:number>/", views.delegate_detail, name="delegate"),
    path("motions/<int:motion_id>/mandates/", views.motion_mandates, name="of_motion"),
    path("mandates/<int:mandate_id>/", views.mandate_detail, name="mandate"),
    path("mandates/<int:mandate_id>/decide/", views.mandate_decide_page, name="decide"),
    path("votes/<int:vote_id>/seat/", views.seat_vote, name="seat_vote"),
]
