"""The members app's models, one module per topic: membership (accounts, members,
representatives, dues, activities, certificates), admission (applications, which point
at the member they become), invitation (invitations to be a unit's voting representative)
and enrolment (staff two-factor enrolment links). Import them
from here, members.models, which also registers them all with the app."""

from .admission import Application, ApplicationDocument
from .enrolment import TwoFactorEnrolment, enrolment_token_hash
from .invitation import RepresentativeInvitation, invitation_token_hash
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
    "RepresentativeInvitation",
    "TwoFactorEnrolment",
    "User",
    "enrolment_token_hash",
    "invitation_token_hash",
]
