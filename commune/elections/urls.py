"""The election pages (namespace ``elections``) and the ballot pages (namespace ``ballots``), both mounted
under an organisation's prefix."""

from django.urls import path

from commune.elections.views import ballots, elections, papers

app_name = "elections"

urlpatterns = [
    path("elections/", elections.election_list, name="list"),
    path("elections/<int:election_id>/", elections.election_detail, name="detail"),
    path("elections/<int:election_id>/stand/", elections.election_stand, name="stand"),
    path("elections/<int:election_id>/withdraw/", elections.election_withdraw, name="withdraw"),
    path("elections/<int:election_id>/result/", elections.election_result, name="result"),
    path("bodies/<str:code>/elections/", elections.body_elections, name="of_body"),
    path("elections/<int:election_id>/papers/", papers.election_papers_page, name="papers"),
    path("elections/<int:election_id>/papers/enter/", papers.election_papers_enter, name="papers_enter"),
    path(
        "elections/<int:election_id>/papers/resolve/", papers.election_papers_resolve, name="papers_resolve"
    ),
    path("elections/<int:election_id>/papers.pdf", papers.election_papers_print, name="papers_print"),
]

ballot_urlpatterns = (
    [
        path("elections/<int:election_id>/ballot/", ballots.ballot, name="ballot"),
        path("elections/<int:election_id>/bulletin/", ballots.bulletin, name="bulletin"),
        path("elections/<int:election_id>/bulletin.json", ballots.bulletin_json, name="bulletin_json"),
        path("elections/<int:election_id>/bulletin.blt", ballots.bulletin_blt, name="bulletin_blt"),
    ],
    "ballots",
)
