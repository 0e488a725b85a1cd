"""The import of monthly service records (the 服务记录 sheet's columns)."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import (
    CellError,
    ImportReport,
    SpreadsheetError,
    TableFile,
    parse_decimal,
    parse_int,
    parse_month,
)

from .. import sheets
from ..models import ServiceRecord, Station
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

RECORD_FIELD_COLUMNS = {"month": sheets.MONTH, **sheets.FIGURE_HEADERS}
BATCH = 2000


def service_records_import(*, file, actor, dry_run=False, encoding=None):
    """Import monthly service records (the 服务记录 sheet's columns) from csv or xlsx.

    A record is found by township code and month, and updated or created. Figures must be
    whole numbers (funds: yuan) and not negative; a month cannot be in the future.

    Every row is checked in Python against what is loaded at once (stations, the records
    they have), and the records are written in bulk, so 100,000 rows take seconds
    (bench/service_records_import.py).
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with TableFile(file, encoding=encoding) as source:
            table = source.read(
                sheet=sheets.RECORDS_SHEET,
                required=sheets.RECORD_REQUIRED,
                optional=[*sheets.RECORD_OPTIONAL, *NAME_COLUMNS],
            )
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    report.reading(table)
    codes = {code for code in (township_code_or_none(row) for row in table.rows) if code}
    stations = {
        station.township.code: station
        for station in Station.objects.filter(township__code__in=codes).select_related(
            "township__parent"
        )
    }
    known = {
        (record.station_id, record.month): record
        for record in ServiceRecord.objects.filter(station__in=stations.values())
    }
    plan = []
    seen = {}
    renamed = []
    today = timezone.localdate()
    for row in table.rows:
        errors = len(report.errors)
        code = township_code_cell(report, row)
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
        if station and not names_agree(report, row, station.township):
            continue
        if station and station_name_differs(row, station):
            renamed.append(row.number)
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
        for field in ServiceRecord.FIGURES:
            column = sheets.FIGURE_HEADERS[field]
            if table.has_column(column):
                parse = parse_decimal if sheets.is_money(field) else parse_int
                try:
                    figures[field] = parse(row[column], minimum=0) or 0
                except CellError as error:
                    report.error(row.number, column, error.message)
        if len(report.errors) > errors:
            continue
        existing = known.get((station.pk, month))
        record = existing or ServiceRecord(station=station, month=month)
        before = snapshot(record, list(figures)) if existing else None
        for field, value in figures.items():
            setattr(record, field, value)
        # The station comes from the database, and the month is once in the file (`seen`)
        # and looked up in `known`: what full_clean's queries would check.
        if not checked(
            report, row.number, record, RECORD_FIELD_COLUMNS, sheets.MONTH, exclude=["station"]
        ):
            continue
        action = change_of(record, before=before, fields=list(figures))
        report.count(row.number, action, f"{station.name} {month:%Y-%m}")
        plan.append((record, action))
    note_station_names(report, renamed)
    if report.errors or dry_run:
        return report
    changed = [record for record, action in plan if action != "unchanged"]
    fields = [
        field for field in ServiceRecord.FIGURES if table.has_column(sheets.FIGURE_HEADERS[field])
    ]
    with transaction.atomic():
        # One upsert for new and changed records; figures the file lacks are left alone.
        ServiceRecord.objects.bulk_create(
            changed,
            batch_size=BATCH,
            update_conflicts=bool(fields),
            ignore_conflicts=not fields,
            unique_fields=["station", "month"] if fields else None,
            update_fields=fields or None,
        )
    return report
