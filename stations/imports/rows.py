"""What the station and service-record importers share: a row's township code, model
validation errors under their columns, and snapshots to tell an update from no change."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils.translation import gettext as _

from common.spreadsheets import CellError, cell_text, loose_key, row_ranges

from .. import sheets
from ..models import Division
from .divisions import normalise_code, township_code

# Columns that repeat what the township code says: read only to check that they agree.
NAME_COLUMNS = [sheets.COUNTY_CODE, sheets.COUNTY, sheets.TOWNSHIP]


def validated(report, row, instance, columns, default_column, **options):
    """Whether `instance` passes full_clean(**options); if not, its errors are reported
    in `row` under the columns of their fields (`columns`, else `default_column`)."""
    try:
        instance.full_clean(**options)
    except ValidationError as error:
        _report_validation(report, row, error, columns, default_column)
        return False
    return True


def checked(report, row, instance, columns, default_column, *, exclude=()):
    """Like validated(), without a query per row, for imports of many rows: the fields'
    checks and the model's clean() only. The caller checks what those queries would
    (foreign keys and uniqueness, from what it loaded at once), and the database holds the
    constraints."""
    try:
        instance.clean_fields(exclude=exclude)
        instance.clean()
    except ValidationError as error:
        _report_validation(report, row, error, columns, default_column)
        return False
    return True


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


def snapshot(instance, fields):
    return tuple(getattr(instance, name) for name in fields)


def change_of(instance, *, before, fields):
    """ "create" for a new row (no snapshot `before`), else "update" or "unchanged"."""
    if before is None:
        return "create"
    return "unchanged" if snapshot(instance, fields) == before else "update"


def township_code_cell(report, row):
    try:
        return township_code(row[sheets.TOWNSHIP_CODE])
    except CellError as error:
        report.error(row.number, sheets.TOWNSHIP_CODE, error.message)
        return None


def township_code_or_none(row):
    try:
        return township_code(row[sheets.TOWNSHIP_CODE])
    except CellError:
        return None


def _same_name(text, name):
    return "".join(loose_key(text).split()) == "".join(loose_key(name).split())


def names_agree(report, row, township):
    """Whether the row's township name, county code and county name (where the file has
    them) are those of `township`, its code's; a disagreement is an error naming both."""
    agree = True
    name = cell_text(row.get(sheets.TOWNSHIP))
    if name and not _same_name(name, township.name):
        agree = False
        report.error(
            row.number,
            sheets.TOWNSHIP,
            _(
                "The code %(code)s is %(expected)s, but the name is %(name)s: check which "
                "of the two is right."
            )
            % {"code": township.code, "expected": township.name, "name": name},
        )
    county = township.parent
    if county is None:
        return agree
    code = cell_text(row.get(sheets.COUNTY_CODE))
    if code:
        try:
            code = normalise_code(code, Division.Level.COUNTY)
        except CellError as error:
            report.error(row.number, sheets.COUNTY_CODE, error.message)
            return False
        if code != county.code:
            agree = False
            report.error(
                row.number,
                sheets.COUNTY_CODE,
                _(
                    "The township %(township)s (%(code)s) is in %(county)s (%(county_code)s), "
                    "not in the county %(given)s."
                )
                % {
                    "township": township.name,
                    "code": township.code,
                    "county": county.name,
                    "county_code": county.code,
                    "given": code,
                },
            )
    name = cell_text(row.get(sheets.COUNTY))
    if name and not _same_name(name, county.name):
        agree = False
        report.error(
            row.number,
            sheets.COUNTY,
            _(
                "The township %(township)s (%(code)s) is in %(county)s, but the county "
                "name is %(name)s: check which of the two is right."
            )
            % {
                "township": township.name,
                "code": township.code,
                "county": county.name,
                "name": name,
            },
        )
    return agree


def station_name_differs(row, station):
    """Whether the row names its station otherwise than the station is named (the staff and
    record sheets repeat the name, which only 明细 sets)."""
    name = cell_text(row.get(sheets.STATION))
    return bool(name) and not _same_name(name, station.name)


def note_station_names(report, rows):
    """Note once the rows whose 社工站 cell the import leaves aside."""
    if rows:
        report.note(
            None,
            sheets.STATION,
            _(
                "The column %(column)s is not read in this sheet (a station is named in "
                "%(sheet)s): the changes in rows %(rows)s are not imported."
            )
            % {"column": sheets.STATION, "sheet": sheets.DETAIL_SHEET, "rows": row_ranges(rows)},
        )
