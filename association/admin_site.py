from urllib.parse import urlencode

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from common.params import query_text

# Column headers of the admin's model lists that only screen readers read; Django's zh_Hans
# catalogue does not have them, so ours does (translations fall through to it).
SCREEN_READER_HEADERS = (
    gettext_noop("Model name"),
    gettext_noop("Add link"),
    gettext_noop("Change or view list link"),
)


class PortalAdminSite(admin.AdminSite):
    """The secretariat's back office.

    Its own login form would bypass allauth's two-factor step, so it sends visitors to the
    portal's login page instead, and signed-in users without admin access get a 403.
    """

    site_header = _("Association back office")
    site_title = _("Back office")
    index_title = _("Back office")

    def login(self, request, extra_context=None):
        if request.user.is_authenticated:
            # Signed in but not allowed in: logging in again would not help.
            raise PermissionDenied
        next_url = query_text(request, "next", max_length=2000) or reverse("admin:index")
        return redirect(f"{reverse('account_login')}?{urlencode({'next': next_url})}")
