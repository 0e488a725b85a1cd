from django.contrib import admin
from django.urls import include, path

from . import views

association_patterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
]

urlpatterns = [
    path("", include((association_patterns, "association"))),
    path("healthz", views.healthz, name="healthz"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("members/", include("members.urls")),
    path("stations/", include("stations.urls")),
    # Polls, the bulletin board, elections and the board live at the top level.
    path("", include("elections.urls")),
]

handler403 = "association.views.permission_denied"
handler404 = "association.views.page_not_found"
handler500 = "association.views.server_error"
