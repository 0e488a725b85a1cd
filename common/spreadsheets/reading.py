"""Reading a csv or xlsx file that real users send, as one Table of rows.

Files come from Excel and WPS: .xlsx, or .csv in UTF-8 (with or without BOM) or
GBK/GB18030. Problems with the file as a whole raise SpreadsheetError (a translated message,
shown as is); a missing column raises HeaderError, whose `errors` name each column.
"""

import csv
import io
import itertools
import unicodedata
import zipfile
from dataclasses import dataclass, field
from pathlib import Path
from xml.etree.ElementTree import ParseError

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.utils.exceptions import InvalidFileException
from openpyxl.worksheet._reader import FORMULA_TAG, VALUE_TAG, WorkSheetParser

from .cells import cell_text, loose_key
from .formulas import Quoted, quote_prefixed_styles

ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # legacy .xls (and .et) workbooks
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


class FormulaWithoutResult(str):
    """A formula cell saved without its result: files written by scripts (openpyxl) and
    some tools hold only the formula, and what the clerk saw on screen is not in the file.
    It reads as empty text; the reader reports it as an error of its row and column."""


FORMULA_WITHOUT_RESULT = FormulaWithoutResult("")


def formula_without_result_message():
    return _(
        "This cell is a formula without a saved result: copy it and “paste as values”, "
        "then import again."
    )


class _SavedResultsParser(WorkSheetParser):
    """openpyxl's sheet parser, reading formulas through their saved result (data_only)
    and marking a formula whose file holds no result, which openpyxl would read as None."""

    def parse_cell(self, element):
        cell = super().parse_cell(element)
        # openpyxl writes <v/> after a formula; an empty text result is t="str".
        if (
            cell["value"] is None
            and element.find(FORMULA_TAG) is not None
            and (element.get("t") != "str" or element.find(VALUE_TAG) is None)
        ):
            cell["value"] = FORMULA_WITHOUT_RESULT
        return cell


class SpreadsheetError(Exception):
    """The file cannot be read as a table; the message is translated and meant for the user."""

    def __init__(self, message, *, errors=None):
        super().__init__(message)
        self.message = message
        self.errors = errors or []


class HeaderError(SpreadsheetError):
    """The header row lacks required columns, or names a column twice."""


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
    # [(row number, column, message)]: cells the file holds but that cannot be read.
    problems: list = field(default_factory=list)

    def has_column(self, column):
        return column in self.columns


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
            _check_size(len(data))
            self._text = decode_text(data, encoding)

    def _open_workbook(self, data):
        _check_archive(data)
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

    def cells(self, *, sheet=None, limit=100):
        """The values of the first `limit` rows (a sheet of notes, not a table), as lists."""
        try:
            if self._workbook is not None:
                raw_rows, _sheet_name = self._workbook_rows(sheet)
            else:
                raw_rows = self._csv_rows()
            return [values for _number, values in itertools.islice(raw_rows, limit)]
        except csv.Error:
            return []
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None

    def header(self, *, sheet=None):
        """The header row's texts, to tell apart files of different kinds."""
        try:
            if self._workbook is not None:
                raw_rows, _sheet_name = self._workbook_rows(sheet)
            else:
                raw_rows = self._csv_rows()
            first = next(raw_rows, (1, []))[1]
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
            first = next(raw_rows, None)
            if first is None:
                raise SpreadsheetError(_("The file has no header row."))
            columns = _match_header(first[1], required, optional)
            rows = []
            problems = []
            limit = settings.IMPORT_MAX_ROWS
            for count, (number, values) in enumerate(raw_rows, start=1):
                if count > limit:
                    raise SpreadsheetError(_too_many_rows_message(sheet_name, limit))
                cells = {
                    column: values[index] if index < len(values) else None
                    for index, column in columns.items()
                }
                row = Row(number=number, cells=cells)
                unreadable = [
                    column
                    for column, value in cells.items()
                    if isinstance(value, FormulaWithoutResult)
                ]
                for column in unreadable:
                    problems.append((number, column, formula_without_result_message()))
                if unreadable or not row.is_blank():
                    rows.append(row)
        except csv.Error as error:
            raise SpreadsheetError(
                _("The csv file cannot be read: %(error)s") % {"error": error}
            ) from None
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None
        return Table(columns=list(columns.values()), rows=rows, sheet=sheet_name, problems=problems)

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
        return _sheet_rows(worksheet), worksheet.title

    def _csv_rows(self):
        text = self._text
        first_line = text.split("\n", 1)[0]
        delimiter = ","
        if "," not in first_line:
            for candidate in ("\t", ";"):
                if candidate in first_line:
                    delimiter = candidate
                    break
        rows = csv.reader(io.StringIO(text), delimiter=delimiter)
        return ((number, list(values)) for number, values in enumerate(rows, start=1))


def _sheet_rows(worksheet):
    """(row number, values) of each row a read-only worksheet holds, streamed.

    Formulas read as their saved result, or FORMULA_WITHOUT_RESULT. Rows the file leaves
    out are skipped rather than filled in, so a row far down costs nothing.
    """
    workbook = worksheet.parent
    # openpyxl's read-only worksheet does the same with its own parser (_cells_by_row).
    with worksheet._get_source() as source:
        parser = _SavedResultsParser(
            source,
            worksheet._shared_strings,
            data_only=True,
            epoch=workbook.epoch,
            date_formats=workbook._date_formats,
            timedelta_formats=workbook._timedelta_formats,
        )
        # Quote-prefixed text is read exactly as it stands (formulas.Quoted).
        quoted = quote_prefixed_styles(workbook)
        for number, cells in parser.parse():
            values = [None] * (max((cell["column"] for cell in cells), default=0))
            for cell in cells:
                value = cell["value"]
                if quoted and isinstance(value, str) and cell["style_id"] in quoted:
                    value = Quoted(value)
                values[cell["column"] - 1] = value
            yield number, values


# Parts this small (styles, relations) say nothing about a bomb whatever their ratio.
RATIO_FLOOR = 1024 * 1024


def _check_archive(data):
    """Refuse a workbook that would unpack to too much, from the sizes its archive declares
    (zipfile never unpacks more than a part declares), before any part is parsed."""
    try:
        parts = zipfile.ZipFile(io.BytesIO(data)).infolist()
    except DAMAGED_XLSX_ERRORS:
        raise SpreadsheetError(_damaged_workbook_message()) from None
    _check_size(sum(part.file_size for part in parts))
    limit = settings.IMPORT_MAX_COMPRESSION_RATIO
    for part in parts:
        if part.file_size > RATIO_FLOOR and part.file_size > limit * max(part.compress_size, 1):
            raise SpreadsheetError(
                _(
                    "The workbook is compressed %(ratio)s times, more than the %(limit)s "
                    "times an import accepts: real spreadsheets are compressed far less, so "
                    "it is refused as a possible zip bomb. Open it in Excel or WPS, save it "
                    "again and retry."
                )
                % {"ratio": part.file_size // max(part.compress_size, 1), "limit": limit}
            )


def _check_size(size):
    limit = settings.IMPORT_MAX_UNCOMPRESSED_BYTES
    if size > limit:
        raise SpreadsheetError(
            _(
                "The file holds %(size)s of data, more than the %(limit)s an import accepts. "
                "Split it into smaller files and import them one after the other."
            )
            % {"size": filesizeformat(size), "limit": filesizeformat(limit)}
        )


def _too_many_rows_message(sheet, limit):
    if sheet:
        return _(
            "The sheet %(sheet)s has more than %(limit)s rows, the most an import reads. "
            "Split it into smaller files and import them one after the other."
        ) % {"sheet": sheet, "limit": limit}
    return _(
        "The file has more than %(limit)s rows, the most an import reads. Split it into "
        "smaller files and import them one after the other."
    ) % {"limit": limit}


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


def decode_text(data, encoding=None):
    """Text of a csv file: UTF-8 (with or without BOM), else GBK/GB18030, else an error.

    UTF-16 ("Unicode text" in Excel), text that decodes only into characters no
    spreadsheet holds (another encoding read as GB18030) and a file that mixes UTF-8 and
    GBK lines (pasted together from two files) raise SpreadsheetError with what to do
    instead, and the line of the first byte in question, rather than importing garbled text.
    """
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as error:
            raise SpreadsheetError(
                _("Line %(line)s of the file cannot be read as %(encoding)s text.")
                % {"line": _line_of(data, error.start), "encoding": encoding}
            ) from None
        except LookupError:
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
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        if any(
            byte >= 0x80
            for byte in data[3 if data.startswith(b"\xef\xbb\xbf") else 0 : error.start]
        ):
            # UTF-8 text up to there: what follows is in another encoding.
            raise SpreadsheetError(_mixed_message(_line_of(data, error.start))) from None
        first_bad = error.start
    else:
        if not _looks_garbled(text):
            return text
        first_bad = None
    # GB18030 is a superset of GBK and GB2312, so one attempt reads all three.
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        text = None
    if text is not None and not _looks_garbled(text):
        line = _first_utf8_line(data)
        if line is not None:
            raise SpreadsheetError(_mixed_message(line))
        return text
    where = first_bad if first_bad is not None else 0
    raise SpreadsheetError(
        _(
            "The file is neither UTF-8 nor GBK/GB18030 text (line %(line)s is the first that "
            "is not UTF-8). Save it as “CSV UTF-8” or as .xlsx, then try again."
        )
        % {"line": _line_of(data, where)}
    )


def _line_of(data, position):
    return data.count(b"\n", 0, position) + 1


def _mixed_message(line):
    return _(
        "The file mixes two encodings (UTF-8 and GBK): line %(line)s is the first in the "
        "other encoding. Copy the rows into one spreadsheet and save it as “CSV UTF-8”, "
        "then try again."
    ) % {"line": line}


def _first_utf8_line(data):
    """The first line holding Chinese in UTF-8 (3-byte sequences) of a GBK file, or None."""
    for number, line in enumerate(data.split(b"\n"), start=1):
        if max(line, default=0) < 0x80:
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            continue
        if any("\u2e80" <= char <= "\uffef" for char in text):
            return number
    return None


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
    wanted = {loose_key(name): name for name in [*required, *optional]}
    columns = {}
    seen = {}
    errors = []
    for index, value in enumerate(header):
        text = cell_text(value).lstrip("\ufeff")
        if not text:
            continue
        key = loose_key(text)
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
    missing = [name for name in required if loose_key(name) not in seen]
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
