"""Writing tables for export: an xlsx streamed sheet by sheet, or a csv for Excel.

WorkbookWriter writes an xlsx with XlsxWriter in constant-memory mode (each row goes to a
temporary file as soon as the next one starts: memory does not grow with rows), with a bold
frozen header and column widths. `csv_chunks` streams a csv in UTF-8 with a BOM so that Excel
opens it correctly. Both keep text from running as a formula by the one rule of `formulas`:
in xlsx formula-like text is a text cell with the quote-prefix format, in csv it gets an
apostrophe. openpyxl stays the reader.
"""

import csv
import datetime
import io
import shutil
import tempfile
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import xlsxwriter

from .formulas import _marked, neutralise

# Excel's limit on a cell's text; XlsxWriter refuses longer strings.
MAX_CELL_TEXT = 32_767
DEFAULT_DATE_FORMAT = "yyyy-mm-dd"
DEFAULT_DATETIME_FORMAT = "yyyy-mm-dd hh:mm"


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


@dataclass(frozen=True)
class Printing:
    """How a sheet prints: landscape (or portrait), fitted to one page wide, the header row
    repeated on every page, thin borders, `title` in the page header and "第 N 页 共 M
    页" in the footer; `autofilter` puts filter buttons on the header row."""

    title: str
    landscape: bool = True
    autofilter: bool = False


# A4 paper, and margins (inches) that leave room for the page header and footer.
A4 = 9
MARGINS = {"left": 0.4, "right": 0.4, "top": 0.75, "bottom": 0.75}
FOOTER = "&C第 &P 页 共 &N 页"
# Height (points) of one line of 11-point text, Chinese included.
LINE_HEIGHT = 15


def display_width(text):
    """The width of `text` in column-width units: a Chinese (wide) character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in text)


def header_lines(text, width):
    """How many lines `text` wraps into in a column `width` units wide."""
    usable = max(1, int(width) - 1)
    return max(1, -(-display_width(text) // usable))


def page_header(title):
    """The page-header code of `title` in the middle (an & is written && in header codes)
    and the sheet's name on the right."""
    return '&C&"-,Bold"&12' + title.replace("&", "&&") + "&R工作表：&A"


class SheetWriter:
    """Appends rows to one sheet; formula-like text quote-prefixed, formats per column."""

    def __init__(self, book, worksheet, columns, printing=None):
        self.worksheet = worksheet
        self.columns = columns
        self.printing = printing
        worksheet.freeze_panes(1, 0)
        # Printed sheets get thin borders on every cell and a header wrapped to fit.
        framed = {"border": 1} if printing else {}
        header = book.format(
            {"bold": True, "text_wrap": True, "valign": "vcenter", "align": "center", **framed}
        )
        for index, column in enumerate(columns):
            worksheet.set_column(index, index, column.width)
            self._write_text(0, index, column.header, header, book.quoted(header))
        lines = max((header_lines(c.header, c.width) for c in columns), default=1)
        worksheet.set_row(0, LINE_HEIGHT * lines + 3)
        if printing:
            self._set_up_printing(printing)
        # Per column: its format, the quote-prefixed twin, and its formats for dates and
        # for date-times (the column's own number format if it has one).
        self._formats = []
        for column in columns:
            number_format = column.number_format
            cell = book.format({"num_format": number_format, **framed} if number_format else framed)
            self._formats.append(
                (
                    cell,
                    book.quoted(cell),
                    cell
                    if number_format
                    else book.format({"num_format": DEFAULT_DATE_FORMAT, **framed}),
                    cell
                    if number_format
                    else book.format({"num_format": DEFAULT_DATETIME_FORMAT, **framed}),
                )
            )
        self.rows = 0

    def _set_up_printing(self, printing):
        worksheet = self.worksheet
        if printing.landscape:
            worksheet.set_landscape()
        else:
            worksheet.set_portrait()
        worksheet.set_paper(A4)
        worksheet.set_margins(**MARGINS)
        worksheet.fit_to_pages(1, 0)  # one page wide, as many pages down as it takes
        worksheet.repeat_rows(0)
        worksheet.set_header(page_header(printing.title))
        worksheet.set_footer(FOOTER)

    def finish(self):
        """Settings that need the number of rows; the workbook calls it on save."""
        if self.printing and self.printing.autofilter:
            self.worksheet.autofilter(0, 0, self.rows, len(self.columns) - 1)

    def _write_text(self, row, col, text, cell_format, quoted_format):
        if "\r" in text:
            # A line break in a cell is LF in Excel; a CR would be stored as _x000D_,
            # which openpyxl (our reader) does not decode.
            text = text.replace("\r\n", "\n").replace("\r", "\n")
        if len(text) > MAX_CELL_TEXT:
            text = text[:MAX_CELL_TEXT]
        if _marked(text):
            self.worksheet.write_string(row, col, text, quoted_format)
        else:
            self.worksheet.write_string(row, col, text, cell_format)

    def append_record(self, record):
        """Append the row of `record`, each cell from its column's `value`."""
        self.append([column.value(record) for column in self.columns])

    def append(self, values):
        if len(values) != len(self._formats):
            raise ValueError(f"{len(values)} values for {len(self._formats)} columns")
        self.rows += 1
        row = self.rows
        worksheet = self.worksheet
        for col, value in enumerate(values):
            if value is None or value == "":
                continue
            cell_format, quoted, date_format, datetime_format = self._formats[col]
            kind = type(value)
            if kind is str:
                self._write_text(row, col, value, cell_format, quoted)
            elif kind is int or kind is float or kind is Decimal:
                worksheet.write_number(row, col, value, cell_format)
            elif kind is bool:
                worksheet.write_boolean(row, col, value, cell_format)
            elif isinstance(value, datetime.datetime):
                if value.tzinfo is not None:
                    value = value.replace(tzinfo=None)
                worksheet.write_datetime(row, col, value, datetime_format)
            elif isinstance(value, datetime.date):
                worksheet.write_datetime(row, col, value, date_format)
            elif isinstance(value, int | float | Decimal):
                worksheet.write_number(row, col, value, cell_format)
            else:
                self._write_text(row, col, str(value), cell_format, quoted)


class WorkbookWriter:
    """An xlsx written as it goes (XlsxWriter, constant memory): sheets in the order they are
    added. The file is assembled in a temporary directory and copied to the target on
    `save`."""

    def __init__(self):
        self._directory = tempfile.TemporaryDirectory(prefix="workbook-")
        self._path = Path(self._directory.name) / "book.xlsx"
        self.workbook = xlsxwriter.Workbook(
            str(self._path),
            {
                "constant_memory": True,
                "tmpdir": self._directory.name,
                # Text stays text: never turned into numbers, URLs or formulas by XlsxWriter.
                "strings_to_numbers": False,
                "strings_to_formulas": False,
                "strings_to_urls": False,
            },
        )
        self._formats = {}
        self.sheets = []

    def format(self, properties):
        """The XlsxWriter format of `properties` (a dict), made once per workbook."""
        key = tuple(sorted(properties.items()))
        if key not in self._formats:
            self._formats[key] = self.workbook.add_format(dict(properties))
        return self._formats[key]

    def quoted(self, cell_format):
        """The quote-prefixed twin of a format made by `format`."""
        for key, value in self._formats.items():
            if value is cell_format:
                return self.format({**dict(key), "quote_prefix": True})
        raise ValueError("not a format of this workbook")

    def add_sheet(self, title, columns, *, printing=None):
        """A sheet of `columns` under a header row; `printing` (a Printing) sets it up for
        paper."""
        sheet = SheetWriter(self, self.workbook.add_worksheet(title), list(columns), printing)
        self.sheets.append(sheet)
        return sheet

    def add_notes_sheet(self, title, heading, notes):
        """A sheet that says what the workbook is: `heading` in bold, then one row per
        (label, text) of `notes`, the text wrapped; printed portrait, one page wide."""
        worksheet = self.workbook.add_worksheet(title)
        label_width, text_width = 16, 90
        worksheet.set_column(0, 0, label_width)
        worksheet.set_column(1, 1, text_width)
        worksheet.set_paper(A4)
        worksheet.set_margins(**MARGINS)
        worksheet.fit_to_pages(1, 0)
        worksheet.set_footer(FOOTER)
        heading_format = self.format({"bold": True, "font_size": 14})
        label_format = self.format({"bold": True, "valign": "top", "border": 1})
        text_format = self.format({"text_wrap": True, "valign": "top", "border": 1})
        worksheet.set_row(0, LINE_HEIGHT * 1.5)
        self._write_plain(worksheet, 0, 0, heading, heading_format)
        for number, (label, text) in enumerate(notes, start=2):
            lines = sum(header_lines(line, text_width) for line in text.split("\n"))
            worksheet.set_row(number, LINE_HEIGHT * lines + 3)
            self._write_plain(worksheet, number, 0, label, label_format)
            self._write_plain(worksheet, number, 1, text, text_format)
        return worksheet

    def _write_plain(self, worksheet, row, col, text, cell_format):
        if _marked(text):
            cell_format = self.quoted(cell_format)
        worksheet.write_string(row, col, text, cell_format)

    def set_properties(self, **properties):
        """Document properties (title, author, company, subject, comments, created...), as
        XlsxWriter's Workbook.set_properties takes them."""
        self.workbook.set_properties(properties)

    def save(self, target):
        """Write the workbook to a path or a binary file object."""
        try:
            for sheet in self.sheets:
                sheet.finish()
            self.workbook.close()
            if isinstance(target, str | Path):
                shutil.copyfile(self._path, target)
            else:
                with open(self._path, "rb") as source:
                    shutil.copyfileobj(source, target)
        finally:
            self._directory.cleanup()


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
