from django.urls import path

from commune.federation.views import constitution, pages, roll

app_name = "federation"

urlpatterns = [
    path("", pages.organisation_home, name="home"),
    path("bodies/", pages.federation_tree, name="tree"),
    path("bodies/<str:code>/", pages.body_detail, name="body"),
    path("bodies/<str:code>/roll/", roll.roll_upload, name="roll"),
    path("bodies/<str:code>/roll/awaiting/<int:pending_id>/", roll.roll_pending_decide, name="roll_decide"),
    path("constitution/", constitution.constitution, name="constitution"),
]
