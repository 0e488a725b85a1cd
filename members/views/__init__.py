"""Membership views, split by audience: applicants, members, the secretariat, the public."""

from .applications import (
    add_document,
    apply,
    approve_application,
    delete_document,
    download_document,
    edit_application,
    list_applications,
    reject_application,
    return_application,
    show_application,
    submit_application,
    withdraw_application,
)
from .membership import (
    change_representative,
    download_certificate,
    download_my_data,
    edit_profile,
    member_image,
    show_membership,
)
from .public import directory, verify_certificate, verify_lookup
from .secretariat import (
    change_status,
    change_tier,
    record_dues,
    reissue_certificate,
    roster,
    show_member,
)

__all__ = [
    "add_document",
    "apply",
    "approve_application",
    "change_representative",
    "change_status",
    "change_tier",
    "delete_document",
    "directory",
    "download_certificate",
    "download_document",
    "download_my_data",
    "edit_application",
    "edit_profile",
    "list_applications",
    "member_image",
    "record_dues",
    "reissue_certificate",
    "reject_application",
    "return_application",
    "roster",
    "show_application",
    "show_member",
    "show_membership",
    "submit_application",
    "verify_certificate",
    "verify_lookup",
    "withdraw_application",
]
