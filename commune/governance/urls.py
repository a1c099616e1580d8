from django.urls import path

from commune.governance import views

app_name = "governance"

urlpatterns = [
    path("offices/", views.register_page, name="register"),
    path("pay/", views.pay_page_view, name="pay"),
    path("pay/<str:kind>/<int:proposal_id>/settle/", views.pay_settle_page, name="pay_settle"),
    path("tendencies/", views.tendencies_page, name="tendencies"),
    path("tendencies/<slug:tendency>/", views.tendency_detail_page, name="tendency"),
    path("tendencies/<slug:tendency>/admit/<str:number>/", views.tendency_admit_page, name="tendency_admit"),
    path("tendencies/<slug:tendency>/<str:action>/", views.tendency_act_page, name="tendency_act"),
    path("executives/", views.executives_page, name="executives"),
    path("executives/<str:code>/", views.executive_detail_page, name="executive"),
    path("decisions/<int:decision_id>/call-in/", views.call_in_open_page, name="call_in"),
    path("call-ins/<int:call_in_id>/sign/", views.call_in_sign_page, name="call_in_sign"),
    path("call-ins/<int:call_in_id>/settle/", views.call_in_settle_page, name="call_in_settle"),
    path("constitution/amendments/", views.amendments_history_page, name="amendments"),
    path("constitution/amendments/new/", views.amendment_propose_page, name="amend"),
]
