from django import forms
from django.contrib import admin
from django.contrib.admin.widgets import AdminSplitDateTime
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import ReadOnlyAdmin
from elections.models import Poll

from .models import (
    Announcement,
    AssociationProfile,
    CouncilMembership,
    Document,
    DocumentVersion,
    Meeting,
    Motion,
    OutboxMessage,
)
from .outbox import outbox_retry
from .services import motion_save


@admin.register(AssociationProfile)
class AssociationProfileAdmin(admin.ModelAdmin):
    list_display = ["name", "city", "founded_on"]
    autocomplete_fields = ["city"]

    def has_add_permission(self, request):
        # One association per portal.
        return super().has_add_permission(request) and not AssociationProfile.objects.exists()


@admin.register(Announcement)
class AnnouncementAdmin(admin.ModelAdmin):
    list_display = ["title", "published_at", "is_published"]
    list_filter = ["is_published"]
    search_fields = ["title", "body"]
    date_hierarchy = "published_at"


# Documents, meetings and motions -------------------------------------------------------------


class DocumentVersionInline(admin.TabularInline):
    """Versions are listed here and edited on their own page (adopted ones are locked)."""

    model = DocumentVersion
    fields = ["number", "label", "created_at", "adopted_on"]
    readonly_fields = fields
    extra = 0
    show_change_link = True
    can_delete = False

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Document)
class DocumentAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "version_in_force", "position"]
    list_filter = ["kind"]
    search_fields = ["title"]
    readonly_fields = ["version_in_force"]
    inlines = [DocumentVersionInline]


@admin.register(DocumentVersion)
class DocumentVersionAdmin(admin.ModelAdmin):
    list_display = ["document", "number", "label", "created_at", "adopted_on"]
    list_filter = ["document"]
    search_fields = ["document__title", "label", "text"]
    list_select_related = ["document"]

    def get_readonly_fields(self, request, obj=None):
        readonly = ["number", "created_at", "adopted_on", "adopted_by"]
        if obj is not None:
            readonly.append("document")
            if obj.is_locked():
                # Adopted wordings, and wordings already put to a vote, never change.
                readonly += ["label", "text", "pdf"]
        return readonly

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked():
            return False
        return super().has_delete_permission(request, obj)


@admin.register(Meeting)
class MeetingAdmin(admin.ModelAdmin):
    list_display = ["title", "body", "starts_at", "mode", "roll_frozen_at", "attendance_link"]
    list_filter = ["body", "mode"]
    search_fields = ["title", "place"]
    date_hierarchy = "starts_at"
    readonly_fields = ["check_in_code", "check_in_open", "roll_frozen_at"]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(self.readonly_fields)
        if obj is not None and obj.roll_frozen:
            # The roll was frozen for this body, day and quorum rule: they stay as they were.
            readonly += ["body", "starts_at", "quorum"]
        return readonly

    @admin.display(description=_("attendance"))
    def attendance_link(self, obj):
        url = reverse("association:meeting-attendance", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Roll and attendance"))


class MotionAdminForm(forms.ModelForm):
    """A motion with the settings of its poll, saved together by association.services."""

    secret = forms.BooleanField(
        label=_("secret ballot"),
        required=False,
        initial=True,
        help_text=_("Untick for a named vote, where the result lists who voted how."),
    )
    method = forms.ChoiceField(
        label=_("voting method"), choices=Poll.Method.choices, initial=Poll.Method.ONLINE
    )
    requires_presence = forms.BooleanField(
        label=_("only those present may vote"), required=False, initial=True
    )
    opens_at = forms.SplitDateTimeField(
        label=_("ballots accepted from"), required=False, widget=AdminSplitDateTime
    )
    closes_at = forms.SplitDateTimeField(
        label=_("ballots accepted until"), required=False, widget=AdminSplitDateTime
    )

    class Meta:
        model = Motion
        fields = ["meeting", "number", "title", "text", "kind", "threshold", "base"]
        fields += ["document_version"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        poll = self.instance.poll if self.instance.pk else None
        if poll is not None:
            for name in ("secret", "method", "requires_presence", "opens_at", "closes_at"):
                self.initial[name] = getattr(poll, name)

    def clean(self):
        data = super().clean()
        opens_at, closes_at = data.get("opens_at"), data.get("closes_at")
        if opens_at and closes_at and closes_at <= opens_at:
            self.add_error("closes_at", _("The closing time must be after the opening time."))
        return data


POLL_SETTINGS = ["secret", "method", "requires_presence", "opens_at", "closes_at"]


@admin.register(Motion)
class MotionAdmin(admin.ModelAdmin):
    form = MotionAdminForm
    list_display = ["title", "meeting", "number", "kind", "threshold", "base", "poll_state"]
    list_filter = ["kind", "meeting"]
    search_fields = ["title", "text"]
    list_select_related = ["meeting", "poll"]
    autocomplete_fields = ["meeting", "document_version"]

    def _locked(self, obj):
        return obj is not None and obj.poll is not None and obj.poll.state != Poll.State.DRAFT

    def get_fieldsets(self, request, obj=None):
        motion = [
            "meeting",
            "number",
            "title",
            "text",
            "kind",
            "threshold",
            "base",
            "document_version",
        ]
        if self._locked(obj):
            return [(None, {"fields": motion + ["poll_link"]})]
        return [(None, {"fields": motion}), (_("Poll"), {"fields": POLL_SETTINGS})]

    def get_readonly_fields(self, request, obj=None):
        return ["poll_link"] if self._locked(obj) else []

    def has_change_permission(self, request, obj=None):
        # Once voting has opened, a motion is read-only: it is what the voters voted on.
        if self._locked(obj):
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.poll is not None:
            return False
        return super().has_delete_permission(request, obj)

    @admin.display(description=_("poll"))
    def poll_state(self, obj):
        return obj.poll.get_state_display() if obj.poll else "—"

    @admin.display(description=_("poll"))
    def poll_link(self, obj):
        url = reverse("elections:manage-poll", args=[obj.poll.pk])
        return format_html('<a href="{}">{}</a>', url, obj.poll.get_state_display())

    def save_model(self, request, obj, form, change):
        settings = {name: form.cleaned_data.get(name) for name in POLL_SETTINGS}
        motion_save(motion=obj, **settings)


@admin.register(CouncilMembership)
class CouncilMembershipAdmin(admin.ModelAdmin):
    list_display = ["member", "body", "office", "starts_on", "ends_on"]
    list_filter = ["body", "office"]
    search_fields = ["member__name", "member__number"]
    autocomplete_fields = ["member"]
    list_select_related = ["member"]


# The outbox ----------------------------------------------------------------------------------


@admin.register(OutboxMessage)
class OutboxMessageAdmin(ReadOnlyAdmin):
    """Every e-mail the portal queued, with its state; filter by 失败 to see the failures."""

    list_display = ["to", "kind", "topic", "state", "attempts", "last_error", "created_at"]
    list_filter = ["state", "mailing"]
    search_fields = ["to", "topic"]
    date_hierarchy = "created_at"
    fields = ["to", "kind", "topic", "state", "attempts", "last_error", "created_at"]
    fields += ["attempted_at", "sent_at"]
    readonly_fields = fields
    actions = ["retry"]

    @admin.display(description=_("kind of e-mail"))
    def kind(self, message):
        return message.kind

    @admin.action(description=_("Send the failed e-mails among those selected again"))
    def retry(self, request, queryset):
        count = outbox_retry(messages=queryset, actor=request.user)
        self.message_user(request, _("%(count)s e-mail(s) queued again.") % {"count": count})
