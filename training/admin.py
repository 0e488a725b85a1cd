"""The back office of continuing education: the expert pool, fields, trainings with their
sessions, and registration periods. Registrations, attendance, hours from elsewhere and
certificates are records the portal's pages write (with the audit log), so they are shown
here read-only."""

from django.contrib import admin
from django.db import models
from django.db.models import Min
from django.urls import reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from common.admin import PrivateFilesAdmin, ReadOnlyAdmin

from .forms import ExpertAdminForm
from .models import (
    Attendance,
    Certificate,
    Expert,
    OutsideHours,
    Registration,
    RegistrationPeriod,
    Reminder,
    Session,
    Topic,
    Training,
)
from .services import training_waiting_list_move_up


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "position"]
    list_editable = ["position"]
    search_fields = ["name"]


@admin.register(Expert)
class ExpertAdmin(PrivateFilesAdmin):
    form = ExpertAdminForm
    list_display = ["name", "title", "organisation", "is_public"]
    list_filter = ["is_public", "topics"]
    search_fields = ["name", "organisation", "title"]
    filter_horizontal = ["topics"]
    fieldsets = [
        (None, {"fields": ["name", "title", "organisation", "topics", "biography", "photo"]}),
        (_("Shown in public"), {"fields": ["is_public"]}),
        (_("For the secretariat only"), {"fields": ["phone", "email", "notes"]}),
    ]


class SessionInline(admin.StackedInline):
    model = Session
    extra = 0
    fields = [("date", "starts_at", "ends_at", "hours"), "title", "speakers"]
    autocomplete_fields = ["speakers"]


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    list_display = ["title", "kind", "first_day", "audience", "capacity", "is_published", "page"]
    list_filter = ["is_published", "kind", "audience", "topics"]
    search_fields = ["title", "description", "venue"]
    filter_horizontal = ["topics"]
    autocomplete_fields = ["organiser"]
    inlines = [SessionInline]
    # A link typed without a scheme is https (meeting services all are).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = [
        (None, {"fields": ["title", "kind", "topics", "description", "organiser"]}),
        (_("Where"), {"fields": ["venue", "online_url"]}),
        (
            _("Registration"),
            {
                "fields": [
                    "audience",
                    "capacity",
                    "registration_opens_at",
                    "registration_closes_at",
                    "is_published",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(first=Min("sessions__date"))

    @admin.display(description=_("first day"), ordering="first")
    def first_day(self, obj):
        return obj.first

    @admin.display(description=_("registrations and attendance"))
    def page(self, obj):
        url = reverse("training:manage-training", args=[obj.pk])
        return format_html('<a href="{}">{}</a>', url, _("Registrations and attendance"))

    def save_related(self, request, form, formsets, change):
        """A raised capacity gives the new seats to the waiting list at once."""
        super().save_related(request, form, formsets, change)
        if change:
            training_waiting_list_move_up(
                training=form.instance, base_url=request.build_absolute_uri("/")
            )


@admin.register(RegistrationPeriod)
class RegistrationPeriodAdmin(admin.ModelAdmin):
    list_display = ["user", "qualification", "starts_on", "ends_on", "certificate_number"]
    list_filter = ["qualification"]
    search_fields = ["user__full_name", "user__email", "certificate_number"]
    autocomplete_fields = ["user"]
    readonly_fields = ["ends_on", "created_at"]
    date_hierarchy = "starts_on"


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdmin):
    list_display = ["training", "user", "status", "created_at", "confirmed_at", "cancelled_at"]
    list_filter = ["status", "training"]
    search_fields = ["user__full_name", "user__email", "training__title"]
    list_select_related = ["training", "user"]


@admin.register(Attendance)
class AttendanceAdmin(ReadOnlyAdmin):
    list_display = ["session", "user", "hours", "source", "checked_in_at", "recorded_by"]
    list_filter = ["source", "session__training"]
    search_fields = ["user__full_name", "user__email", "session__title"]
    list_select_related = ["session", "user", "recorded_by"]


@admin.register(OutsideHours)
class OutsideHoursAdmin(ReadOnlyAdmin):
    list_display = ["user", "title", "completed_on", "hours", "status", "decided_by"]
    list_filter = ["status"]
    search_fields = ["user__full_name", "user__email", "title", "provider"]
    list_select_related = ["user", "decided_by"]
    exclude = ["evidence"]


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["number", "kind", "holder_name", "hours", "issued_at", "replaced_at"]
    list_filter = ["kind"]
    search_fields = ["number", "holder_name", "user__email"]


@admin.register(Reminder)
class ReminderAdmin(ReadOnlyAdmin):
    list_display = ["period", "months_before", "sent_at"]
    list_select_related = ["period__user"]
