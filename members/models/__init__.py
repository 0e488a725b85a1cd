"""The members app's models, one module per topic: membership (accounts, members,
representatives, dues, activities, certificates) and admission (applications, which point
at the member they become). Import them from here, members.models, which also registers
them all with the app."""

from .admission import Application, ApplicationDocument
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
    "User",
]
