"""The columns of the coverage workbook that the station import does not read.

计入覆盖率, 已覆盖 and the counts of 明细 are the system's (the coverage flag is a
division's, set in the back office; the others are computed): a clerk who edits one is told
once per column, with the rows, that the change is not imported, instead of a silent
"unchanged".
"""

from django.utils import timezone
from django.utils.translation import gettext as _

from common.spreadsheets import CellError, cell_text, parse_bool, parse_date, parse_int, row_ranges

from .. import sheets
from ..coverage import township_rows
from ..models import Division
from .divisions import township_code

# The 说明 sheet of the coverage workbook names the date its figures are as of.
NOTES_SHEET = "说明"
AS_OF_LABEL = "统计截止日期"
# Column: (key of a township_rows() row, parser of the cell).
UNREAD_COLUMNS = {
    sheets.COUNTS: ("counts_toward_coverage", parse_bool),
    sheets.COVERED: ("covered", parse_bool),
    sheets.RESIDENT: ("resident", parse_int),
    sheets.CERTIFIED: ("certified", parse_int),
    sheets.PEOPLE_SERVED_THIS_YEAR: ("people_served", parse_int),
}


def as_of(source):
    """The as-of date the 说明 sheet of a coverage workbook states, else today."""
    if source.is_workbook and source.has_sheet(NOTES_SHEET):
        for values in source.cells(sheet=NOTES_SHEET):
            if len(values) >= 2 and cell_text(values[0]) == AS_OF_LABEL:
                try:
                    on = parse_date(values[1])
                except CellError:
                    break
                if on is not None:
                    return on
    return timezone.localdate()


def _area_of(codes):
    """The smallest division whose code starts every code (None: the whole country)."""
    prefix = codes[0]
    for code in codes[1:]:
        while not code.startswith(prefix):
            prefix = prefix[:-1]
    for digits in (6, 4, 2):
        if len(prefix) >= digits:
            area = Division.objects.filter(code=prefix[:digits]).first()
            if area is not None:
                return area
    return None


def note_unread_edits(report, table, *, on):
    """Note each column the import does not read whose cells differ from the system's
    figures on `on` (empty cells are no edit), naming the rows."""
    columns = [column for column in UNREAD_COLUMNS if table.has_column(column)]
    if not columns:
        return
    by_code = {}
    for row in table.rows:
        try:
            by_code.setdefault(township_code(row[sheets.TOWNSHIP_CODE]), row)
        except CellError:
            continue
    if not by_code:
        return
    edited = {column: [] for column in columns}
    system_rows = township_rows(_area_of(sorted(by_code)), on=on)
    for system in system_rows:
        row = by_code.get(system["code"])
        if row is None:
            continue
        for column in columns:
            key, parse = UNREAD_COLUMNS[column]
            if cell_text(row[column]) == "":
                continue
            try:
                value = parse(row[column])
            except CellError:
                value = None
            if value != system[key]:
                edited[column].append(row.number)
    for column, rows in edited.items():
        if rows:
            report.note(
                None,
                column,
                _(
                    "The column %(column)s is kept by the system: the changes in rows "
                    "%(rows)s are not imported."
                )
                % {"column": column, "rows": row_ranges(rows)},
            )
