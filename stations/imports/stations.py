"""The import of stations (the 明细 sheet's columns) and their resident social workers
(the 驻站社工 sheet's), from the coverage workbook or a csv of either sheet."""

from django.core.exceptions import NON_FIELD_ERRORS
from django.db import transaction
from django.utils.translation import gettext as _

from common.spreadsheets import (
    CellError,
    ImportReport,
    SpreadsheetError,
    TableFile,
    cell_text,
    parse_choice,
    parse_date,
    parse_decimal,
    row_ranges,
)
from members.models import Member

from .. import sheets
from ..models import Division, Staff, Station
from .rows import (
    NAME_COLUMNS,
    change_of,
    checked,
    names_agree,
    note_station_names,
    snapshot,
    station_name_differs,
    township_code_cell,
    township_code_or_none,
)
from .unread import UNREAD_COLUMNS, as_of, note_unread_edits

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
LEAVES_BEFORE_ARRIVING = next(
    constraint
    for constraint in Staff._meta.constraints
    if constraint.name == "staff_leaves_after_arriving"
)
STAFF_FIELDS = ["role", "qualification", "certificate_number", "since_on", "until_on"]
# What an update writes (the fields of STATION_FIELDS by name).
STATION_UPDATE_FIELDS = [name.removesuffix("_id") for name in STATION_FIELDS]
BATCH = 2000


def unit_members_by_name(names):
    """{name: unit member} for the names given; of two members of one name, the first."""
    members = {}
    queryset = Member.objects.filter(kind=Member.Kind.UNIT, name__in=names).order_by("pk")
    for member in queryset:
        members.setdefault(member.name, member)
    return members


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
                optional=[*sheets.STATION_OPTIONAL, *NAME_COLUMNS, *UNREAD_COLUMNS],
            )
        if source.has_sheet(sheets.STAFF_SHEET):
            staff = source.read(
                sheet=sheets.STAFF_SHEET,
                required=sheets.STAFF_REQUIRED,
                optional=[*sheets.STAFF_OPTIONAL, *NAME_COLUMNS],
            )
        return stations, staff
    # A csv, or a workbook with one sheet of either kind: the header tells which.
    if sheets.NAME in source.header():
        return None, source.read(
            required=sheets.STAFF_REQUIRED, optional=[*sheets.STAFF_OPTIONAL, *NAME_COLUMNS]
        )
    return source.read(
        required=sheets.STATION_REQUIRED,
        optional=[*sheets.STATION_OPTIONAL, *NAME_COLUMNS, *UNREAD_COLUMNS],
    ), None


def stations_import(*, file, actor, dry_run=False, encoding=None):
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
            on = as_of(source)
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    planned, refused = {}, {}
    if station_table:
        planned, refused = _plan_stations(station_table, report)
        note_unread_edits(report, station_table, on=on)
    staff_plan = _plan_staff(staff_table, planned, refused, report) if staff_table else []
    if report.errors or dry_run:
        return report
    with transaction.atomic():
        _write(Station, planned.values(), STATION_UPDATE_FIELDS)
        # New staff of new stations take their station's id now that it has one.
        _write(Staff, staff_plan, STAFF_FIELDS)
    return report


def _write(model, plan, fields):
    """Create and update the planned records of `model` in bulk."""
    new = [record for record, action in plan if action == "create"]
    changed = [record for record, action in plan if action == "update"]
    model.objects.bulk_create(new, batch_size=BATCH)
    model.objects.bulk_update(changed, fields, batch_size=BATCH)


def _plan_stations(table, report):
    """{township code: (station, action)} for every row naming a station, and {township
    code: row number} of the station rows in error; errors reported."""
    report.reading(table)
    codes = {}
    for row in table.rows:
        code = township_code_cell(report, row)
        if code:
            codes.setdefault(code, row.number)
    townships = {
        township.code: township
        for township in Division.objects.townships()
        .filter(code__in=codes)
        .select_related("parent", "station__operator")
    }
    operator_names = set()
    if table.has_column(sheets.OPERATOR):
        operator_names = {cell_text(row[sheets.OPERATOR]) for row in table.rows}
    members = unit_members_by_name(operator_names - {""})
    planned = {}
    refused = {}
    seen = {}
    for row in table.rows:
        code = township_code_or_none(row)
        if code is None:
            continue
        _plan_station(row, code, table, townships, members, seen, planned, report)
        if report.row_failed(row.number):
            refused.setdefault(code, (table.sheet, row.number))
    for code in planned:
        refused.pop(code, None)
    return planned, refused


def _plan_station(row, code, table, townships, members, seen, planned, report):
    """Plan the station of one row into `planned`, or report why not."""
    if code in seen:
        report.error(
            row.number,
            sheets.TOWNSHIP_CODE,
            _("A second station for the township %(code)s (the first is in row %(row)s).")
            % {"code": code, "row": seen[code]},
        )
        return
    seen[code] = row.number
    township = townships.get(code)
    if township is None:
        report.error(
            row.number,
            sheets.TOWNSHIP_CODE,
            _("There is no township with the code %(code)s.") % {"code": code},
        )
        return
    if not names_agree(report, row, township):
        # The station would land on another township than the clerk meant.
        return
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
        return
    station = existing or Station(township=township)
    before = snapshot(station, STATION_FIELDS) if existing else None
    station.name = name
    _fill_station(station, row, table, members, report)
    if report.row_failed(row.number):
        # A cell could not be read: the model's checks would only repeat it.
        return
    # The township and the operator come from the database, and a township is once in the
    # file (`seen`): what full_clean's queries would check, for each of 40,000 rows.
    if not checked(
        report,
        row.number,
        station,
        STATION_FIELD_COLUMNS,
        sheets.STATION,
        exclude=["township", "operator"],
    ):
        return
    action = change_of(station, before=before, fields=STATION_FIELDS)
    report.count(row.number, action, f"{code} {name}", kind=_("stations"))
    planned[code] = (station, action)


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
    if table.has_column(sheets.OPERATOR):
        operator = cell_text(row[sheets.OPERATOR])
        member = members.get(operator)
        station.operator = member
        station.operator_name = "" if member else operator
    if table.has_column(sheets.ADDRESS):
        station.address = cell_text(row[sheets.ADDRESS])
    # Optional columns: a file without one leaves that field as it is.
    for column, field, parser, options in [
        (sheets.OPENED_ON, "opened_on", parse_date, {}),
        (sheets.SITE_AREA, "site_area", parse_decimal, {"places": 1}),
        (sheets.FUNDING, "annual_funding", parse_decimal, {}),
        (sheets.TIER, "demonstration_tier", parse_choice, {"choices": sheets.TIER_CHOICES}),
    ]:
        if table.has_column(column):
            ok, value = parsed(column, parser, **options)
            if ok:
                setattr(station, field, value)
    # An empty tier cell means no demonstration tier.
    station.demonstration_tier = station.demonstration_tier or Station.Tier.NONE


def _plan_staff(table, planned, refused, report):
    """[(staff, action)] for every staff row; errors reported. The rows of a station whose
    own row is in error (`refused`: {code: (sheet, row)}) are noted once per station, not each."""
    report.reading(table)
    codes = {code for code in (township_code_or_none(row) for row in table.rows) if code}
    stations = {code: station for code, (station, _action) in planned.items()}
    for station in Station.objects.filter(township__code__in=codes - set(stations)).select_related(
        "township__parent"
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
    following = {}
    renamed = []
    for row in table.rows:
        code = township_code_cell(report, row)
        if code in refused:
            following.setdefault(code, []).append(row.number)
            continue
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
        if not names_agree(report, row, station.township):
            continue
        # A station of 明细 in this file may be renamed there: its staff rows keep the old name.
        if code not in planned and station_name_differs(row, station):
            renamed.append(row.number)
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
        before = snapshot(staff, STAFF_FIELDS) if existing else None
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
        if report.row_failed(row.number):
            continue
        if staff.until_on and staff.since_on and staff.until_on < staff.since_on:
            report.error(row.number, sheets.UNTIL, LEAVES_BEFORE_ARRIVING.violation_error_message)
            continue
        # The station may be new (no primary key yet); a name is once per station (`seen`,
        # `known`), the one other constraint.
        if not checked(
            report, row.number, staff, STAFF_FIELD_COLUMNS, sheets.NAME, exclude=["station"]
        ):
            continue
        action = change_of(staff, before=before, fields=STAFF_FIELDS)
        report.count(
            row.number, action, f"{station.name} {name}", kind=_("resident social workers")
        )
        plan.append((staff, action))
    note_station_names(report, renamed)
    for code, rows in following.items():
        report.note(
            None,
            "",
            _(
                "The resident social workers in rows %(rows)s are not imported, with their "
                "station (%(sheet)s, row %(row)s)."
            )
            % {"rows": row_ranges(rows), "sheet": refused[code][0], "row": refused[code][1]},
        )
    return plan
