"""Reading and writing tabular files (csv, xlsx) for imports and exports, for every app.

Files come from real users: .xlsx from Excel and WPS, .csv in UTF-8 (with or without BOM) or
GBK/GB18030. Reading:

    with TableFile(upload) as source:            # a path, bytes or a binary file object
        table = source.read(sheet="明细", required=["code", "name"], optional=["note"])
    for row in table.rows:                        # Row(number=2, cells={"code": "41", ...})
        code = cell_text(row["code"])

Problems with the file as a whole raise SpreadsheetError (a translated message, shown as is);
a missing column raises HeaderError, whose `errors` name each column. Cell parsers
(`parse_int`, `parse_decimal`, `parse_date`, `parse_month`, `parse_choice`, `parse_bool`) raise
CellError with a translated message for the row/column report. An import collects those in an
ImportReport and writes nothing unless the report is free of errors.

Writing: WorkbookWriter streams an xlsx (openpyxl write-only mode: memory does not grow with
rows) with a bold frozen header and column widths; `csv_chunks` streams a csv in UTF-8 with a
BOM so that Excel opens it correctly. Both neutralise text cells that a spreadsheet would run
as a formula (= + - @), by prefixing an apostrophe; `cell_text` removes that prefix again, so
an exported file imports back unchanged.
"""

import csv
import datetime
import io
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")
ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .et) workbooks
PREVIEW_LIMIT = 200
# Errors openpyxl and zipfile raise on a truncated or damaged workbook.
DAMAGED_XLSX_ERRORS = (
    zipfile.BadZipFile,
    zipfile.LargeZipFile,
    InvalidFileException,
    KeyError,
    OSError,
    EOFError,
    ValueError,
    TypeError,
    IndexError,
    ParseError,
)


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message is translated and meant for the user."""

    def __init__(self, message, *, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class HeaderError(SpreadsheetError):
    """The header row lacks required columns, or names a column twice."""


class CellError(ValueError):
    """A cell's value is not acceptable; the message is translated."""

    def __init__(self, message):
        super().__init__(message)
        self.message = message


# Reading ---------------------------------------------------------------------------------


@dataclass
class Row:
    """One data row: `number` is the row number a spreadsheet shows (the header is row 1)."""

    number: int
    cells: dict

    def __getitem__(self, column):
        return self.cells.get(column)

    def get(self, column, default=None):
        return self.cells.get(column, default)

    def is_blank(self):
        return all(cell_text(value) == "" for value in self.cells.values())


@dataclass
class Table:
    """A header and its rows; `columns` are the header cells as written in the file."""

    columns: list
    rows: list
    sheet: str | None = None

    def has_column(self, column):
        return column in self.columns


def _header_key(text):
    # Headers match whatever the case of ASCII letters and the width of the characters
    # (WPS and some input methods type full-width brackets and letters).
    return unicodedata.normalize("NFKC", text).strip().lower()


class TableFile:
    """A csv or xlsx file opened for reading tables: `read()` returns one Table."""

    def __init__(self, file, *, encoding=None):
        self.encoding = encoding
        self._workbook = None
        self._text = None
        data = _read_bytes(file)
        if not data.strip():
            raise SpreadsheetError(_("The file is empty."))
        if data.startswith(OLE_MAGIC):
            raise SpreadsheetError(
                _(
                    "This is an old-style .xls workbook. Save it as .xlsx (Excel or WPS: "
                    "Save As, Excel Workbook) or as CSV, then try again."
                )
            )
        if data.startswith(ZIP_MAGIC):
            self._open_workbook(data)
        else:
            self._text = _decode(data, encoding)

    def _open_workbook(self, data):
        try:
            self._workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self):
        if self._workbook is not None:
            self._workbook.close()

    @property
    def is_workbook(self):
        return self._workbook is not None

    @property
    def sheet_names(self):
        return list(self._workbook.sheetnames) if self._workbook is not None else []

    def has_sheet(self, name):
        return name in self.sheet_names

    def header(self, *, sheet=None):
        """The header row's texts, to tell apart files of different kinds."""
        try:
            if self._workbook is not None:
                raw_rows, _sheet_name = self._workbook_rows(sheet)
            else:
                raw_rows = self._csv_rows()
            first = next(raw_rows, None) or []
        except csv.Error:
            return []
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None
        return [text for text in (cell_text(value).lstrip("\ufeff") for value in first) if text]

    def read(self, *, sheet=None, required=(), optional=()):
        """The table of `sheet` (xlsx; the only sheet when there is one) or of the csv.

        `required` columns must be in the header, else HeaderError; `optional` ones may be.
        Other columns are kept under their own header text. Blank rows are skipped.
        """
        if self._workbook is not None:
            raw_rows, sheet_name = self._workbook_rows(sheet)
        else:
            raw_rows, sheet_name = self._csv_rows(), None
        try:
            header = next(raw_rows, None)
            if header is None:
                raise SpreadsheetError(_("The file has no header row."))
            columns = _match_header(header, required, optional)
            rows = []
            for number, values in enumerate(raw_rows, start=2):
                cells = {
                    column: values[index] if index < len(values) else None
                    for index, column in columns.items()
                }
                row = Row(number=number, cells=cells)
                if not row.is_blank():
                    rows.append(row)
        except csv.Error as error:
            raise SpreadsheetError(
                _("The csv file cannot be read: %(error)s") % {"error": error}
            ) from None
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None
        return Table(columns=list(columns.values()), rows=rows, sheet=sheet_name)

    def _workbook_rows(self, sheet):
        names = self.sheet_names
        if sheet is None or (sheet not in names and len(names) == 1):
            worksheet = self._workbook.worksheets[0]
        elif sheet in names:
            worksheet = self._workbook[sheet]
        else:
            raise SpreadsheetError(
                _("The workbook has no sheet named “%(sheet)s” (it has: %(names)s).")
                % {"sheet": sheet, "names": "、".join(names)}
            )
        return (list(values) for values in worksheet.iter_rows(values_only=True)), worksheet.title

    def _csv_rows(self):
        text = self._text
        first_line = text.split("\n", 1)[0]
        delimiter = ","
        if "," not in first_line:
            for candidate in ("\t", ";"):
                if candidate in first_line:
                    delimiter = candidate
                    break
        return (list(values) for values in csv.reader(io.StringIO(text), delimiter=delimiter))


def _damaged_workbook_message():
    return _(
        "The .xlsx file is incomplete or damaged (perhaps the upload was cut short). "
        "Open it in Excel or WPS, save it again and retry."
    )


def _read_bytes(file):
    if isinstance(file, bytes):
        return file
    if isinstance(file, str | Path):
        return Path(file).read_bytes()
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    if isinstance(data, str):
        return data.encode("utf-8")
    return data


def _decode(data, encoding=None):
    """Text of a csv file: UTF-8 (with or without BOM), else GBK/GB18030, else an error."""
    if encoding:
        try:
            return data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            raise SpreadsheetError(
                _("The file cannot be read as %(encoding)s text.") % {"encoding": encoding}
            ) from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")) or b"\x00" in data[:4096]:
        raise SpreadsheetError(
            _(
                "The file is in UTF-16 (“Unicode text”). Save it as “CSV UTF-8” or as .xlsx, "
                "then try again."
            )
        )
    # GB18030 is a superset of GBK and GB2312, so one attempt reads all three.
    for candidate in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(candidate)
        except UnicodeDecodeError:
            continue
        if not _looks_garbled(text):
            return text
    raise SpreadsheetError(
        _(
            "The file is neither UTF-8 nor GBK/GB18030 text. Save it as “CSV UTF-8” or as "
            ".xlsx, then try again."
        )
    )


def _looks_garbled(text):
    """True when decoded text holds characters no spreadsheet would contain."""
    for char in text:
        if char in "\t\r\n":
            continue
        category = unicodedata.category(char)
        if category in ("Cc", "Co", "Cs", "Cn") or char == "\ufffd":
            return True
    return False


def _match_header(header, required, optional):
    """{column index: column name}; required and optional columns keep their given names."""
    wanted = {_header_key(name): name for name in [*required, *optional]}
    columns = {}
    seen = {}
    errors = []
    for index, value in enumerate(header):
        text = cell_text(value).lstrip("\ufeff")
        if not text:
            continue
        key = _header_key(text)
        if key in seen:
            errors.append(
                (
                    text,
                    _("The header names this column twice (columns %(first)s and %(second)s).")
                    % {
                        "first": get_column_letter(seen[key] + 1),
                        "second": get_column_letter(index + 1),
                    },
                )
            )
            continue
        seen[key] = index
        columns[index] = wanted.get(key, text)
    missing = [name for name in required if _header_key(name) not in seen]
    for name in missing:
        errors.append((name, _("The header row lacks this column.")))
    if errors:
        expected = ", ".join(required)
        raise HeaderError(
            _("The header row is not as expected. Required columns: %(expected)s.")
            % {"expected": expected},
            errors=errors,
        )
    return columns


# Cells -----------------------------------------------------------------------------------


def cell_text(value):
    """A cell as stripped text: numbers without '.0', dates as 2024-03-15, '' for empty.

    An apostrophe that neutralised a formula on export is removed again.
    """
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, datetime.datetime):
        if value.time() == datetime.time(0):
            return value.date().isoformat()
        return value.isoformat(sep=" ")
    if isinstance(value, datetime.date):
        return value.isoformat()
    text = str(value)
    if len(text) > 1 and text[0] == "'" and text[1] in FORMULA_PREFIXES:
        text = text[1:]
    return text.replace("\u3000", " ").strip()


def _number_text(value):
    # Full-width digits, thousands separators and a currency sign are common in hand-typed
    # figures; anything else is an error.
    text = unicodedata.normalize("NFKC", cell_text(value))
    return text.replace(",", "").replace("¥", "").replace("￥", "").replace(" ", "")


def _empty(value, required):
    if cell_text(value) == "":
        if required:
            raise CellError(_("This cell must not be empty."))
        return True
    return False


def parse_int(value, *, minimum=0, required=False):
    """A whole number (None when empty), at least `minimum` (None: no lower bound)."""
    if _empty(value, required):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        number = value
    else:
        try:
            number = Decimal(_number_text(value))
        except InvalidOperation:
            raise CellError(
                _("“%(value)s” is not a whole number.") % {"value": cell_text(value)}
            ) from None
    if number != int(number):
        raise CellError(_("“%(value)s” is not a whole number.") % {"value": cell_text(value)})
    number = int(number)
    _check_minimum(number, minimum)
    return number


def parse_decimal(value, *, minimum=0, places=2, required=False):
    """A decimal number rounded to `places` (None when empty), at least `minimum`."""
    if _empty(value, required):
        return None
    try:
        if isinstance(value, float):
            number = Decimal(repr(value))
        elif isinstance(value, int) and not isinstance(value, bool):
            number = Decimal(value)
        else:
            number = Decimal(_number_text(value))
    except InvalidOperation:
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)}) from None
    if not number.is_finite():
        raise CellError(_("“%(value)s” is not a number.") % {"value": cell_text(value)})
    _check_minimum(number, minimum)
    return number.quantize(Decimal(1).scaleb(-places))


def _check_minimum(number, minimum):
    if minimum is None or number >= minimum:
        return
    if minimum == 0:
        raise CellError(_("The number must not be negative."))
    raise CellError(_("The number must be at least %(minimum)s.") % {"minimum": minimum})


DATE_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
]
MONTH_PATTERNS = [
    re.compile(r"^(\d{4})[-/.](\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月?$"),
    re.compile(r"^(\d{4})(\d{2})$"),
]
EXCEL_EPOCH = datetime.date(1899, 12, 30)


def _excel_serial(value):
    # A date typed into a cell formatted as a number arrives as Excel's day count.
    if isinstance(value, int | float) and not isinstance(value, bool) and 1 <= value < 2958466:
        return EXCEL_EPOCH + datetime.timedelta(days=int(value))
    return None


def parse_date(value, *, required=False):
    """A date from a date cell, an Excel serial number or text such as 2024-03-15."""
    if _empty(value, required):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    serial = _excel_serial(value)
    if serial is not None:
        return serial
    text = unicodedata.normalize("NFKC", cell_text(value)).split(" ")[0]
    for pattern in DATE_PATTERNS:
        match = pattern.match(text)
        if match:
            try:
                return datetime.date(*(int(part) for part in match.groups()))
            except ValueError:
                break
    raise CellError(
        _("“%(value)s” is not a date; write it as 2024-03-15.") % {"value": cell_text(value)}
    )


def parse_month(value, *, required=False):
    """The first day of a month, from a date cell or text such as 2024-03 or 2024年3月."""
    if _empty(value, required):
        return None
    if isinstance(value, datetime.date):
        return (value.date() if isinstance(value, datetime.datetime) else value).replace(day=1)
    text = unicodedata.normalize("NFKC", cell_text(value))
    for pattern in MONTH_PATTERNS:
        match = pattern.match(text)
        if match:
            year, month = (int(part) for part in match.groups())
            if 1 <= month <= 12:
                return datetime.date(year, month, 1)
            break
    else:
        try:
            return parse_date(value).replace(day=1)
        except CellError:
            pass
    raise CellError(
        _("“%(value)s” is not a month; write it as 2024-03.") % {"value": cell_text(value)}
    )


def parse_choice(value, choices, *, required=False):
    """The value for a label of `choices` ({label or value: value}), compared loosely."""
    if _empty(value, required):
        return None
    text = cell_text(value)
    lookup = {_header_key(str(label)): result for label, result in choices.items()}
    try:
        return lookup[_header_key(text)]
    except KeyError:
        labels = "、".join(dict.fromkeys(str(label) for label in choices))
        raise CellError(
            _("“%(value)s” is not one of: %(choices)s.") % {"value": text, "choices": labels}
        ) from None


BOOLEAN_WORDS = {
    "是": True,
    "否": False,
    "yes": True,
    "no": False,
    "y": True,
    "n": False,
    "true": True,
    "false": False,
    "1": True,
    "0": False,
    "√": True,
    "×": False,
}


def parse_bool(value, *, required=False):
    """Yes or no from 是/否, yes/no, true/false, 1/0."""
    if _empty(value, required):
        return None
    key = _header_key(cell_text(value))
    if key not in BOOLEAN_WORDS:
        raise CellError(
            _("“%(value)s” is neither yes nor no; write 是 or 否.") % {"value": cell_text(value)}
        )
    return BOOLEAN_WORDS[key]


# Import reports --------------------------------------------------------------------------


@dataclass
class RowError:
    """A problem with one cell (row and column), a column (row 1) or the whole file."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        if self.row is not None and self.column:
            return _("Row %(row)s, column %(column)s: %(message)s") % {
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.row is not None:
            return _("Row %(row)s: %(message)s") % {"row": self.row, "message": self.message}
        return str(self.message)


@dataclass
class Change:
    """A row of the import preview: what the import does (or would do) with a row."""

    row: int
    action: str  # "create", "update" or "unchanged"
    description: str

    @property
    def action_label(self):
        return {
            "create": _("create"),
            "update": _("update"),
            "unchanged": _("unchanged"),
        }[self.action]


@dataclass
class ImportReport:
    """The outcome of an import or of its dry run: counts, a preview and errors per cell."""

    dry_run: bool = False
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    # {kind: {"create": n, "update": n, "unchanged": n}} when a file holds several kinds.
    by_kind: dict = field(default_factory=dict)

    @property
    def ok(self):
        return not self.errors

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def error(self, row, column, message):
        self.errors.append(RowError(row=row, column=column, message=str(message)))

    def file_error(self, error):
        """Record a SpreadsheetError: one entry per header problem, else one for the file."""
        if error.errors:
            for column, message in error.errors:
                self.error(1, column, message)
        else:
            self.error(None, "", error.message)

    def count(self, row, action, description, *, kind=""):
        """Count what happens to a row: action is "create", "update" or "unchanged"."""
        attribute = {"create": "created", "update": "updated", "unchanged": "unchanged"}[action]
        setattr(self, attribute, getattr(self, attribute) + 1)
        if kind:
            tally = self.by_kind.setdefault(kind, {"create": 0, "update": 0, "unchanged": 0})
            tally[action] += 1
        if action != "unchanged" and len(self.changes) < PREVIEW_LIMIT:
            self.changes.append(Change(row=row, action=action, description=str(description)))

    def summary(self):
        if self.errors:
            return ngettext(
                "%(errors)s error: nothing was imported. Correct the file and try again.",
                "%(errors)s errors: nothing was imported. Correct the file and try again.",
                len(self.errors),
            ) % {"errors": len(self.errors)}
        values = {"created": self.created, "updated": self.updated, "unchanged": self.unchanged}
        if self.dry_run:
            return (
                _("Preview: %(created)s to create, %(updated)s to update, %(unchanged)s unchanged.")
                % values
            )
        return _("Imported: %(created)s created, %(updated)s updated, %(unchanged)s unchanged.") % (
            values
        )


# Writing ---------------------------------------------------------------------------------


def neutralise(value):
    """A text value that no spreadsheet will run as a formula; other values unchanged."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


@dataclass(frozen=True)
class Column:
    """A column of an exported sheet: its header, width (characters) and number format."""

    header: str
    width: float = 12
    number_format: str | None = None


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
