from django.urls import path

from commune.structure import views

app_name = "structure"

urlpatterns = [
    path("structure/", views.changes_page, name="changes"),
    path("structure/changes/<int:change_id>/", views.change_detail_page, name="change"),
    path("structure/changes/<int:change_id>/apply/", views.change_apply_page, name="apply"),
    path("bodies/<str:code>/structure/new/", views.change_propose_page, name="propose"),
]
