from django.contrib import admin
from django.urls import include, path

from members.views import enrolment

from .views import documents, jobs, meetings, pages

# /documents/<pk>/
document_urls = [
    path("", documents.show_document, name="document"),
    path("versions/<int:number>/", documents.show_document_version, name="document-version"),
    path(
        "versions/<int:number>/pdf/",
        documents.download_document_version_pdf,
        name="document-version-pdf",
    ),
    path("compare/", documents.compare_document_versions, name="document-diff"),
]

# /meetings/<pk>/attendance/ (the secretariat's)
attendance_urls = [
    path("", meetings.show_attendance, name="meeting-attendance"),
    path("freeze/", meetings.freeze_roll, name="meeting-freeze-roll"),
    path("check-in-state/", meetings.set_check_in, name="meeting-check-in-state"),
    path("<int:entry_pk>/check-in/", meetings.check_in_roll_entry, name="roll-entry-check-in"),
    path("<int:entry_pk>/undo/", meetings.undo_roll_entry_check_in, name="roll-entry-undo"),
]

# /meetings/<pk>/
meeting_urls = [
    path("", meetings.show_meeting, name="meeting"),
    path("quorum.json", meetings.show_quorum, name="meeting-quorum"),
    path("check-in/", meetings.check_in, name="meeting-check-in"),
    path("qr.svg", meetings.show_check_in_qr, name="meeting-qr"),
    path("attendance/", include(attendance_urls)),
]

# /exports/<uuid>/: a file the worker builds for one person
export_job_urls = [
    path("", jobs.show_export_job, name="export-job"),
    path("progress.json", jobs.show_export_job_progress, name="export-job-progress"),
    path("download/", jobs.download_export_job, name="export-job-download"),
]

# The association's own pages, in the `association` namespace.
association_urls = [
    path("", pages.show_home, name="home"),
    path("privacy/", pages.show_privacy, name="privacy"),
    path("healthz", pages.check_health, name="healthz"),
    path("healthz/tasks", pages.check_tasks_health, name="healthz-tasks"),
    path("documents/", documents.list_documents, name="documents"),
    path("documents/<int:pk>/", include(document_urls)),
    path("meetings/", meetings.list_meetings, name="meetings"),
    path("meetings/<int:pk>/", include(meeting_urls)),
    path("exports/<uuid:pk>/", include(export_job_urls)),
]

urlpatterns = [
    path("", include((association_urls, "association"))),
    # Before allauth's own: who may set up two-factor login (staff only with their link).
    path("accounts/2fa/totp/activate/", enrolment.activate_totp, name="mfa_activate_totp"),
    path("accounts/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("admin/", admin.site.urls),
    path("members/", include("members.urls")),
    path("stations/", include("stations.urls")),
    path("training/", include("training.urls")),
    # Polls, the bulletin board, elections and the board live at the top level.
    path("", include("elections.urls")),
]

handler400 = "association.views.pages.bad_request"
handler403 = "association.views.pages.permission_denied"
handler404 = "association.views.pages.page_not_found"
handler500 = "association.views.pages.server_error"
