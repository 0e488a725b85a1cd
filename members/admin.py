from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportModelAdmin
from import_export.signals import post_export

from association.jobs import export_job_start
from common.admin import (
    ExportFiltersChecked,
    PrivateFilesAdmin,
    ReadOnlyAdmin,
    ReadOnlyInline,
    run_for_each,
)
from common.spreadsheets.import_export import (
    AllOrNothingImport,
    PortalFormats,
    ReadErrorsExplained,
)

from . import exports, roles, services
from .forms import member_image
from .models import (
    Activity,
    Application,
    ApplicationDocument,
    Certificate,
    DuesPayment,
    DuesRate,
    Member,
    MemberChange,
    Representative,
    RepresentativeInvitation,
    TwoFactorEnrolment,
    User,
)
from .resources import MemberResource

# What makes an account staff: only superusers set these (roles.may_manage_account).
STAFF_FIELDS = ["is_staff", "is_superuser", "groups", "user_permissions", "civil_affairs_scope"]


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Accounts. Only superusers grant or remove staff roles, superuser status and
    permissions, or touch a staff account (its password too); the secretariat manages the
    accounts of members, applicants and everyone else without a staff role."""

    list_display = ["email", "full_name", "is_staff", "civil_affairs_scope", "date_joined"]
    search_fields = ["email", "full_name", "username"]
    autocomplete_fields = ["civil_affairs_scope"]
    fieldsets = DjangoUserAdmin.fieldsets + (
        (
            _("Portal"),
            {"fields": ["full_name", "phone", "consent_at", "civil_affairs_scope"]},
        ),
    )
    readonly_fields = ["consent_at"]
    actions = ["send_two_factor_link"]

    def get_readonly_fields(self, request, obj=None):
        fields = super().get_readonly_fields(request, obj)
        if roles.is_superuser(request.user):
            return fields
        return [*fields, *STAFF_FIELDS]

    def has_change_permission(self, request, obj=None):
        return super().has_change_permission(request, obj) and (
            obj is None or roles.may_manage_account(request.user, obj)
        )

    def has_delete_permission(self, request, obj=None):
        return super().has_delete_permission(request, obj) and (
            obj is None or roles.may_manage_account(request.user, obj)
        )

    @admin.action(description=_("Send a two-factor enrolment link"))
    def send_two_factor_link(self, request, queryset):
        """Staff accounts set up their first authenticator only from such a link."""
        base_url = request.build_absolute_uri("/")
        run_for_each(
            request,
            queryset,
            lambda user: services.two_factor_link_issue(
                user=user, actor=request.user, base_url=base_url
            ),
            done=lambda sent: (
                ngettext("%(count)s enrolment link sent.", "%(count)s enrolment links sent.", sent)
                % {"count": sent}
            ),
        )


class RepresentativeInline(ReadOnlyInline):
    model = Representative
    fk_name = "member"
    fields = ["user", "since", "until", "appointed_by", "reason"]
    readonly_fields = fields


class CertificateInline(ReadOnlyInline):
    model = Certificate
    fields = ["tier", "issued_on", "valid_until", "revoked_on", "issued_by"]
    readonly_fields = fields


class MemberChangeInline(ReadOnlyInline):
    model = MemberChange
    fields = ["changed_at", "action", "details", "reason", "changed_by"]
    readonly_fields = fields


class DuesPaymentInline(admin.TabularInline):
    model = DuesPayment
    extra = 0
    fields = ["year", "amount", "paid_on", "receipt_number", "note", "recorded_by"]
    readonly_fields = ["recorded_by"]


class ActivityInline(admin.TabularInline):
    model = Activity
    extra = 0
    fields = ["on", "description"]


MEMBER_MAIN_FIELDS = ["kind", "name", "number", "tier", "county", "user"]
MEMBER_DATES_FIELDS = ["member_since", "member_until", "status", "status_since", "status_reason"]
MEMBER_UNIT_FIELDS = [*Member.UNIT_FIELDS, "logo"]
MEMBER_INDIVIDUAL_FIELDS = [*Member.INDIVIDUAL_FIELDS, "photo"]


class MemberAdminForm(forms.ModelForm):
    change_reason = forms.CharField(
        label=_("Reason for the change"),
        max_length=300,
        required=False,
        help_text=_("Kept in the member's history of changes."),
    )

    class Meta:
        model = Member
        fields = [
            *MEMBER_MAIN_FIELDS,
            *MEMBER_DATES_FIELDS,
            *MEMBER_UNIT_FIELDS,
            *MEMBER_INDIVIDUAL_FIELDS,
        ]

    def clean(self):
        """A unit's voting account set here is a handover on paper: refused where the
        portal's handover would be (a staff account, the account already voting, a unit
        that is no longer a member), and never simply emptied. An individual member's
        account is never a staff account either."""
        cleaned = super().clean()
        kind = cleaned.get("kind", self.instance.kind)
        if "user" not in self.changed_data:
            return cleaned
        user = cleaned.get("user")
        if kind != Member.Kind.UNIT:
            if user is not None and not roles.may_be_an_individual_members_account(user):
                self.add_error(
                    "user",
                    _(
                        "A staff account (secretariat, civil affairs or back office) cannot "
                        "be an individual member's account: the person uses a personal "
                        "account with another address."
                    ),
                )
            return cleaned
        if user is None:
            if self.instance.pk and self.instance.user_id:
                self.add_error(
                    "user",
                    _(
                        "A unit always has a voting representative once it has one: name "
                        "the account that takes over instead."
                    ),
                )
            return cleaned
        self.instance.kind = kind
        try:
            services.representative_change_check(member=self.instance, user=user)
        except ValidationError as error:
            self.add_error("user", error.messages)
        return cleaned

    # The same validation and re-encoding as the member's own profile form: an SVG, an
    # HTML page or a PNG bomb is refused here too.
    def clean_logo(self):
        return member_image(self.cleaned_data.get("logo"))

    def clean_photo(self):
        return member_image(self.cleaned_data.get("photo"))


@admin.register(Member)
class MemberAdmin(
    PrivateFilesAdmin,
    ExportFiltersChecked,
    AllOrNothingImport,
    ReadErrorsExplained,
    PortalFormats,
    ImportExportModelAdmin,
):
    """Plain data entry, import and export. Admission, status and tier go through the
    portal pages, which keep the history and the roles in step.

    A unit's voting representative may be entered here from a paper record (a new unit's,
    or a handover letter), without the portal's invitation: it goes through
    services.representative_change all the same (term start and end, the change record,
    the roles, the e-mails, no staff account). A member's kind is fixed once it has a
    voting account or a representative term: switching a unit to an individual and back
    would change its voting account past the handover."""

    form = MemberAdminForm
    resource_classes = [MemberResource]
    fieldsets = [
        (None, {"fields": MEMBER_MAIN_FIELDS}),
        (_("Membership and status"), {"fields": MEMBER_DATES_FIELDS}),
        (_("Unit member"), {"fields": MEMBER_UNIT_FIELDS}),
        (_("Individual member"), {"fields": MEMBER_INDIVIDUAL_FIELDS}),
        (_("History"), {"fields": ["change_reason"]}),
    ]
    list_display = ["number", "name", "kind", "tier", "status", "member_since", "county"]
    list_filter = ["kind", "tier", "status", "county"]
    search_fields = ["name", "number", "credit_code"]
    autocomplete_fields = ["county", "user"]
    list_select_related = ["county"]
    inlines = [
        DuesPaymentInline,
        ActivityInline,
        RepresentativeInline,
        CertificateInline,
        MemberChangeInline,
    ]

    def has_export_permission(self, request):
        return exports.may_export_roster(request.user)

    def _do_file_export(self, file_format, request, queryset, export_form=None):
        # django-import-export's one step that writes the file (4.4; its other steps
        # check the permission, read the form and apply the list's filters). The roster
        # is written by members.exports, inside the request while it is short and by the
        # worker beyond EXPORT_IMMEDIATE_MAX_ROWS: the job's page then shows its progress
        # and the download.
        fields = self.get_export_resource_fields_from_form(export_form)
        kind = file_format.get_extension()
        if queryset.count() > settings.EXPORT_IMMEDIATE_MAX_ROWS:
            job = export_job_start(
                export=exports.roster_file,
                actor=request.user,
                ids=list(queryset.values_list("pk", flat=True)),
                fields=fields,
                kind=kind,
                on=timezone.localdate().isoformat(),
            )
            messages.info(
                request, gettext("The roster is long: it is being prepared in the background.")
            )
            return redirect("association:export-job", pk=job.pk)
        response = exports.roster_response(queryset, fields=fields, kind=kind, user=request.user)
        post_export.send(sender=None, model=self.model)
        return response

    def get_readonly_fields(self, request, obj=None):
        if obj is None:
            return ["status", "status_since", "status_reason"]
        readonly = ["number", "status", "status_since", "status_reason", "member_until"]
        if obj.kind_is_fixed():
            readonly.append("kind")
        return readonly

    def changeform_view(self, request, object_id=None, form_url="", extra_context=None):
        """The form's checks ran on the unit as it was; a handover the service refuses at
        the save (the unit changed meanwhile, say by an accepted invitation) rolls the whole
        save back and says why, instead of a server error."""
        try:
            return super().changeform_view(request, object_id, form_url, extra_context)
        except ValidationError as error:
            self.message_user(request, " ".join(error.messages), messages.ERROR)
            return redirect(request.get_full_path())

    def save_model(self, request, obj, form, change):
        previous_user = None
        if change:
            previous_user = Member.objects.get(pk=obj.pk).user
        elif not obj.number:
            obj.number = services.member_number_next(year=obj.member_since.year)
        reason = form.cleaned_data.get("change_reason", "")
        representative = None
        if obj.kind == Member.Kind.UNIT and "user" in form.changed_data and obj.user_id:
            # Saved as it was; the handover below moves the vote and keeps the history.
            representative, obj.user = obj.user, previous_user
        super().save_model(request, obj, form, change)
        changed = [
            str(form.fields[name].label or name)
            for name in form.changed_data
            if name != "change_reason" and not (name == "user" and representative)
        ]
        if not (change and representative and not changed):  # the handover records itself
            MemberChange.objects.create(
                member=obj,
                action=MemberChange.Action.EDITED if change else MemberChange.Action.ADMITTED,
                changed_by=request.user,
                details=gettext("Changed: %(fields)s") % {"fields": "、".join(changed) or "—"},
                reason=reason,
            )
        if representative is not None:
            services.representative_change(
                member=obj,
                user=representative,
                actor=request.user,
                reason=reason or gettext("Back office"),
                base_url=request.build_absolute_uri("/"),
            )
            obj.user = representative
        for account in {obj.user, previous_user} - {None}:
            services.account_roles_sync(user=account)

    def save_formset(self, request, form, formset, change):
        instances = formset.save(commit=False)
        for instance in instances:
            if isinstance(instance, DuesPayment) and instance.recorded_by_id is None:
                instance.recorded_by = request.user
            instance.save()
        formset.save_m2m()
        for instance in formset.deleted_objects:
            instance.delete()

    @admin.action(description=_("Issue new certificates"))
    def issue_certificates(self, request, queryset):
        run_for_each(
            request,
            queryset,
            lambda member: services.certificate_issue(member=member, actor=request.user),
            done=lambda issued: (
                ngettext("%(count)s certificate issued.", "%(count)s certificates issued.", issued)
                % {"count": issued}
            ),
        )

    actions = ["issue_certificates"]


@admin.register(DuesRate)
class DuesRateAdmin(admin.ModelAdmin):
    list_display = ["year", "tier", "amount"]
    list_editable = ["amount"]
    list_filter = ["year", "tier"]
    ordering = ["-year", "amount"]


@admin.register(DuesPayment)
class DuesPaymentAdmin(admin.ModelAdmin):
    list_display = ["receipt_number", "member", "year", "amount", "paid_on", "recorded_by"]
    list_filter = ["year"]
    search_fields = ["receipt_number", "member__name", "member__number"]
    autocomplete_fields = ["member"]
    readonly_fields = ["recorded_by", "recorded_at"]
    list_select_related = ["member", "recorded_by"]
    date_hierarchy = "paid_on"

    def save_model(self, request, obj, form, change):
        if obj.recorded_by_id is None:
            obj.recorded_by = request.user
        super().save_model(request, obj, form, change)


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["on", "member", "description"]
    search_fields = ["description", "member__name", "member__number"]
    autocomplete_fields = ["member"]
    list_select_related = ["member"]
    date_hierarchy = "on"


class ApplicationDocumentInline(ReadOnlyInline):
    model = ApplicationDocument
    fields = ["description", "file_type", "original_name", "size", "uploaded_at"]
    readonly_fields = fields


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    """For looking up applications; decisions are made on the portal's queue page."""

    list_display = ["name", "kind", "status", "applicant", "submitted_at", "decided_at"]
    list_filter = ["status", "kind"]
    search_fields = ["name", "credit_code", "applicant__email"]
    list_select_related = ["applicant"]
    inlines = [ApplicationDocumentInline]
    can_delete = True


@admin.register(Certificate)
class CertificateAdmin(ReadOnlyAdmin):
    list_display = ["member", "tier", "issued_on", "valid_until", "revoked_on"]
    list_filter = ["tier"]
    search_fields = ["member__name", "member__number"]
    list_select_related = ["member"]
    can_delete = True


@admin.register(MemberChange)
class MemberChangeAdmin(ReadOnlyAdmin):
    list_display = ["changed_at", "member", "action", "details", "changed_by"]
    list_filter = ["action"]
    search_fields = ["member__name", "member__number", "details", "reason"]
    list_select_related = ["member", "changed_by"]


@admin.register(TwoFactorEnrolment)
class TwoFactorEnrolmentAdmin(ReadOnlyAdmin):
    """Who was sent a two-factor enrolment link, by whom, and whether it was used."""

    list_display = ["user", "issued_by", "issued_at", "expires_at", "used_at"]
    search_fields = ["user__email", "user__full_name"]
    list_select_related = ["user", "issued_by"]
    fields = list_display


@admin.register(RepresentativeInvitation)
class RepresentativeInvitationAdmin(ReadOnlyAdmin):
    """Invitations to be a unit's voting representative: to whom, by whom, and the answer.
    Sent and answered on the portal's pages; the link's token is never shown (only its
    hash is stored)."""

    list_display = [
        "email",
        "unit_name",
        "state",
        "invited_by",
        "invited_at",
        "expires_at",
        "answered_by",
        "closed_at",
    ]
    list_filter = ["state"]
    search_fields = ["email", "application__name", "member__name", "member__number"]
    list_select_related = ["application", "member", "invited_by", "answered_by"]
    fields = [
        "email",
        "application",
        "member",
        "reason",
        "state",
        "invited_by",
        "invited_at",
        "expires_at",
        "answered_by",
        "closed_at",
    ]

    @admin.display(description=_("unit"))
    def unit_name(self, invitation):
        return invitation.unit_name
