import secrets
import tempfile
import time
from pathlib import Path

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from import_export.admin import ExportActionModelAdmin

from common.admin import ExportFiltersChecked
from common.spreadsheets.import_export import PortalFormats
from common.uploads import clean_image, thumbnail

from . import sheets
from .access import stations_with_visible_staff
from .forms import ImportForm
from .imports import divisions_import, service_records_import, stations_import
from .models import Division, ServiceRecord, Staff, Station, StationPhoto
from .resources import ServiceRecordResource, StaffResource, StationResource
from .services import operators_link

STASH_DIR = Path(tempfile.gettempdir()) / "portal-station-imports"
STASH_MAX_AGE = 24 * 3600
SESSION_KEY = "stations_import_stash"


def _stash(request, data, *, kind, encoding):
    """Keep an uploaded file between its preview and the confirmation; returns a token."""
    STASH_DIR.mkdir(mode=0o700, exist_ok=True)
    now = time.time()
    for old in STASH_DIR.iterdir():
        if now - old.stat().st_mtime > STASH_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_urlsafe(24)
    (STASH_DIR / token).write_bytes(data)
    stash = request.session.get(SESSION_KEY, {})
    stash[token] = {"kind": kind, "encoding": encoding}
    request.session[SESSION_KEY] = stash
    return token


def _unstash(request, token, *, kind):
    """(path, encoding) of a stashed file of this kind and this session, or None."""
    entry = request.session.get(SESSION_KEY, {}).get(token)
    if not entry or entry["kind"] != kind:
        return None
    file = STASH_DIR / token
    if not file.is_file():
        return None
    return file, entry["encoding"]


def _forget(request, token):
    stash = request.session.get(SESSION_KEY, {})
    stash.pop(token, None)
    request.session[SESSION_KEY] = stash
    (STASH_DIR / token).unlink(missing_ok=True)


class SpreadsheetImportMixin:
    """An "Import" page in the admin: upload, preview (a dry run), then confirm.

    Subclasses set `import_service` (a stations.imports function) and `import_columns`.
    """

    change_list_template = "stations/admin/change_list.html"
    import_service = None
    import_columns = ""
    import_help = ""

    def get_urls(self):
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import/",
                self.admin_site.admin_view(self.import_view),
                name="{}_{}_import".format(*info),
            ),
            *super().get_urls(),
        ]

    def has_import_permission(self, request):
        return self.has_add_permission(request) and self.has_change_permission(request)

    def import_view(self, request):
        if not self.has_import_permission(request):
            raise PermissionDenied
        kind = self.opts.label_lower
        service = type(self).import_service
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import %(things)s from a spreadsheet")
            % {"things": self.opts.verbose_name_plural},
            "columns": self.import_columns,
            "import_help": self.import_help,
        }
        if request.method == "POST" and request.POST.get("token"):
            token = request.POST["token"]
            stashed = _unstash(request, token, kind=kind)
            if stashed is None:
                messages.error(request, _("The previewed file has expired; upload it again."))
                return redirect(request.path)
            file, encoding = stashed
            report = service(
                file=file, actor=request.user, dry_run=False, encoding=encoding or None
            )
            _forget(request, token)
            if report.ok:
                messages.success(request, report.summary())
                return redirect(
                    reverse(f"admin:{self.opts.app_label}_{self.opts.model_name}_changelist")
                )
            context.update({"form": ImportForm(), "report": report})
            return TemplateResponse(request, "stations/admin/import.html", context)
        form = ImportForm(request.POST or None, request.FILES or None)
        if request.method == "POST" and form.is_valid():
            upload = form.cleaned_data["file"]
            encoding = form.cleaned_data["encoding"]
            upload.seek(0)
            data = upload.read()
            report = service(file=data, actor=request.user, dry_run=True, encoding=encoding or None)
            context["report"] = report
            if report.ok:
                context["token"] = _stash(request, data, kind=kind, encoding=encoding)
        context["form"] = form
        return TemplateResponse(request, "stations/admin/import.html", context)


@admin.register(Division)
class DivisionAdmin(SpreadsheetImportMixin, admin.ModelAdmin):
    list_display = ["code", "name", "level", "parent", "counts_toward_coverage"]
    list_filter = ["level", "counts_toward_coverage"]
    search_fields = ["code", "name"]
    autocomplete_fields = ["parent"]
    list_select_related = ["parent"]
    list_per_page = 100
    # Counting 44,703 rows on every filter change is wasted work.
    show_full_result_count = False
    actions = ["mark_counting", "mark_not_counting"]
    import_service = divisions_import
    import_columns = "code, name, level, parent_code[, counts_toward_coverage]"
    import_help = gettext_lazy(
        "One row per division; level is province, city, county or township; parent_code is "
        "empty for provinces. Re-importing a file updates names and never duplicates."
    )

    @admin.action(description=gettext_lazy("Count the selected townships toward coverage"))
    def mark_counting(self, request, queryset):
        changed = queryset.filter(level=Division.Level.TOWNSHIP).update(counts_toward_coverage=True)
        messages.success(request, _("%(count)s townships updated.") % {"count": changed})

    @admin.action(description=gettext_lazy("Leave the selected townships out of coverage"))
    def mark_not_counting(self, request, queryset):
        changed = queryset.filter(level=Division.Level.TOWNSHIP).update(
            counts_toward_coverage=False
        )
        messages.success(request, _("%(count)s townships updated.") % {"count": changed})


class CountyListFilter(admin.SimpleListFilter):
    title = gettext_lazy("county")
    parameter_name = "county"

    def lookups(self, request, model_admin):
        counties = (
            Division.objects.filter(level=Division.Level.COUNTY, children__station__isnull=False)
            .distinct()
            .order_by("code")
        )
        return [(county.code, county.name) for county in counties]

    def queryset(self, request, queryset):
        if self.value():
            return queryset.filter(township__parent__code=self.value())
        return queryset


def visible_staff(request, queryset):
    """The staff rows of `queryset` that the signed-in user may see (stations.access)."""
    return queryset.filter(station__in=stations_with_visible_staff(request.user))


class StaffInline(admin.TabularInline):
    model = Staff
    extra = 0
    fields = ["name", "role", "qualification", "certificate_number", "since_on", "until_on"]

    def get_queryset(self, request):
        return visible_staff(request, super().get_queryset(request))


class StationPhotoForm(forms.ModelForm):
    """Photos uploaded in the admin are validated and re-encoded like everywhere else."""

    class Meta:
        model = StationPhoto
        fields = ["image", "caption"]

    def clean_image(self):
        image = self.cleaned_data["image"]
        if isinstance(image, UploadedFile):
            try:
                image = clean_image(image)
            except ValidationError as error:
                raise forms.ValidationError(error.messages) from None
            self._thumbnail = thumbnail(image)
        return image

    def save(self, commit=True):
        small = getattr(self, "_thumbnail", None)
        if small is not None:
            self.instance.thumbnail.save(small.name, small, save=False)
        return super().save(commit=commit)


class StationPhotoInline(admin.TabularInline):
    model = StationPhoto
    form = StationPhotoForm
    extra = 0
    fields = ["image", "caption"]


class ServiceRecordInline(admin.TabularInline):
    model = ServiceRecord
    extra = 0
    ordering = ["-month"]
    fields = ["month", *ServiceRecord.FIGURES]


STATION_COLUMNS = (
    ", ".join([*sheets.STATION_REQUIRED, *sheets.STATION_OPTIONAL])
    + "; "
    + ", ".join([*sheets.STAFF_REQUIRED, *sheets.STAFF_OPTIONAL])
)


@admin.register(Station)
class StationAdmin(
    SpreadsheetImportMixin, ExportFiltersChecked, PortalFormats, ExportActionModelAdmin
):
    list_display = ["name", "township", "county", "status", "opened_on", "operator_label"]
    list_filter = ["status", "demonstration_tier", CountyListFilter]
    search_fields = [
        "name",
        "township__name",
        "township__code",
        "operator__name",
        "operator_name",
        "address",
    ]
    autocomplete_fields = ["township", "operator"]
    list_select_related = ["township__parent", "operator"]
    inlines = [StaffInline, StationPhotoInline, ServiceRecordInline]
    resource_classes = [StationResource]
    actions = ["link_operators"]
    import_service = stations_import
    import_columns = STATION_COLUMNS
    import_help = gettext_lazy(
        "The columns of the coverage workbook: its sheet 明细 (stations) and its sheet 驻站社工 "
        "(resident social workers), or a .csv of either. Rows marked 未建 are skipped."
    )

    @admin.display(description=gettext_lazy("county"), ordering="township__parent__code")
    def county(self, station):
        return station.township.parent.name if station.township.parent_id else ""

    @admin.display(description=gettext_lazy("operating organisation"))
    def operator_label(self, station):
        return station.operator_display

    @admin.action(
        description=gettext_lazy("Link operating organisations to the unit members of that name")
    )
    def link_operators(self, request, queryset):
        linked = operators_link(actor=request.user, stations=queryset)
        messages.success(request, _("%(count)s stations linked.") % {"count": linked})


@admin.register(Staff)
class StaffAdmin(
    SpreadsheetImportMixin, ExportFiltersChecked, PortalFormats, ExportActionModelAdmin
):
    list_display = ["name", "station", "role", "qualification", "since_on", "until_on"]
    list_filter = ["role", "qualification"]
    search_fields = ["name", "certificate_number", "station__name", "station__township__code"]
    autocomplete_fields = ["station"]
    list_select_related = ["station"]
    resource_classes = [StaffResource]
    import_service = stations_import
    import_columns = ", ".join([*sheets.STAFF_REQUIRED, *sheets.STAFF_OPTIONAL])
    import_help = gettext_lazy(
        "The columns of the coverage workbook's sheet 驻站社工. A social worker is found by "
        "station and name; nobody is deleted: enter a leaving date instead."
    )

    def get_queryset(self, request):
        return visible_staff(request, super().get_queryset(request))


@admin.register(ServiceRecord)
class ServiceRecordAdmin(
    SpreadsheetImportMixin, ExportFiltersChecked, PortalFormats, ExportActionModelAdmin
):
    list_display = ["station", "month", "casework_cases", "people_served", "volunteers"]
    list_filter = ["station__status"]
    date_hierarchy = "month"
    search_fields = ["station__name", "station__township__name", "station__township__code"]
    autocomplete_fields = ["station"]
    list_select_related = ["station"]
    resource_classes = [ServiceRecordResource]
    import_service = service_records_import
    import_columns = ", ".join([*sheets.RECORD_REQUIRED, *sheets.RECORD_OPTIONAL])
    import_help = gettext_lazy(
        "The columns of the coverage workbook's sheet 服务记录: one row per station and month "
        "(2026-03). Figures are whole numbers, never negative."
    )
