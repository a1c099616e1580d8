from django.urls import path

from commune.motions import statutory_views, views

app_name = "motions"

urlpatterns = [
    path("bodies/<str:code>/motions/", views.body_motions_page, name="of_body"),
    path("bodies/<str:code>/motions/new/", views.motion_move_page, name="move"),
    path("bodies/<str:code>/sessions/", views.sessions_page, name="sessions"),
    path("motions/<int:motion_id>/", views.motion_detail_page, name="detail"),
    path("motions/<int:motion_id>/support/", views.motion_support_page, name="support"),
    path("motions/<int:motion_id>/amend/", views.motion_amend_page, name="amend"),
    path(
        "motions/<int:motion_id>/amendments/<int:amendment_id>/vote/",
        views.amendment_put_page,
        name="amendment_put",
    ),
    path("motions/<int:motion_id>/vote/", views.motion_put_page, name="put"),
    path("motions/<int:motion_id>/forward/", views.motion_forward_page, name="forward"),
    path("motions/<int:motion_id>/refer/", views.motion_refer_page, name="refer"),
    path("votes/<int:vote_id>/", views.vote_detail_page, name="vote"),
    path("votes/<int:vote_id>/close/", views.vote_close_page, name="vote_close"),
    path("votes/<int:vote_id>/bulletin.json", views.vote_bulletin_json, name="vote_bulletin"),
    path("sessions/<int:session_id>/", views.session_detail_page, name="session"),
    path("sessions/<int:session_id>/roll/", views.session_roll_page, name="roll"),
    path("sessions/<int:session_id>/close/", views.session_close_page, name="session_close"),
    path("referrals/<int:referral_id>/", views.referral_detail_page, name="referral"),
    path(
        "referrals/<int:referral_id>/ballot-notice/", statutory_views.ballot_notice_page, name="ballot_notice"
    ),
    path(
        "referrals/<int:referral_id>/ballot-notice.pdf",
        statutory_views.ballot_notice_pdf_file,
        name="ballot_notice_pdf",
    ),
    path("statutory/<int:ballot_id>/", statutory_views.statutory_page, name="statutory"),
    path("statutory/<int:ballot_id>/enter/", statutory_views.statutory_enter_page, name="statutory_enter"),
    path(
        "statutory/<int:ballot_id>/resolve/", statutory_views.statutory_resolve_page, name="statutory_resolve"
    ),
    path(
        "statutory/<int:ballot_id>/papers.pdf", statutory_views.statutory_papers_pdf, name="statutory_papers"
    ),
    path(
        "statutory/<int:ballot_id>/notice.<str:fmt>",
        statutory_views.statutory_notice_file,
        name="statutory_notice",
    ),
    path(
        "statutory/<int:ballot_id>/scrutiny/",
        statutory_views.statutory_scrutiny_page,
        name="statutory_scrutiny",
    ),
]
