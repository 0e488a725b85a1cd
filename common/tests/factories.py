"""Plain builders for test files: workbooks (and, later in this module, images and PDFs).

No project app is imported here, so every app's tests (and common's) can use them. Builders
that need models, and the shared fixtures, live in the root conftest.py.
"""

import io

from openpyxl import Workbook


def workbook_bytes(sheets):
    """An xlsx with {title: [rows]}, written by openpyxl like Excel would save it."""
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        for row in rows:
            sheet.append(row)
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
