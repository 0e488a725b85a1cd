import tempfile
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q, Sum
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from association.jobs import export_job_start
from association.models import AssociationProfile
from common.files import serve_file
from common.params import query_page, query_text
from members.roles import civil_affairs_required, is_secretariat, scope_of, secretariat_required

from . import charts, exports, sheets
from .access import station_for_user, stations_with_visible_staff
from .coverage import county_table, growth_by_year, townships_without_station
from .forms import CoverageFilterForm, DirectoryFilterForm, PhotoForm, StaffFormSet, StationForm
from .models import Division, Staff, Station, StationPhoto
from .services import station_photo_add, station_photo_delete, station_save

PAGE_SIZE = 20
GAPS_PAGE_SIZE = 50


def _home_city(request):
    """The association's city; before it is set, the first city there is (or None)."""
    city = AssociationProfile.for_request(request).city
    if city is None:
        city = Division.objects.filter(level=Division.Level.CITY).order_by("code").first()
    return city


def _viewer_area(request):
    """What a staff viewer's coverage pages cover: their scope, else the association's city."""
    scope = scope_of(request.user)
    return scope if scope is not None else _home_city(request)


def _counties_in(area):
    """County-level units inside `area` (a county is inside itself)."""
    return Division.objects.counties().within(area).order_by("code")


def _get_area_for_user(request):
    """The area of a coverage page: the viewer's area, or one county in it (404 outside)."""
    area = _viewer_area(request)
    code = query_text(request, "county", max_length=20)
    if not code or (area is not None and code == area.code):
        return area, area
    county = _counties_in(area).filter(code=code).first()
    if county is None:
        raise Http404(_("No such county in your area."))
    return area, county


def _as_of(request):
    """(form, date): the valid as-of date, or today when the parameter is absent or wrong."""
    form = CoverageFilterForm(request.GET or None)
    as_of = None
    if form.is_bound and form.is_valid():
        as_of = form.cleaned_data["as_of"]
    return form, as_of or timezone.localdate()


def _export_scope(request):
    """(area, date) of an export of the dashboard's view, or None, with a message, when its
    date is wrong: a page falls back to today, an export does not."""
    _base, area = _get_area_for_user(request)
    form, as_of = _as_of(request)
    if form.is_bound and not form.is_valid():
        messages.error(request, _("The export needs a valid date."))
        return None
    return area, as_of


# Public pages --------------------------------------------------------------------------------


@require_safe
def list_stations(request):
    city = _home_city(request)
    counties = list(_counties_in(city).values_list("code", "name"))
    form = DirectoryFilterForm(request.GET or None, counties=counties)
    stations = Station.objects.within(city).select_related("township__parent", "operator")
    if form.is_bound and form.is_valid():
        data = form.cleaned_data
        if data["county"]:
            stations = stations.filter(township__parent__code=data["county"])
        if data["status"]:
            stations = stations.filter(status=data["status"])
        if data["q"]:
            words = data["q"]
            stations = stations.filter(
                Q(name__icontains=words)
                | Q(township__name__icontains=words)
                | Q(township__code__startswith=words)
                | Q(operator__name__icontains=words)
                | Q(operator_name__icontains=words)
                | Q(address__icontains=words)
            )
    page = query_page(request, stations.order_by("township__code"), PAGE_SIZE)
    return render(request, "stations/station_list.html", {"form": form, "page": page, "city": city})


@require_safe
def show_station(request, pk):
    station, can_see_staff = station_for_user(request, pk)
    today = timezone.localdate()
    staff_today = Staff.objects.filter(station=station).active_on(today)
    figures = staff_today.aggregate(
        resident=Count("id"),
        certified=Count("id", filter=Staff.CERTIFIED),
    )
    records = list(station.service_records.order_by("-month")[:12])
    served = station.service_records.of_year_until(today).aggregate(people=Sum("people_served"))
    return render(
        request,
        "stations/station_detail.html",
        {
            "station": station,
            "photos": station.photos.all(),
            "figures": figures,
            "people_served": served["people"] or 0,
            "records": records,
            "can_see_staff": can_see_staff,
            "staff": station.staff.order_by("until_on", "since_on", "name")
            if can_see_staff
            else [],
            "can_edit": is_secretariat(request.user),
        },
    )


@require_safe
def show_station_photo(request, photo_pk, size):
    """A station photo or its thumbnail; photos of stations are public."""
    photo = get_object_or_404(StationPhoto, pk=photo_pk)
    file = photo.thumbnail if size == "thumb" and photo.thumbnail else photo.image
    return serve_file(file, public=True, max_age=86400)


def _coverage_charts(table):
    items = [(row.name, row.percent, row.percent) for row in table.rows]
    return charts.horizontal_bars(items, maximum=100)


@require_safe
def show_coverage_summary(request):
    """The public coverage summary of the association's city (no personal data)."""
    city = _home_city(request)
    today = timezone.localdate()
    table = county_table(city, on=today, total_label=_("Total"))
    return render(
        request,
        "stations/coverage_summary.html",
        {"city": city, "table": table, "chart": _coverage_charts(table), "as_of": today},
    )


# Civil-affairs and secretariat pages --------------------------------------------------------


@civil_affairs_required
@require_safe
def show_coverage_dashboard(request):
    base, area = _get_area_for_user(request)
    form, as_of = _as_of(request)
    table = county_table(area, on=as_of, total_label=_("Total"))
    gaps = query_page(request, townships_without_station(area, on=as_of), GAPS_PAGE_SIZE)
    growth = growth_by_year(area, until=as_of)
    params = {"as_of": as_of.isoformat()}
    if area is not None and area != base:
        params["county"] = area.code
    growth_charts = [
        ("growth-stations", _("Operating stations"), [(g.year, g.stations) for g in growth]),
        (
            "growth-certified",
            _("Certified social workers"),
            [(g.year, g.certified) for g in growth],
        ),
        (
            "growth-organisations",
            _("Operating organisations"),
            [(g.year, g.organisations) for g in growth],
        ),
    ]
    growth_charts = [(key, title, charts.columns(points)) for key, title, points in growth_charts]
    return render(
        request,
        "stations/coverage_dashboard.html",
        {
            "form": form,
            "base": base,
            "area": area,
            "as_of": as_of,
            "is_today": as_of == timezone.localdate(),
            "table": table,
            "gaps": gaps,
            "growth": growth,
            "growth_charts": growth_charts if growth else [],
            "coverage_chart": _coverage_charts(table),
            "counties": list(_counties_in(base).values_list("code", "name"))
            if base is not None and base.level != Division.Level.COUNTY
            else [],
            "query": urlencode(params),
            "needs_export_job": needs_export_job(area),
        },
    )


@civil_affairs_required
@require_safe
def export_coverage(request):
    """The coverage workbook (xlsx) or its detail sheet (csv) for the dashboard's view."""
    scope = _export_scope(request)
    if scope is None:
        return redirect(reverse("stations:coverage"))
    area, as_of = scope
    area_name = area.name if area is not None else _("all divisions")
    kind = query_text(request, "format", default="xlsx")
    if kind != "csv" and needs_export_job(area):
        messages.info(
            request, _("This workbook is large: prepare it in the background with the button.")
        )
        return redirect(reverse("stations:coverage") + "?" + request.GET.urlencode())
    # A temporary file keeps memory flat however many townships there are.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    if kind == "csv":
        sheets.write_coverage_csv(output, area=area, on=as_of)
        content_type = "text/csv; charset=utf-8"
    else:
        kind = "xlsx"
        sheets.write_coverage_workbook(
            output,
            area=area,
            on=as_of,
            staff_of=stations_with_visible_staff(request.user),
            generated_by=request.user,
        )
        content_type = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    output.seek(0)
    filename = f"社工站覆盖率-{area_name}-{as_of.isoformat()}.{kind}"
    return FileResponse(output, as_attachment=True, filename=filename, content_type=content_type)


def needs_export_job(area):
    """A workbook larger than a city's is built by the worker, not inside the request."""
    return area is None or area.level == Division.Level.PROVINCE


@civil_affairs_required
@require_POST
def start_coverage_export(request):
    """Have the worker build the coverage workbook of the dashboard's view; go to the job."""
    scope = _export_scope(request)
    if scope is None:
        return redirect(reverse("stations:coverage"))
    area, as_of = scope
    job = export_job_start(
        export=exports.coverage_workbook,
        actor=request.user,
        area=area.pk if area is not None else None,
        on=as_of.isoformat(),
    )
    return redirect("association:export-job", pk=job.pk)


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def create_station(request):
    form = StationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            station = station_save(station=form.save(commit=False), actor=request.user)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The station “%(name)s” is saved.") % {"name": station})
            return redirect("stations:station-edit", pk=station.pk)
    return render(request, "stations/station_form.html", {"form": form, "station": None})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_station(request, pk):
    station = get_object_or_404(Station.objects.select_related("township__parent"), pk=pk)
    form = StationForm(request.POST or None, instance=station)
    formset = StaffFormSet(request.POST or None, instance=station, prefix="staff")
    if request.method == "POST" and form.is_valid() and formset.is_valid():
        try:
            station_save(station=form.save(commit=False), actor=request.user, staff_formset=formset)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("The station “%(name)s” is saved.") % {"name": station})
            return redirect("stations:station", pk=station.pk)
    return render(
        request,
        "stations/station_form.html",
        {
            "form": form,
            "formset": formset,
            "station": station,
            "photos": station.photos.all(),
            "photo_form": PhotoForm(),
        },
    )


@secretariat_required
@require_POST
def add_station_photo(request, pk):
    station = get_object_or_404(Station, pk=pk)
    form = PhotoForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            station_photo_add(
                station=station,
                upload=form.cleaned_data["image"],
                actor=request.user,
                caption=form.cleaned_data["caption"],
            )
        except ValidationError as error:
            for message in error.messages:
                messages.error(request, message)
        else:
            messages.success(request, _("The photo is added."))
    else:
        for errors in form.errors.values():
            for message in errors:
                messages.error(request, message)
    return redirect("stations:station-edit", pk=station.pk)


@secretariat_required
@require_POST
def delete_station_photo(request, pk, photo_pk):
    photo = get_object_or_404(StationPhoto, pk=photo_pk, station_id=pk)
    station_photo_delete(photo=photo, actor=request.user)
    messages.success(request, _("The photo is deleted."))
    return redirect("stations:station-edit", pk=pk)
