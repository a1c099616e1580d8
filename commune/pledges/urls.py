from django.urls import path

from commune.pledges import views

app_name = "pledges"

urlpatterns = [
    path("pledges/", views.campaign_list, name="list"),
    path("pledges/<int:campaign_id>/", views.campaign_page, name="detail"),
    path("pledges/<int:campaign_id>/pledge/", views.campaign_pledge, name="pledge"),
    path("pledges/<int:campaign_id>/withdraw/", views.campaign_withdraw, name="withdraw"),
    path("pledges/<int:campaign_id>/readiness/", views.campaign_readiness_page, name="readiness"),
]
