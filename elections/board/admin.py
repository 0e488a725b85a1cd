"""Back office for board elections: terms, elections with positions, candidates, the board.

Plain data entry only: the admin checks candidates with the same rules as the nomination page
(services.candidate_check) and changes nothing once voting has opened. Opening,
run-offs and certification happen on the secretariat's election page, which logs them.
"""

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.actions import add_service_errors
from common.admin import PrivateFilesAdmin, ReadOnlyAdmin

from . import services
from .models import BoardSeat, Candidate, Election, Position, Term


@admin.register(Term)
class TermAdmin(admin.ModelAdmin):
    list_display = ["number", "starts_on", "ends_on"]
    ordering = ["-number"]


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    fields = ["office", "seats"]

    def has_change_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_add_permission(self, request, obj=None):
        return obj is None or obj.is_draft

    def has_delete_permission(self, request, obj=None):
        return obj is not None and obj.is_draft


@admin.register(Election)
class ElectionAdmin(admin.ModelAdmin):
    list_display = ["title", "meeting", "term", "state", "page_link"]
    list_filter = ["state", "term"]
    search_fields = ["title", "meeting__title"]
    list_select_related = ["meeting", "term"]
    inlines = [PositionInline]
    readonly_fields = ["state", "certified_at", "certified_by"]

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.is_draft)

    def has_delete_permission(self, request, obj=None):
        return False

    @admin.display(description=_("election page"))
    def page_link(self, obj):
        url = reverse("elections:manage-election", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Manage the election"))


class CandidateAdminForm(forms.ModelForm):
    class Meta:
        model = Candidate
        fields = [
            "position",
            "member",
            "person_name",
            "statement",
            "photo",
            "birth_date",
            "full_time",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # A candidate of an election past its draft is shown read-only: the form has no fields.
        if "position" in self.fields:
            self.fields["position"].queryset = Position.objects.filter(
                election__state=Election.State.DRAFT
            ).select_related("election")
        if "person_name" in self.fields:
            self.fields["person_name"].required = False

    def clean(self):
        data = super().clean()
        if self.errors:
            return data
        candidate = self.instance
        for field in ("position", "member", "person_name", "birth_date", "full_time"):
            setattr(candidate, field, data.get(field))
        try:
            services.candidate_check(candidate=candidate)
        except ValidationError as error:
            add_service_errors(self, error)
            return data
        # The check names an individual member's person; the model form saves cleaned_data.
        data["person_name"] = candidate.person_name
        upload = data.get("photo")
        if upload and "photo" in self.changed_data:
            try:
                services.candidate_photo_set(candidate=candidate, photo=upload)
            except ValidationError as error:
                add_service_errors(self, error)
            else:
                # The model form saves what cleaned_data holds: the re-encoded copy.
                data["photo"] = candidate.photo
        return data


@admin.register(Candidate)
class CandidateAdmin(PrivateFilesAdmin):
    form = CandidateAdminForm
    list_display = ["person_name", "member", "position", "number"]
    list_filter = ["position__election", "position__office"]
    search_fields = ["person_name", "member__name"]
    list_select_related = ["member", "position__election"]

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("position__election", "member")

    def has_change_permission(self, request, obj=None):
        allowed = super().has_change_permission(request, obj)
        return allowed and (obj is None or obj.position.election.is_draft)

    def has_delete_permission(self, request, obj=None):
        allowed = super().has_delete_permission(request, obj)
        return allowed and (obj is None or obj.position.election.is_draft)

    def save_model(self, request, obj, form, change):
        services.candidate_save(candidate=obj, actor=request.user)

    def delete_model(self, request, obj):
        services.candidate_withdraw(candidate=obj, actor=request.user)

    def delete_queryset(self, request, queryset):
        for candidate in queryset:
            services.candidate_withdraw(candidate=candidate, actor=request.user)


@admin.register(BoardSeat)
class BoardSeatAdmin(ReadOnlyAdmin):
    """The board as certified: read-only; it changes only through certification."""

    list_display = ["term", "office", "candidate", "election"]
    list_filter = ["term", "office"]
    list_select_related = ["term", "candidate__member", "election"]
