"""The members app's models, one module per topic: membership (accounts, members,
representatives, dues, activities, certificates), admission (applications, which point
at the member they become) and enrolment (staff two-factor enrolment links). Import them
from here, members.models, which also registers them all with the app."""

from .admission import Application, ApplicationDocument
from .enrolment import TwoFactorEnrolment, enrolment_token_hash
from .membership import (
    Activity,
    Certificate,
    DuesPayment,
    DuesRate,
    Gender,
    Member,
    MemberChange,
    MemberNumberSequence,
    OrganisationType,
    Qualification,
    Representative,
    User,
)

__all__ = [
    "Activity",
    "Application",
    "ApplicationDocument",
    "Certificate",
    "DuesPayment",
    "DuesRate",
    "Gender",
    "Member",
    "MemberChange",
    "MemberNumberSequence",
    "OrganisationType",
    "Qualification",
    "Representative",
    "TwoFactorEnrolment",
    "User",
    "enrolment_token_hash",
]
