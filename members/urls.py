from django.urls import include, path

import common.converters  # noqa: F401 - registers <code:…>

from .views import applications, enrolment, invitations, membership, public, secretariat

app_name = "members"

# /members/applications/<pk>/documents/<document_pk>/
application_document_urls = [
    path("", applications.download_application_document, name="application-document"),
    path(
        "thumbnail/",
        applications.download_application_document,
        {"variant": "thumbnail"},
        name="application-document-thumbnail",
    ),
    path("delete/", applications.delete_application_document, name="application-document-delete"),
]

# /members/applications/<pk>/
application_urls = [
    path("", applications.show_application, name="application"),
    path("edit/", applications.edit_application, name="application-edit"),
    path("submit/", applications.submit_application, name="application-submit"),
    path("withdraw/", applications.withdraw_application, name="application-withdraw"),
    path("approve/", applications.approve_application, name="application-approve"),
    path("reject/", applications.reject_application, name="application-reject"),
    path("return/", applications.return_application, name="application-return"),
    path("representative/", applications.name_representative, name="application-representative"),
    path("documents/", applications.add_application_document, name="application-document-add"),
    path("documents/<int:document_pk>/", include(application_document_urls)),
]

# /members/<pk>/: a member's own pages (the secretariat reaches them too)
member_urls = [
    path("edit/", membership.edit_profile, name="profile-edit"),
    path("image/", membership.show_member_image, name="member-image"),
    path("certificate.<str:fmt>", membership.download_certificate, name="member-certificate"),
    path("representative/", membership.change_representative, name="member-representative"),
]

# /members/roster/<pk>/: the secretariat's page of one member
roster_member_urls = [
    path("", secretariat.show_member, name="member"),
    path("dues/", secretariat.record_dues, name="member-dues"),
    path("status/", secretariat.change_status, name="member-status"),
    path("tier/", secretariat.change_tier, name="member-tier"),
    path("certificate/", secretariat.reissue_certificate, name="member-certificate-reissue"),
]

urlpatterns = [
    # Applying and the secretariat's queue
    path("apply/", applications.apply_for_membership, name="apply"),
    path("applications/", applications.list_applications, name="application-queue"),
    path("applications/<int:pk>/", include(application_urls)),
    # A member's own pages
    path("me/", membership.show_membership, name="me"),
    path("me/data.json", membership.download_my_data, name="my-data"),
    path("<int:pk>/", include(member_urls)),
    # A staff account's two-factor enrolment link (e-mailed by the secretariat)
    path("two-factor/<str:token>/", enrolment.use_two_factor_link, name="two-factor-link"),
    # An invitation to be a unit's voting representative (e-mailed to the address named)
    path("invitations/<str:token>/", invitations.answer_invitation, name="invitation"),
    # Public
    path("directory/", public.show_directory, name="directory"),
    path("verify/", public.look_up_certificate, name="verify-lookup"),
    path("verify/<code:number>/", public.verify_certificate, name="verify"),
    # The secretariat's roster
    path("roster/", secretariat.list_members, name="roster"),
    path("roster/<int:pk>/", include(roster_member_urls)),
]
