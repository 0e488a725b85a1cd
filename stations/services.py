"""Writes that touch several rows or models: imports, a station with its staff, photos.

Every import reads the whole file, checks every row, and writes nothing unless no row has an
error (and nothing at all on a dry run); the ImportReport lists the errors per row and column
and what the import did or would do. Views, admin pages and commands all call these.
"""

import unicodedata
from dataclasses import dataclass

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import (
    CellError,
    ImportReport,
    SpreadsheetError,
    TableFile,
    cell_text,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
)
from common.uploads import clean_image, thumbnail
from members.models import Member

from . import sheets
from .models import Division, ServiceRecord, Staff, Station, StationPhoto

# Divisions -------------------------------------------------------------------------------

DIVISION_COLUMNS = ["code", "name", "level", "parent_code"]
COUNTS_COLUMN = "counts_toward_coverage"
LEVEL_ORDER = [
    Division.Level.PROVINCE,
    Division.Level.CITY,
    Division.Level.COUNTY,
    Division.Level.TOWNSHIP,
]
LEVEL_DIGITS = {
    Division.Level.PROVINCE: 2,
    Division.Level.CITY: 4,
    Division.Level.COUNTY: 6,
    Division.Level.TOWNSHIP: 9,
}
PARENT_LEVEL = {
    Division.Level.CITY: Division.Level.PROVINCE,
    Division.Level.COUNTY: Division.Level.CITY,
    Division.Level.TOWNSHIP: Division.Level.COUNTY,
}
LEVEL_CHOICES = {
    **{level.value: level for level in Division.Level},
    "省": Division.Level.PROVINCE,
    "省级": Division.Level.PROVINCE,
    "地级": Division.Level.CITY,
    "市级": Division.Level.CITY,
    "县级": Division.Level.COUNTY,
    "乡级": Division.Level.TOWNSHIP,
    "乡镇": Division.Level.TOWNSHIP,
    "乡镇级": Division.Level.TOWNSHIP,
}
BATCH = 2000


def township_counts_by_default(code):
    """Whether a new township counts toward coverage, from its statistical code.

    Digits 7-9 from 400 to 599 mark quasi-township units (development zones, farms), which
    civil affairs do not count; 001-399 are streets, towns and townships. Editable later.
    """
    return not 400 <= int(code[6:9]) <= 599


def normalise_code(value, level):
    """The code of a division of `level` (2, 4, 6 or 9 digits); 12-digit forms are cut."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        raise CellError(_("This cell must not be empty."))
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a code: codes are digits.") % {"value": text})
    digits = LEVEL_DIGITS[level]
    if len(text) == 12 and digits < 12 and set(text[digits:]) == {"0"}:
        text = text[:digits]
    if len(text) != digits:
        raise CellError(
            _("A code of the level “%(level)s” has %(digits)s digits (or 12 ending in zeros).")
            % {"level": Division.Level(level).label, "digits": digits}
        )
    return text


def township_code(value):
    return normalise_code(value, Division.Level.TOWNSHIP)


@dataclass
class _DivisionRow:
    number: int
    code: str
    name: str
    level: str
    parent_code: str
    counts: bool | None


def _division_rows(table, report):
    rows = []
    first_row = {}
    has_counts = table.has_column(COUNTS_COLUMN)
    for row in table.rows:
        errors = len(report.errors)
        level = code = parent_code = None
        try:
            level = parse_choice(row["level"], LEVEL_CHOICES, required=True)
        except CellError as error:
            report.error(row.number, "level", error.message)
        name = cell_text(row["name"])
        if not name:
            report.error(row.number, "name", _("This cell must not be empty."))
        elif len(name) > 100:
            report.error(row.number, "name", _("The name is longer than 100 characters."))
        counts = None
        if has_counts:
            try:
                counts = parse_bool(row[COUNTS_COLUMN])
            except CellError as error:
                report.error(row.number, COUNTS_COLUMN, error.message)
        if level is not None:
            try:
                code = normalise_code(row["code"], level)
            except CellError as error:
                report.error(row.number, "code", error.message)
            parent_text = cell_text(row["parent_code"])
            if level == Division.Level.PROVINCE:
                if parent_text:
                    report.error(row.number, "parent_code", _("A province has no parent."))
                parent_code = ""
            else:
                try:
                    parent_code = normalise_code(row["parent_code"], PARENT_LEVEL[level])
                except CellError as error:
                    report.error(row.number, "parent_code", error.message)
                else:
                    if code and not code.startswith(parent_code):
                        report.error(
                            row.number,
                            "parent_code",
                            _("The parent's code must be the start of the code %(code)s.")
                            % {"code": code},
                        )
        if code:
            if code in first_row:
                report.error(
                    row.number,
                    "code",
                    _("The code %(code)s is already in row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            else:
                first_row[code] = row.number
        if len(report.errors) == errors:
            rows.append(_DivisionRow(row.number, code, name, level, parent_code, counts))
    return rows


def divisions_import(*, file, dry_run=False, encoding=None):
    """Import administrative divisions (header code,name,level,parent_code) from csv or xlsx.

    Idempotent: a division is found by its code; a re-import updates names and parents and
    never duplicates. Parents may come after their children in the file. A city may arrive
    without its province (a city's own file); it is linked when the province is imported.
    The optional column counts_toward_coverage (是/否) sets the coverage flag; without it,
    existing divisions keep theirs and new townships get township_counts_by_default().
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with TableFile(file, encoding=encoding) as source:
            table = source.read(required=DIVISION_COLUMNS, optional=[COUNTS_COLUMN])
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    rows = _division_rows(table, report)
    existing = {
        code: (pk, name, parent_id, counts)
        for code, pk, name, parent_id, counts in Division.objects.values_list(
            "code", "id", "name", "parent_id", "counts_toward_coverage"
        ).iterator(chunk_size=5000)
    }
    in_file = {row.code for row in rows}
    for row in rows:
        missing = row.parent_code not in in_file and row.parent_code not in existing
        # A city may come without its province: a city's own file (see the docstring).
        if row.parent_code and missing and row.level != Division.Level.CITY:
            report.error(
                row.number,
                "parent_code",
                _("The parent %(code)s is neither in this file nor in the database.")
                % {"code": row.parent_code},
            )
    if report.errors:
        return report
    with transaction.atomic():
        _write_divisions(rows, existing, report, dry_run=dry_run)
    return report


def _write_divisions(rows, existing, report, *, dry_run):
    in_file = {row.code for row in rows}
    id_by_code = {code: values[0] for code, values in existing.items()}
    by_level = {level: [] for level in LEVEL_ORDER}
    for row in rows:
        by_level[row.level].append(row)
    for level in LEVEL_ORDER:
        pending = []
        for row in by_level[level]:
            old = existing.get(row.code)
            if not row.parent_code:
                parent_id = None
            elif row.parent_code in id_by_code:
                parent_id = id_by_code[row.parent_code]
            elif row.parent_code in in_file:
                # Only on a dry run: the parent would be created; no id yet.
                parent_id = f"new:{row.parent_code}"
            else:
                # A city whose province is not there: keep the parent it may already have.
                parent_id = old[2] if old else None
            if row.counts is not None:
                counts = row.counts
            elif old is not None:
                counts = old[3]
            else:
                counts = level != Division.Level.TOWNSHIP or township_counts_by_default(row.code)
            if old is None:
                action = "create"
            elif (old[1], old[2], old[3]) == (row.name, parent_id, counts):
                action = "unchanged"
            else:
                action = "update"
            report.count(row.number, action, f"{row.code} {row.name}")
            if action != "unchanged" and not dry_run:
                pending.append(
                    Division(
                        code=row.code,
                        name=row.name,
                        level=level,
                        parent_id=parent_id,
                        counts_toward_coverage=counts,
                    )
                )
        if pending:
            Division.objects.bulk_create(
                pending,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "parent", "counts_toward_coverage"],
            )
            missing = [division.code for division in pending if division.pk is None]
            id_by_code.update({division.code: division.pk for division in pending})
            if missing:
                id_by_code.update(
                    Division.objects.filter(code__in=missing).values_list("code", "id")
                )
    if not dry_run:
        _link_orphan_cities()


def _link_orphan_cities():
    provinces = dict(
        Division.objects.filter(level=Division.Level.PROVINCE).values_list("code", "id")
    )
    for city in Division.objects.filter(level=Division.Level.CITY, parent__isnull=True):
        if city.code[:2] in provinces:
            city.parent_id = provinces[city.code[:2]]
            city.save(update_fields=["parent"])


# Stations and staff ------------------------------------------------------------------------

STATION_FIELD_COLUMNS = {
    "name": sheets.STATION,
    "status": sheets.STATUS,
    "opened_on": sheets.OPENED_ON,
    "operator": sheets.OPERATOR,
    "operator_name": sheets.OPERATOR,
    "address": sheets.ADDRESS,
    "site_area": sheets.SITE_AREA,
    "annual_funding": sheets.FUNDING,
    "demonstration_tier": sheets.TIER,
    "township": sheets.TOWNSHIP_CODE,
}
STATION_FIELDS = [
    "name",
    "status",
    "opened_on",
    "operator_id",
    "operator_name",
    "address",
    "site_area",
    "annual_funding",
    "demonstration_tier",
]
STAFF_FIELD_COLUMNS = {
    "name": sheets.NAME,
    "role": sheets.ROLE,
    "qualification": sheets.QUALIFICATION,
    "certificate_number": sheets.CERTIFICATE,
    "since_on": sheets.SINCE,
    "until_on": sheets.UNTIL,
    # The one check across fields: the leaving date after the arrival date.
    NON_FIELD_ERRORS: sheets.UNTIL,
}
STAFF_FIELDS = ["role", "qualification", "certificate_number", "since_on", "until_on"]
RECORD_FIELD_COLUMNS = {
    "month": sheets.MONTH,
    "casework_cases": sheets.CASES,
    "group_sessions": sheets.GROUPS,
    "community_activities": sheets.ACTIVITIES,
    "people_served": sheets.PEOPLE_SERVED,
    "volunteers": sheets.VOLUNTEERS,
    "funds_linked": sheets.FUNDS,
}
RECORD_FIGURES = [
    ("casework_cases", sheets.CASES),
    ("group_sessions", sheets.GROUPS),
    ("community_activities", sheets.ACTIVITIES),
    ("people_served", sheets.PEOPLE_SERVED),
    ("volunteers", sheets.VOLUNTEERS),
]


def _report_validation(report, row, error, columns, default_column):
    """Model validation errors under their columns; a constraint that repeats a field's
    message (the model's clean() says it more precisely) is reported once."""
    by_field = error.message_dict
    said = {
        message
        for field, messages in by_field.items()
        if field != NON_FIELD_ERRORS
        for message in messages
    }
    for field, messages in by_field.items():
        for message in messages:
            if field == NON_FIELD_ERRORS and message in said:
                continue
            report.error(row, columns.get(field, default_column), message)


def _snapshot(instance, fields):
    return tuple(getattr(instance, name) for name in fields)


def _township_code_cell(report, row):
    try:
        return township_code(row[sheets.TOWNSHIP_CODE])
    except CellError as error:
        report.error(row.number, sheets.TOWNSHIP_CODE, error.message)
        return None


def _read_station_tables(source):
    """The station table and the staff table of a workbook or csv (either may be None)."""
    if source.is_workbook and (
        source.has_sheet(sheets.DETAIL_SHEET) or source.has_sheet(sheets.STAFF_SHEET)
    ):
        stations = staff = None
        if source.has_sheet(sheets.DETAIL_SHEET):
            stations = source.read(
                sheet=sheets.DETAIL_SHEET,
                required=sheets.STATION_REQUIRED,
                optional=sheets.STATION_OPTIONAL,
            )
        if source.has_sheet(sheets.STAFF_SHEET):
            staff = source.read(
                sheet=sheets.STAFF_SHEET,
                required=sheets.STAFF_REQUIRED,
                optional=sheets.STAFF_OPTIONAL,
            )
        return stations, staff
    # A csv, or a workbook with one sheet of either kind: the header tells which.
    if sheets.NAME in source.header():
        return None, source.read(required=sheets.STAFF_REQUIRED, optional=sheets.STAFF_OPTIONAL)
    return source.read(required=sheets.STATION_REQUIRED, optional=sheets.STATION_OPTIONAL), None


def _unit_members_by_name(names):
    members = {}
    queryset = Member.objects.filter(kind=Member.Kind.UNIT, name__in=names).order_by("pk")
    for member in queryset:
        members.setdefault(member.name, member)
    return members


def stations_import(*, file, dry_run=False, encoding=None):
    """Import stations (the 明细 sheet's columns) and their staff (the 驻站社工 sheet's).

    A station is found by its township code and updated, or created; 未建 (or an empty
    station name) means the township has no station. A staff member is found by station and
    name, and updated or created; staff missing from the file are left as they are (set a
    leaving date to end someone's service). An operating organisation whose name is a unit
    member's is linked to that member, otherwise kept as free text.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with TableFile(file, encoding=encoding) as source:
            station_table, staff_table = _read_station_tables(source)
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    planned = _plan_stations(station_table, report) if station_table else {}
    staff_plan = _plan_staff(staff_table, planned, report) if staff_table else []
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for station, action in planned.values():
            if action != "unchanged":
                station.save()
        for staff, action in staff_plan:
            if action != "unchanged":
                staff.save()
    return report


def _plan_stations(table, report):
    """{township code: (station, action)} for every row naming a station; errors reported."""
    codes = {}
    for row in table.rows:
        code = _township_code_cell(report, row)
        if code:
            codes.setdefault(code, row.number)
    townships = {
        township.code: township
        for township in Division.objects.townships()
        .filter(code__in=codes)
        .select_related("station__operator")
    }
    operator_names = set()
    if table.has_column(sheets.OPERATOR):
        operator_names = {cell_text(row[sheets.OPERATOR]) for row in table.rows}
    members = _unit_members_by_name(operator_names - {""})
    planned = {}
    seen = {}
    for row in table.rows:
        code = township_code_or_none(row)
        if code is None:
            continue
        if code in seen:
            report.error(
                row.number,
                sheets.TOWNSHIP_CODE,
                _("A second station for the township %(code)s (the first is in row %(row)s).")
                % {"code": code, "row": seen[code]},
            )
            continue
        seen[code] = row.number
        township = townships.get(code)
        if township is None:
            report.error(
                row.number,
                sheets.TOWNSHIP_CODE,
                _("There is no township with the code %(code)s.") % {"code": code},
            )
            continue
        existing = getattr(township, "station", None) if _has_station(township) else None
        name = cell_text(row[sheets.STATION])
        if name in ("", sheets.NOT_BUILT):
            if existing is not None:
                report.error(
                    row.number,
                    sheets.STATION,
                    _(
                        "The township already has the station “%(station)s”; an import cannot "
                        "remove a station (the secretariat can, in the back office)."
                    )
                    % {"station": existing.name},
                )
            continue
        station = existing or Station(township=township)
        before = _snapshot(station, STATION_FIELDS) if existing else None
        station.name = name
        errors = len(report.errors)
        _fill_station(station, row, table, members, report)
        if len(report.errors) > errors:
            # A cell could not be read: the model's checks would only repeat it.
            continue
        try:
            station.full_clean()
        except ValidationError as error:
            _report_validation(report, row.number, error, STATION_FIELD_COLUMNS, sheets.STATION)
            continue
        if existing is None:
            action = "create"
        else:
            action = "unchanged" if _snapshot(station, STATION_FIELDS) == before else "update"
        report.count(row.number, action, f"{code} {name}", kind=_("stations"))
        planned[code] = (station, action)
    return planned


def township_code_or_none(row):
    try:
        return township_code(row[sheets.TOWNSHIP_CODE])
    except CellError:
        return None


def _has_station(township):
    try:
        township.station  # noqa: B018 - the reverse one-to-one raises when there is none
    except Station.DoesNotExist:
        return False
    return True


def _fill_station(station, row, table, members, report):
    def parsed(column, parser, **options):
        try:
            return True, parser(row[column], **options)
        except CellError as error:
            report.error(row.number, column, error.message)
            return False, None

    ok, status = parsed(sheets.STATUS, parse_choice, choices=sheets.STATUS_CHOICES, required=True)
    if ok:
        station.status = status
    if table.has_column(sheets.OPENED_ON):
        ok, opened_on = parsed(sheets.OPENED_ON, parse_date)
        if ok:
            station.opened_on = opened_on
    if table.has_column(sheets.OPERATOR):
        operator = cell_text(row[sheets.OPERATOR])
        member = members.get(operator)
        station.operator = member
        station.operator_name = "" if member else operator
    if table.has_column(sheets.ADDRESS):
        station.address = cell_text(row[sheets.ADDRESS])
    if table.has_column(sheets.SITE_AREA):
        ok, area = parsed(sheets.SITE_AREA, parse_decimal, places=1)
        if ok:
            station.site_area = area
    if table.has_column(sheets.FUNDING):
        ok, funding = parsed(sheets.FUNDING, parse_decimal)
        if ok:
            station.annual_funding = funding
    if table.has_column(sheets.TIER):
        ok, tier = parsed(sheets.TIER, parse_choice, choices=sheets.TIER_CHOICES)
        if ok:
            station.demonstration_tier = tier or Station.Tier.NONE


def _plan_staff(table, planned, report):
    """[(staff, action)] for every staff row; errors reported."""
    codes = {code for code in (township_code_or_none(row) for row in table.rows) if code}
    stations = {code: station for code, (station, _action) in planned.items()}
    for station in Station.objects.filter(township__code__in=codes - set(stations)).select_related(
        "township"
    ):
        stations[station.township.code] = station
    known = {
        (staff.station_id, staff.name): staff
        for staff in Staff.objects.filter(
            station__in=[station for station in stations.values() if station.pk]
        )
    }
    plan = []
    seen = {}
    for row in table.rows:
        code = _township_code_cell(report, row)
        name = cell_text(row[sheets.NAME])
        if not name:
            report.error(row.number, sheets.NAME, _("This cell must not be empty."))
        if code is None or not name:
            continue
        station = stations.get(code)
        if station is None:
            report.error(
                row.number,
                sheets.TOWNSHIP_CODE,
                _("The township %(code)s has no station, neither in the registry nor in this file.")
                % {"code": code},
            )
            continue
        if (code, name) in seen:
            report.error(
                row.number,
                sheets.NAME,
                _("%(name)s is already listed for this station in row %(row)s.")
                % {"name": name, "row": seen[(code, name)]},
            )
            continue
        seen[(code, name)] = row.number
        existing = known.get((station.pk, name)) if station.pk else None
        staff = existing or Staff(station=station, name=name)
        before = _snapshot(staff, STAFF_FIELDS) if existing else None
        errors = len(report.errors)
        for column, field, parser, options in [
            (sheets.ROLE, "role", parse_choice, {"choices": sheets.ROLE_CHOICES, "required": True}),
            (
                sheets.QUALIFICATION,
                "qualification",
                parse_choice,
                {"choices": sheets.QUALIFICATION_CHOICES, "required": True},
            ),
            (sheets.SINCE, "since_on", parse_date, {"required": True}),
        ]:
            try:
                setattr(staff, field, parser(row[column], **options))
            except CellError as error:
                report.error(row.number, column, error.message)
        if table.has_column(sheets.CERTIFICATE):
            staff.certificate_number = cell_text(row[sheets.CERTIFICATE])
        if table.has_column(sheets.UNTIL):
            try:
                staff.until_on = parse_date(row[sheets.UNTIL])
            except CellError as error:
                report.error(row.number, sheets.UNTIL, error.message)
        if len(report.errors) > errors:
            continue
        try:
            # The station may be new (no primary key yet); its uniqueness is checked above.
            staff.full_clean(exclude=["station"])
        except ValidationError as error:
            _report_validation(report, row.number, error, STAFF_FIELD_COLUMNS, sheets.NAME)
            continue
        if existing is None:
            action = "create"
        else:
            action = "unchanged" if _snapshot(staff, STAFF_FIELDS) == before else "update"
        report.count(
            row.number, action, f"{station.name} {name}", kind=_("resident social workers")
        )
        plan.append((staff, action))
    return plan


# Service records ----------------------------------------------------------------------------


def service_records_import(*, file, dry_run=False, encoding=None):
    """Import monthly service records (the 服务记录 sheet's columns) from csv or xlsx.

    A record is found by township code and month, and updated or created. Figures must be
    whole numbers (funds: yuan) and not negative; a month cannot be in the future.
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with TableFile(file, encoding=encoding) as source:
            table = source.read(
                sheet=sheets.RECORDS_SHEET,
                required=sheets.RECORD_REQUIRED,
                optional=sheets.RECORD_OPTIONAL,
            )
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    codes = {code for code in (township_code_or_none(row) for row in table.rows) if code}
    stations = {
        station.township.code: station
        for station in Station.objects.filter(township__code__in=codes).select_related("township")
    }
    known = {
        (record.station_id, record.month): record
        for record in ServiceRecord.objects.filter(station__in=stations.values())
    }
    plan = []
    seen = {}
    today = timezone.localdate()
    for row in table.rows:
        errors = len(report.errors)
        code = _township_code_cell(report, row)
        try:
            month = parse_month(row[sheets.MONTH], required=True)
        except CellError as error:
            report.error(row.number, sheets.MONTH, error.message)
            month = None
        if month and month > today:
            report.error(
                row.number, sheets.MONTH, _("A service record cannot be for a future month.")
            )
        station = stations.get(code) if code else None
        if code and station is None:
            report.error(
                row.number,
                sheets.TOWNSHIP_CODE,
                _("The township %(code)s has no station in the registry.") % {"code": code},
            )
        if station and month:
            if (code, month) in seen:
                report.error(
                    row.number,
                    sheets.MONTH,
                    _("The record for %(code)s in %(month)s is already in row %(row)s.")
                    % {"code": code, "month": f"{month:%Y-%m}", "row": seen[(code, month)]},
                )
            seen.setdefault((code, month), row.number)
        figures = {}
        for field, column in RECORD_FIGURES:
            if table.has_column(column):
                try:
                    figures[field] = parse_int(row[column], minimum=0) or 0
                except CellError as error:
                    report.error(row.number, column, error.message)
        if table.has_column(sheets.FUNDS):
            try:
                figures["funds_linked"] = parse_decimal(row[sheets.FUNDS], minimum=0) or 0
            except CellError as error:
                report.error(row.number, sheets.FUNDS, error.message)
        if len(report.errors) > errors:
            continue
        existing = known.get((station.pk, month))
        record = existing or ServiceRecord(station=station, month=month)
        before = _snapshot(record, list(figures)) if existing else None
        for field, value in figures.items():
            setattr(record, field, value)
        try:
            record.full_clean(validate_unique=existing is None)
        except ValidationError as error:
            _report_validation(report, row.number, error, RECORD_FIELD_COLUMNS, sheets.MONTH)
            continue
        if existing is None:
            action = "create"
        else:
            action = "unchanged" if _snapshot(record, list(figures)) == before else "update"
        report.count(row.number, action, f"{station.name} {month:%Y-%m}")
        plan.append((record, action))
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        for record, action in plan:
            if action != "unchanged":
                record.save()
    return report


# Stations edited on the secretariat's pages ------------------------------------------------


@transaction.atomic
def station_save(*, station, staff_formset=None):
    """Save a station (validated) and, when given, the staff formset edited with it."""
    station.full_clean()
    station.save()
    if staff_formset is not None:
        staff_formset.instance = station
        staff_formset.save()
    return station


@transaction.atomic
def station_photo_add(*, station, upload, caption=""):
    """Validate and re-encode an uploaded photo, and store it with a thumbnail."""
    image = clean_image(upload)
    small = thumbnail(image)
    photo = StationPhoto(station=station, caption=caption)
    photo.image.save(image.name, image, save=False)
    photo.thumbnail.save(small.name, small, save=False)
    photo.full_clean()
    photo.save()
    return photo


@transaction.atomic
def station_photo_delete(*, photo):
    """Delete a photo and its files."""
    files = [photo.image, photo.thumbnail]
    photo.delete()
    for file in files:
        if file:
            file.delete(save=False)


@transaction.atomic
def operators_link(*, stations=None):
    """Link free-text operating organisations to the unit members of the same name.

    The station demo runs before the members demo; this links them once members exist.
    Returns the number of stations linked.
    """
    stations = (
        (stations if stations is not None else Station.objects.all())
        .filter(operator__isnull=True)
        .exclude(operator_name="")
    )
    members = _unit_members_by_name({station.operator_name for station in stations})
    linked = 0
    for station in stations:
        member = members.get(station.operator_name)
        if member is not None:
            station.operator = member
            station.operator_name = ""
            station.save(update_fields=["operator", "operator_name", "updated_at"])
            linked += 1
    return linked
