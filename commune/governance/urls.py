from django.urls import path

from commune.governance.views import amendments, executives, offices, tendencies

app_name = "governance"

urlpatterns = [
    path("offices/", offices.register_page, name="register"),
    path("pay/", offices.pay_page_view, name="pay"),
    path("pay/<str:kind>/<int:proposal_id>/settle/", offices.pay_settle_page, name="pay_settle"),
    path("tendencies/", tendencies.tendencies_page, name="tendencies"),
    path("tendencies/<slug:tendency>/", tendencies.tendency_detail_page, name="tendency"),
    path(
        "tendencies/<slug:tendency>/admit/<str:number>/",
        tendencies.tendency_admit_page,
        name="tendency_admit",
    ),
    path("tendencies/<slug:tendency>/<str:action>/", tendencies.tendency_act_page, name="tendency_act"),
    path("executives/", executives.executives_page, name="executives"),
    path("executives/<str:code>/", executives.executive_detail_page, name="executive"),
    path("decisions/<int:decision_id>/call-in/", executives.call_in_open_page, name="call_in"),
    path("call-ins/<int:call_in_id>/sign/", executives.call_in_sign_page, name="call_in_sign"),
    path("call-ins/<int:call_in_id>/settle/", executives.call_in_settle_page, name="call_in_settle"),
    path("constitution/amendments/", amendments.amendments_history_page, name="amendments"),
    path("constitution/amendments/new/", amendments.amendment_propose_page, name="amend"),
]
