"""Every write that touches several models: admission, representatives and their
invitations, status, dues, activity.

Each function is keyword-only, runs in one transaction, validates with full_clean() and
raises ValidationError with a translated message when the request cannot be honoured; views,
the admin and commands all call these, so the rules live in one place. The e-mails an action
owes (to the applicant, the unit, the secretariat) are sent from here once it commits, in the
association's language; `base_url` is the portal's root URL for the links in them.

One module per topic (accounts, numbers, admission, representatives, standing);
callers use `members.services.<function>` as before."""

from ._shared import MEMBER_ROLE_STATUSES, STAFF_CANNOT_APPLY, STAFF_CANNOT_REPRESENT  # noqa: F401
from .accounts import (  # noqa: F401
    account_roles_sync,
    forget_cached_roles,
    two_factor_link_allows,
    two_factor_link_issue,
    two_factor_link_use,
)
from .admission import (  # noqa: F401
    application_approve,
    application_document_add,
    application_document_delete,
    application_reject,
    application_return,
    application_save,
    application_submit,
    application_withdraw,
)
from .numbers import certificate_issue, member_number_next  # noqa: F401
from .representatives import (  # noqa: F401
    INVITATION_REFUSALS,
    representative_change,
    representative_change_check,
    representative_invitation_accept,
    representative_invitation_cancel,
    representative_invitation_decline,
    representative_invitation_for,
    representative_invite,
)
from .standing import (  # noqa: F401
    dues_record,
    member_record_activity,
    member_status_change,
    member_tier_change,
    member_update,
)
