"""django-import-export formats for the back office, fit for files from real users.

CSV files come from Excel and WPS in UTF-8 (with or without BOM) or in GBK/GB18030; we read
the bytes ourselves, with the same decoder as every importer of the portal, instead of
trusting one encoding. Formula-like text is neutralised on export and restored on import by
the one rule of common.spreadsheets.formulas, so a file exported here re-imports as it was,
like every other export of the portal.
"""

import io

import tablib
from import_export.formats.base_formats import CSV, XLSX
from openpyxl import load_workbook

from .formulas import cell_value, neutralise, restore
from .reading import DAMAGED_XLSX_ERRORS, SpreadsheetError, _damaged_workbook_message, decode_text
from .writing import Column, WorkbookWriter


def _map_cells(dataset, function):
    rows = [[function(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


class ReadErrorsExplained:
    """For import admins: a csv that cannot be read gets our translated reason (UTF-16,
    neither UTF-8 nor GBK...) instead of the name of an exception."""

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", e.message)
        else:
            super().add_data_read_fail_error_to_form(form, e)


class CSVAnyChineseEncoding(CSV):
    """CSV read as UTF-8 or GBK/GB18030; written as UTF-8 with a BOM, which Excel opens
    correctly."""

    def is_binary(self):
        # The admin then hands us the raw bytes instead of decoding them as UTF-8 itself.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        text = in_stream if isinstance(in_stream, str) else decode_text(in_stream)
        dataset = tablib.import_set(text, format="csv", **kwargs)
        return _map_cells(dataset, restore)

    def export_data(self, dataset, **kwargs):
        dataset = _map_cells(dataset, neutralise)
        return ("\ufeff" + dataset.export("csv", **kwargs)).encode("utf-8")


class XLSXNeutralised(XLSX):
    """XLSX from Excel or WPS, read with openpyxl; written with XlsxWriter by the portal's
    one formula rule (formula-like text a quote-prefixed text cell), whatever
    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT says: django-import-export's own escaping only
    drops one leading = (and turns ==1+1 into a live =1+1)."""

    def create_dataset(self, in_stream):
        try:
            book = load_workbook(io.BytesIO(in_stream), read_only=True, data_only=True)
        except DAMAGED_XLSX_ERRORS:
            raise SpreadsheetError(_damaged_workbook_message()) from None
        try:
            sheet = book.active
            rows = ([restore(cell_value(cell)) for cell in cells] for cells in sheet.iter_rows())
            dataset = tablib.Dataset()
            dataset.headers = next(rows, [])
            for row in rows:
                if any(value not in (None, "") for value in row):
                    dataset.append(row)
            return dataset
        finally:
            book.close()

    def export_data(self, dataset, **kwargs):
        columns = [
            Column(str(header), width=max(10, 2 * len(str(header)) + 2))
            for header in dataset.headers or []
        ]
        book = WorkbookWriter()
        sheet = book.add_sheet(dataset.title or "Sheet1", columns)
        for row in dataset:
            sheet.append(list(row))
        out = io.BytesIO()
        book.save(out)
        return out.getvalue()


# The only formats the back office offers: each keeps the formula rule both ways.
FORMATS = [XLSXNeutralised, CSVAnyChineseEncoding]


class PortalFormats:
    """For every django-import-export admin: its imports and exports in FORMATS only, never
    the library's defaults (which leave +1+1, -1+1 and @SUM(1+1) as they are and turn
    ==1+1 into a live formula)."""

    formats = import_formats = export_formats = FORMATS
