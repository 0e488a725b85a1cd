"""Back-office views of polls and the audit log: read-only.

Polls change state only through the control panel (ballot_box.services), which records every
change in the audit log. Participations and ballots have no admin pages at all: the bulletin
board and the turnout counts are how anyone sees them.
"""

from django.contrib import admin
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin

from .models import AuditEntry, Poll


@admin.register(Poll)
class PollAdmin(ReadOnlyAdmin):
    list_display = ["subject", "meeting", "kind", "method", "secret", "state", "panel_link"]
    list_filter = ["state", "kind", "method"]
    search_fields = ["subject", "meeting__title"]
    list_select_related = ["meeting"]
    exclude = ["counted_totals"]

    @admin.display(description=_("control panel"))
    def panel_link(self, obj):
        url = reverse("elections:manage-poll", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Open the control panel"))


@admin.register(AuditEntry)
class AuditEntryAdmin(ReadOnlyAdmin):
    list_display = ["at", "actor", "action", "meeting", "poll", "detail"]
    list_filter = ["action"]
    search_fields = ["detail", "poll__subject", "meeting__title"]
    list_select_related = ["actor", "meeting", "poll"]
    date_hierarchy = "at"
