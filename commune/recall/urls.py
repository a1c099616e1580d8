from django.urls import path

from commune.recall.views import papers, petitions

app_name = "recall"

urlpatterns = [
    path("recalls/", petitions.recall_list, name="list"),
    path("recalls/open/", petitions.recall_open, name="open"),
    path("recalls/<int:petition_id>/", petitions.recall_detail, name="detail"),
    path("recalls/<int:petition_id>/sign/", petitions.recall_sign, name="sign"),
    path("recalls/<int:petition_id>/withdraw/", petitions.recall_withdraw, name="withdraw"),
    path("recalls/<int:petition_id>/ballot/", petitions.recall_ballot, name="ballot"),
    path("recalls/<int:petition_id>/ballot/count/", petitions.recall_ballot_count, name="count"),
    path(
        "recalls/<int:petition_id>/ballot/bulletin.json",
        petitions.recall_ballot_bulletin_json,
        name="bulletin",
    ),
    path("recalls/<int:petition_id>/ballot/papers/", papers.recall_papers_page, name="papers"),
    path("recalls/<int:petition_id>/ballot/papers/enter/", papers.recall_papers_enter, name="papers_enter"),
    path(
        "recalls/<int:petition_id>/ballot/papers/resolve/",
        papers.recall_papers_resolve,
        name="papers_resolve",
    ),
    path("recalls/<int:petition_id>/ballot/papers.pdf", papers.recall_papers_print, name="papers_print"),
    path("recalls/<int:petition_id>/result/", petitions.recall_result, name="result"),
    path("delegates/<str:number>/recalls/", petitions.holder_recalls, name="of_holder"),
]
