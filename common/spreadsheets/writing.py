"""Writing tables for export: an xlsx streamed sheet by sheet, or a csv for Excel.

WorkbookWriter streams an xlsx (openpyxl write-only mode: memory does not grow with rows)
with a bold frozen header and column widths; `csv_chunks` streams a csv in UTF-8 with a BOM
so that Excel opens it correctly. Both neutralise text that a spreadsheet would run as a
formula.
"""

import csv
import datetime
import io
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from .formulas import neutralise


@dataclass(frozen=True)
class Column:
    """A column of an exported sheet: its header, width (characters), number format, and
    `value`, the function that gives its cell for a record, so that a header and its value
    are written together and can never drift apart."""

    header: str
    width: float = 12
    number_format: str | None = None
    value: Callable[[Any], Any] | None = None


def values_of(columns, record):
    """The row of `record` under `columns`: each cell from its column's `value`."""
    return [column.value(record) for column in columns]


HEADER_FONT = Font(bold=True)


class SheetWriter:
    """Appends rows to one write-only sheet; text is neutralised, formats applied per column."""

    def __init__(self, worksheet, columns):
        self.worksheet = worksheet
        self.columns = columns
        # Write-only sheets take layout before the first row.
        worksheet.freeze_panes = "A2"
        for index, column in enumerate(columns, start=1):
            worksheet.column_dimensions[get_column_letter(index)].width = column.width
        header = []
        for column in columns:
            cell = WriteOnlyCell(worksheet, value=neutralise(column.header))
            cell.font = HEADER_FONT
            header.append(cell)
        worksheet.append(header)
        self.rows = 0

    def append_record(self, record):
        """Append the row of `record`, each cell from its column's `value`."""
        self.append(values_of(self.columns, record))

    def append(self, values):
        out = []
        for column, value in zip(self.columns, values, strict=True):
            value = neutralise(value)
            if column.number_format and value is not None and value != "":
                cell = WriteOnlyCell(self.worksheet, value=value)
                cell.number_format = column.number_format
                out.append(cell)
            else:
                out.append(value)
        self.worksheet.append(out)
        self.rows += 1


class WorkbookWriter:
    """An xlsx written as it goes (openpyxl write-only): sheets in the order they are added."""

    def __init__(self):
        self.workbook = Workbook(write_only=True)

    def add_sheet(self, title, columns):
        return SheetWriter(self.workbook.create_sheet(title), list(columns))

    def save(self, target):
        """Write the workbook to a path or a binary file object."""
        self.workbook.save(target)


def _csv_value(value):
    if value is None:
        return ""
    if isinstance(value, datetime.datetime):
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    if isinstance(value, float):
        return repr(value)
    return neutralise(value) if isinstance(value, str) else str(value)


def csv_chunks(columns, rows, *, chunk_rows=500):
    """The csv file (UTF-8 with BOM) of `rows` under `columns`, as byte chunks to stream."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow([_csv_value(column.header) for column in columns])
    yield "\ufeff".encode() + buffer.getvalue().encode("utf-8")
    buffer.seek(0)
    buffer.truncate()
    pending = 0
    for values in rows:
        writer.writerow([_csv_value(value) for value in values])
        pending += 1
        if pending >= chunk_rows:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
            pending = 0
    if pending:
        yield buffer.getvalue().encode("utf-8")


def write_csv(target, columns, rows):
    """Write the csv of `rows` to a binary file object or a path."""
    if isinstance(target, str | Path):
        with open(target, "wb") as out:
            write_csv(out, columns, rows)
        return
    for chunk in csv_chunks(columns, rows):
        target.write(chunk)
