from django.contrib import admin
from django.urls import include, path

from opora.dashboards.views import home, inbox

urlpatterns = [
    path("", home, name="home"),
    path("inbox/", inbox, name="inbox"),
    path("accounts/", include("opora.accounts.urls")),
    path("registry/", include("opora.registry.urls")),
    path("registry/", include("opora.people.urls")),
    path("roadmaps/", include("opora.roadmaps.urls")),
    # The four parts of the former «reviews» app keep their addresses under /reviews/.
    path("reviews/", include("opora.expertise.urls")),
    path("reviews/", include("opora.interviews.urls")),
    path("reviews/", include("opora.recommendations.urls")),
    path("reviews/", include("opora.monitoring.urls")),
    path("surveys/", include("opora.surveys.urls")),
    path("risks/", include("opora.risks.urls")),
    path("information/", include("opora.information.urls")),
    # The programme's open page: no sign-in (information/public_views.py).
    path("public/", include("opora.information.public_urls")),
    path("coaching/", include("opora.coaching.urls")),
    path("assessment/", include("opora.assessment.urls")),
    path("development/", include("opora.development.urls")),
    path("documents/", include("opora.documents.urls")),
    path("notifications/", include("opora.notifications.urls")),
    path("admin/", admin.site.urls),
]

handler400 = "opora.core.views.bad_request"
handler404 = "opora.core.views.not_found"
handler403 = "opora.core.views.forbidden"
handler500 = "opora.core.views.server_error"
