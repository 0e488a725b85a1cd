"""django-import-export formats for the back office, fit for files from real users.

CSV files come from Excel and WPS in UTF-8 (with or without BOM) or in GBK/GB18030; we read
the bytes ourselves, with the same decoder as every importer of the portal, instead of
trusting one encoding. Formula-like text is neutralised on export and restored on import by
the one rule of common.spreadsheets.formulas, so a file exported here re-imports as it was,
like every other export of the portal.
"""

import tablib
from import_export.formats.base_formats import CSV, XLSX

from .formulas import neutralise, restore
from .reading import SpreadsheetError, decode_text


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
    """XLSX from Excel or WPS; formula-looking cells neutralised on export."""

    def create_dataset(self, in_stream):
        return _map_cells(super().create_dataset(in_stream), restore)

    def _escape_formulae(self, dataset):
        # django-import-export calls this when IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT is on;
        # export_data has already neutralised every cell, and a second apostrophe would not
        # come off on import.
        return dataset

    def export_data(self, dataset, **kwargs):
        # Always neutralise, whatever IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT says.
        _map_cells(dataset, neutralise)
        return super().export_data(dataset, **kwargs)
