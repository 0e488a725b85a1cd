from django.urls import include, path

import common.converters  # noqa: F401 - registers <code:…>

from . import views

app_name = "training"

training_patterns = [
    path("", views.show_training, name="training"),
    path("register/", views.register, name="register"),
    path("cancel/", views.cancel_registration, name="cancel"),
    path("certificate.pdf", views.download_training_certificate, name="training-certificate"),
]

expert_patterns = [
    path("", views.list_experts, name="experts"),
    path("<int:pk>/", views.show_expert, name="expert"),
    path("<int:pk>/photo/", views.expert_photo, name="expert-photo"),
]

mine_patterns = [
    path("", views.show_record, name="mine"),
    path("period/", views.edit_period, name="period-new"),
    path("period/<int:pk>/", views.edit_period, name="period-edit"),
    path("period/<int:pk>/certificate.pdf", views.download_period_certificate,
         name="period-certificate"),
    path("outside/", views.submit_outside_hours, name="outside-new"),
    path("outside/<int:pk>/evidence/", views.outside_evidence, name="outside-evidence"),
]  # fmt: skip

manage_patterns = [
    path("", views.manage_overview, name="manage"),
    path("<int:pk>/", views.manage_training, name="manage-training"),
    path("<int:pk>/registrations.xlsx", views.export_registrations, name="registrations-export"),
    path("sessions/<int:pk>/", views.manage_session, name="manage-session"),
    path("sessions/<int:pk>/qr.svg", views.session_qr, name="session-qr"),
    path("sessions/<int:pk>/check-in-state/", views.set_check_in, name="session-check-in-state"),
    path("sessions/<int:pk>/check-in/<int:user_pk>/", views.check_in_participant,
         name="participant-check-in"),
    path("sessions/<int:pk>/correct/", views.correct_attendance, name="attendance-correct"),
    path("outside/", views.list_outside_hours, name="outside-queue"),
    path("outside/<int:pk>/", views.show_outside_hours, name="outside"),
    path("outside/<int:pk>/approve/", views.approve_outside_hours, name="outside-approve"),
    path("outside/<int:pk>/refuse/", views.refuse_outside_hours, name="outside-refuse"),
    path("hours/", views.hours_report, name="hours-report"),
    path("hours.xlsx", views.export_hours, name="hours-export"),
    path("hours/export/", views.start_hours_export, name="hours-export-job"),
]  # fmt: skip

urlpatterns = [
    path("", views.list_trainings, name="calendar"),
    path("<int:pk>/", include(training_patterns)),
    path("sessions/<int:pk>/check-in/", views.check_in, name="check-in"),
    path("experts/", include(expert_patterns)),
    path("mine/", include(mine_patterns)),
    path("verify/", views.verify_lookup, name="verify-lookup"),
    path("verify/<code:number>/", views.verify_certificate, name="verify"),
    path("manage/", include(manage_patterns)),
]
