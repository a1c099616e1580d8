from django.urls import path

from commune.recall import paper_views, views

app_name = "recall"

urlpatterns = [
    path("recalls/", views.recall_list, name="list"),
    path("recalls/open/", views.recall_open, name="open"),
    path("recalls/<int:petition_id>/", views.recall_detail, name="detail"),
    path("recalls/<int:petition_id>/sign/", views.recall_sign, name="sign"),
    path("recalls/<int:petition_id>/withdraw/", views.recall_withdraw, name="withdraw"),
    path("recalls/<int:petition_id>/ballot/", views.recall_ballot, name="ballot"),
    path("recalls/<int:petition_id>/ballot/count/", views.recall_ballot_count, name="count"),
    path(
        "recalls/<int:petition_id>/ballot/bulletin.json", views.recall_ballot_bulletin_json, name="bulletin"
    ),
    path("recalls/<int:petition_id>/ballot/papers/", paper_views.recall_papers_page, name="papers"),
    path(
        "recalls/<int:petition_id>/ballot/papers/enter/", paper_views.recall_papers_enter, name="papers_enter"
    ),
    path(
        "recalls/<int:petition_id>/ballot/papers/resolve/",
        paper_views.recall_papers_resolve,
        name="papers_resolve",
    ),
    path("recalls/<int:petition_id>/ballot/papers.pdf", paper_views.recall_papers_print, name="papers_print"),
    path("recalls/<int:petition_id>/result/", views.recall_result, name="result"),
    path("delegates/<str:number>/recalls/", views.holder_recalls, name="of_holder"),
]
