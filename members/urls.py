from django.urls import path

from . import views

app_name = "members"

urlpatterns = [
    # Applying and the secretariat's queue
    path("apply/", views.apply, name="apply"),
    path("applications/", views.list_applications, name="application-queue"),
    path("applications/<int:pk>/", views.show_application, name="application"),
    path("applications/<int:pk>/edit/", views.edit_application, name="application-edit"),
    path("applications/<int:pk>/submit/", views.submit_application, name="application-submit"),
    path(
        "applications/<int:pk>/withdraw/",
        views.withdraw_application,
        name="application-withdraw",
    ),
    path("applications/<int:pk>/approve/", views.approve_application, name="application-approve"),
    path("applications/<int:pk>/reject/", views.reject_application, name="application-reject"),
    path("applications/<int:pk>/return/", views.return_application, name="application-return"),
    path(
        "applications/<int:pk>/documents/",
        views.add_document,
        name="application-document-add",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/",
        views.download_document,
        name="application-document",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/thumbnail/",
        views.download_document,
        {"variant": "thumbnail"},
        name="application-document-thumbnail",
    ),
    path(
        "applications/<int:pk>/documents/<int:document_pk>/delete/",
        views.delete_document,
        name="application-document-delete",
    ),
    # A member's own pages
    path("me/", views.show_membership, name="me"),
    path("me/data.json", views.download_my_data, name="my-data"),
    path("<int:pk>/edit/", views.edit_profile, name="profile-edit"),
    path("<int:pk>/image/", views.member_image, name="image"),
    path("<int:pk>/certificate.<str:fmt>", views.download_certificate, name="certificate"),
    path("<int:pk>/representative/", views.change_representative, name="representative"),
    # Public
    path("directory/", views.directory, name="directory"),
    path("verify/", views.verify_lookup, name="verify-lookup"),
    path("verify/<str:number>/", views.verify_certificate, name="verify"),
    # The secretariat's roster
    path("roster/", views.roster, name="roster"),
    path("roster/<int:pk>/", views.show_member, name="member"),
    path("roster/<int:pk>/dues/", views.record_dues, name="dues-record"),
    path("roster/<int:pk>/status/", views.change_status, name="status"),
    path("roster/<int:pk>/tier/", views.change_tier, name="tier"),
    path("roster/<int:pk>/certificate/", views.reissue_certificate, name="certificate-reissue"),
]
