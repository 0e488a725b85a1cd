"""Reading and writing tabular files (csv, xlsx) for imports and exports, for every app.

Files come from real users: .xlsx from Excel and WPS, .csv in UTF-8 (with or without BOM) or
GBK/GB18030. Reading (`reading`):

    with TableFile(upload) as source:            # a path, bytes or a binary file object
        table = source.read(sheet="明细", required=["code", "name"], optional=["note"])
    for row in table.rows:                        # Row(number=2, cells={"code": "41", ...})
        code = cell_text(row["code"])

Problems with the file as a whole raise SpreadsheetError (a translated message, shown as is);
a missing column raises HeaderError, whose `errors` name each column. Cell parsers (`cells`:
`parse_int`, `parse_decimal`, `parse_date`, `parse_month`, `parse_choice`, `parse_bool`) raise
CellError with a translated message for the row/column report. An import collects those in an
ImportReport (`reports`) and writes nothing unless the report is free of errors.

Writing (`writing`): a Column is a header with its width, number format and the function
that gives its cell for a record. WorkbookWriter writes an xlsx with XlsxWriter in constant
memory, with a bold frozen header and column widths; `csv_chunks` streams a csv in UTF-8
with a BOM so that Excel opens it correctly. Both keep text that a spreadsheet would run as a
formula from running (`formulas`): a quote-prefixed text cell in xlsx, one apostrophe in
csv, which `cell_text` takes off again, so an exported file imports back unchanged.
"""

from .cells import (
    CellError,
    cell_text,
    impossible_date_message,
    loose_key,
    parse_bool,
    parse_choice,
    parse_date,
    parse_decimal,
    parse_int,
    parse_month,
)
from .formulas import FORMULA_PREFIXES, neutralise
from .reading import HeaderError, Row, SpreadsheetError, Table, TableFile
from .reports import Change, ImportReport, RowError, row_ranges
from .writing import (
    Column,
    Printing,
    SheetWriter,
    WorkbookWriter,
    csv_chunks,
    values_of,
    write_csv,
)

__all__ = [
    "FORMULA_PREFIXES",
    "CellError",
    "Change",
    "Column",
    "HeaderError",
    "Printing",
    "ImportReport",
    "Row",
    "RowError",
    "SheetWriter",
    "SpreadsheetError",
    "Table",
    "TableFile",
    "WorkbookWriter",
    "cell_text",
    "impossible_date_message",
    "csv_chunks",
    "loose_key",
    "neutralise",
    "parse_bool",
    "parse_choice",
    "parse_date",
    "parse_decimal",
    "parse_int",
    "parse_month",
    "row_ranges",
    "values_of",
    "write_csv",
]
