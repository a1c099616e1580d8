from django.contrib import admin
from django.urls import include, path

from commune.actions.urls import feed_urlpatterns
from commune.api.resolver import api_path
from commune.api.root import api
from commune.elections.urls import ballot_urlpatterns

urlpatterns = [
    path("admin/", admin.site.urls),
    api_path("api/", api.urls),
    path("accounts/", include("commune.accounts.urls")),
    path("o/<slug:slug>/log/", include("commune.audit.urls")),
    path("o/<slug:slug>/", include("commune.elections.urls")),
    path("o/<slug:slug>/", include(ballot_urlpatterns)),
    path("o/<slug:slug>/", include("commune.federation.urls")),
    path("o/<slug:slug>/", include("commune.motions.urls")),
    path("o/<slug:slug>/", include("commune.meetings.urls")),
    path("o/<slug:slug>/", include("commune.mandates.urls")),
    path("o/<slug:slug>/", include("commune.recall.urls")),
    path("o/<slug:slug>/", include("commune.governance.urls")),
    path("o/<slug:slug>/", include("commune.provenance.urls")),
    path("o/<slug:slug>/", include("commune.health.urls")),
    path("o/<slug:slug>/", include("commune.membership.urls")),
    path("o/<slug:slug>/", include("commune.pledges.urls")),
    path("o/<slug:slug>/", include("commune.structure.urls")),
    path("o/<slug:slug>/", include("commune.actions.urls")),
    path("", include(feed_urlpatterns)),
    path("o/<slug:slug>/", include("commune.dues.urls")),
    path("notifications/", include("commune.notifications.urls")),
    path("", include("commune.web.urls")),
]
