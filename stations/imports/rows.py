"""What the station and service-record importers share: a row's township code, model
validation errors under their columns, and snapshots to tell an update from no change."""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError

from common.spreadsheets import CellError

from .. import sheets
from .divisions import township_code


def validated(report, row, instance, columns, default_column, **options):
    """Whether `instance` passes full_clean(**options); if not, its errors are reported
    in `row` under the columns of their fields (`columns`, else `default_column`)."""
    try:
        instance.full_clean(**options)
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
