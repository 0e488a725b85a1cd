from django.contrib import admin
from django.urls import include, path

from . import views, views_documents, views_meetings

association_patterns = [
    path("", views.home, name="home"),
    path("privacy/", views.privacy, name="privacy"),
    # Documents, meetings and attendance (ballot-box issue).
    path("documents/", views_documents.list_documents, name="documents"),
    path("documents/<int:pk>/", views_documents.show_document, name="document"),
    path(
        "documents/<int:pk>/versions/<int:number>/",
        views_documents.show_version,
        name="document-version",
    ),
    path("documents/<int:pk>/compare/", views_documents.compare_versions, name="document-diff"),
    path("meetings/", views_meetings.list_meetings, name="meetings"),
    path("meetings/<int:pk>/", views_meetings.show_meeting, name="meeting"),
    path("meetings/<int:pk>/quorum.json", views_meetings.meeting_quorum, name="meeting-quorum"),
    path("meetings/<int:pk>/check-in/", views_meetings.check_in, name="meeting-check-in"),
    path("meetings/<int:pk>/qr.svg", views_meetings.meeting_qr, name="meeting-qr"),
    path(
        "meetings/<int:pk>/attendance/",
        views_meetings.meeting_attendance,
        name="meeting-attendance",
    ),
    path(
        "meetings/<int:pk>/attendance/freeze/",
        views_meetings.freeze_roll,
        name="meeting-freeze-roll",
    ),
    path(
        "meetings/<int:pk>/attendance/check-in-state/",
        views_meetings.set_check_in,
        name="meeting-check-in-state",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:entry_pk>/check-in/",
        views_meetings.check_in_entry,
        name="roll-entry-check-in",
    ),
    path(
        "meetings/<int:pk>/attendance/<int:entry_pk>/undo/",
        views_meetings.undo_check_in,
        name="roll-entry-undo",
    ),
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
