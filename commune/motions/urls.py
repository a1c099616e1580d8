from django.urls import path

from commune.motions.views import motions, sessions, statutory, votes

app_name = "motions"

urlpatterns = [
    path("bodies/<str:code>/motions/", motions.body_motions_page, name="of_body"),
    path("bodies/<str:code>/motions/new/", motions.motion_move_page, name="move"),
    path("bodies/<str:code>/sessions/", sessions.sessions_page, name="sessions"),
    path("motions/<int:motion_id>/", motions.motion_detail_page, name="detail"),
    path("motions/<int:motion_id>/support/", motions.motion_support_page, name="support"),
    path("motions/<int:motion_id>/amend/", motions.motion_amend_page, name="amend"),
    path(
        "motions/<int:motion_id>/amendments/<int:amendment_id>/vote/",
        votes.amendment_put_page,
        name="amendment_put",
    ),
    path("motions/<int:motion_id>/vote/", votes.motion_put_page, name="put"),
    path("motions/<int:motion_id>/forward/", motions.motion_forward_page, name="forward"),
    path("motions/<int:motion_id>/refer/", motions.motion_refer_page, name="refer"),
    path("votes/<int:vote_id>/", votes.vote_detail_page, name="vote"),
    path("votes/<int:vote_id>/close/", votes.vote_close_page, name="vote_close"),
    path("votes/<int:vote_id>/bulletin.json", votes.vote_bulletin_json, name="vote_bulletin"),
    path("sessions/<int:session_id>/", sessions.session_detail_page, name="session"),
    path("sessions/<int:session_id>/roll/", sessions.session_roll_page, name="roll"),
    path("sessions/<int:session_id>/close/", sessions.session_close_page, name="session_close"),
    path("referrals/<int:referral_id>/", motions.referral_detail_page, name="referral"),
    path("referrals/<int:referral_id>/ballot-notice/", statutory.ballot_notice_page, name="ballot_notice"),
    path(
        "referrals/<int:referral_id>/ballot-notice.pdf",
        statutory.ballot_notice_pdf_file,
        name="ballot_notice_pdf",
    ),
    path("statutory/<int:ballot_id>/", statutory.statutory_page, name="statutory"),
    path("statutory/<int:ballot_id>/enter/", statutory.statutory_enter_page, name="statutory_enter"),
    path("statutory/<int:ballot_id>/resolve/", statutory.statutory_resolve_page, name="statutory_resolve"),
    path("statutory/<int:ballot_id>/papers.pdf", statutory.statutory_papers_pdf, name="statutory_papers"),
    path(
        "statutory/<int:ballot_id>/notice.<str:fmt>",
        statutory.statutory_notice_file,
        name="statutory_notice",
    ),
    path(
        "statutory/<int:ballot_id>/scrutiny/",
        statutory.statutory_scrutiny_page,
        name="statutory_scrutiny",
    ),
]
