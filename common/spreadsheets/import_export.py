"""django-import-export formats for the back office, fit for files from real users.

Files are read by the portal's own reader (common.spreadsheets.reading), like every import
of the portal: CSV in UTF-8 (with or without BOM) or GBK/GB18030, xlsx formulas through
their saved results, and the same limits against zip bombs and oversized files. Formula-like
text is neutralised on export and restored on import by the one rule of
common.spreadsheets.formulas, so a file exported here re-imports as it was.

`ReadErrorsExplained` gives an import admin the same upload size limit as the portal's
other uploads, translated reasons instead of exception names, no traceback in the page,
and temporary files that do not outlive the import. `AllOrNothingImport` makes the
confirmed import as all or nothing as its preview.
"""

import io
import tempfile
import time
from pathlib import Path

import tablib
from django.contrib import messages
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from import_export.formats.base_formats import CSV, XLSX
from import_export.forms import ImportForm
from import_export.tmp_storages import TempFolderStorage

from common.uploads import check_size

from .formulas import neutralise, restore
from .reading import SpreadsheetError, TableFile
from .writing import Column, WorkbookWriter, notes_sheet_names

# Problems shown of a workbook whose formulas have no saved result; the count says the rest.
PROBLEMS_SHOWN = 10
STASH_DIR = Path(tempfile.gettempdir()) / "portal-admin-imports"
STASH_MAX_AGE = 24 * 3600


def _map_cells(dataset, function):
    rows = [[function(cell) for cell in row] for row in dataset]
    headers = dataset.headers
    dataset.wipe()
    dataset.headers = headers
    for row in rows:
        dataset.append(row)
    return dataset


def _dataset(data):
    """A tablib Dataset of the only (or first) sheet of an xlsx or csv, read as every import
    of the portal reads files; SpreadsheetError when it cannot be. A first sheet of notes
    (说明, as the roster's workbook has) is passed over: the table is the sheet after it."""
    with TableFile(data) as source:
        names = source.sheet_names
        sheet = None
        if len(names) > 1 and names[0] in notes_sheet_names():
            sheet = names[1]
        table = source.read(sheet=sheet)
    if table.problems:
        shown = [
            _("Row %(row)s, column %(column)s: %(message)s")
            % {"row": row, "column": column, "message": message}
            for row, column, message in table.problems[:PROBLEMS_SHOWN]
        ]
        if len(table.problems) > PROBLEMS_SHOWN:
            shown.append(
                _("and %(count)s more cells.") % {"count": len(table.problems) - PROBLEMS_SHOWN}
            )
        raise SpreadsheetError(" ".join(shown))
    dataset = tablib.Dataset(headers=table.columns)
    for row in table.rows:
        dataset.append([row.cells.get(column) for column in table.columns])
    return _map_cells(dataset, restore)


class SizeLimitedImportForm(ImportForm):
    """django-import-export's upload form with the portal's upload size limit."""

    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        check_size(upload)
        return upload


class StashFolderStorage(TempFolderStorage):
    """The uploaded file kept between preview and confirmation, in a folder of its own
    (mode 700); files older than a day (previews never confirmed) are removed."""

    def save(self, data):
        STASH_DIR.mkdir(mode=0o700, exist_ok=True)
        now = time.time()
        for old in STASH_DIR.iterdir():
            if now - old.stat().st_mtime > STASH_MAX_AGE:
                old.unlink(missing_ok=True)
        super().save(data)

    def get_full_path(self):
        return str(STASH_DIR / Path(self.name).name)

    def _open(self, mode="r"):
        if not self.name:
            # As django-import-export's own: a new file is written as bytes.
            STASH_DIR.mkdir(mode=0o700, exist_ok=True)
            handle, path = tempfile.mkstemp(dir=STASH_DIR)
            self.name = Path(path).name
            return open(handle, "wb")  # noqa: SIM115 - the caller closes it
        return open(self.get_full_path(), mode, encoding=self.encoding)  # noqa: SIM115

    def remove(self):
        Path(self.get_full_path()).unlink(missing_ok=True)


class ReadErrorsExplained:
    """For import admins (django-import-export): the portal's upload size limit, translated
    reasons for a file that cannot be read (never an exception's name), errors without a
    traceback, and the uploaded file removed as soon as no confirmation can follow."""

    import_form_class = SizeLimitedImportForm
    tmp_storage_class = StashFolderStorage
    import_template_name = "admin/import_export/import_explained.html"

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, SpreadsheetError):
            form.add_error("import_file", e.message)
        else:
            form.add_error(
                "import_file",
                _(
                    "The file cannot be read. Use an .xlsx saved by Excel or WPS, or a .csv, "
                    "and choose its format."
                ),
            )

    def import_action(self, request, **kwargs):
        response = super().import_action(request, **kwargs)
        upload = request.FILES.get("import_file")
        name = getattr(upload, "tmp_storage_name", None)
        context = getattr(response, "context_data", None) or {}
        if name and "confirm_form" not in context:
            # Errors: there is nothing to confirm, so nothing to keep.
            StashFolderStorage(name=name).remove()
        return response


class AllOrNothingImport:
    """For import admins (django-import-export): a confirmed import saves every row or none.

    The preview is a dry run that lists every invalid row and offers no confirmation while
    one is. But the confirmation imports the file again, against the database as it is by
    then, and the library would save the rows that still pass, skip those that no longer do
    (a member entered by hand meanwhile, another import) and report success. Here any
    invalid or failed row rolls the whole import back, and the page lists those rows as the
    preview does, with the form to upload the corrected file."""

    def process_dataset(self, dataset, form, request, **kwargs):
        return super().process_dataset(
            dataset, form, request, rollback_on_validation_errors=True, **kwargs
        )

    def process_result(self, result, request):
        if not (result.has_errors() or result.has_validation_errors()):
            return super().process_result(result, request)
        messages.error(
            request,
            _(
                "Nothing was imported: rows of the file are no longer valid. Correct them, then "
                "upload the file again."
            ),
        )
        form = self.get_import_form_class(request)(
            self.get_import_formats(),
            self.get_import_resource_classes(request),
            initial=self.get_import_form_initial(request),
        )
        resources = [
            resource_class(**self.get_import_resource_kwargs(request))
            for resource_class in self.get_import_resource_classes(request)
        ]
        context = {
            **self.get_import_context_data(),
            **self.admin_site.each_context(request),
            "title": _("Import"),
            "form": form,
            "opts": self.model._meta,
            "media": self.media + form.media,
            "result": result,
            "fields_list": [
                (
                    resource.get_display_name(),
                    [field.column_name for field in resource.get_user_visible_fields()],
                )
                for resource in resources
            ],
            "import_error_display": self.import_error_display,
        }
        request.current_app = self.admin_site.name
        return TemplateResponse(request, [self.import_template_name], context)


class CSVAnyChineseEncoding(CSV):
    """CSV read as UTF-8 or GBK/GB18030; written as UTF-8 with a BOM, which Excel opens
    correctly."""

    def is_binary(self):
        # The admin then hands us the raw bytes instead of decoding them as UTF-8 itself.
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return _dataset(in_stream.encode() if isinstance(in_stream, str) else in_stream)

    def export_data(self, dataset, **kwargs):
        dataset = _map_cells(dataset, neutralise)
        return ("\ufeff" + dataset.export("csv", **kwargs)).encode("utf-8")


class XLSXNeutralised(XLSX):
    """XLSX from Excel or WPS, read by the portal's reader (quote-prefixed cells as they
    stand, formulas through their saved result, bombs refused); written with XlsxWriter
    by the portal's one formula rule (formula-like text a quote-prefixed text cell), whatever
    IMPORT_EXPORT_ESCAPE_FORMULAE_ON_EXPORT says: django-import-export's own escaping only
    drops one leading = (and turns ==1+1 into a live =1+1)."""

    def create_dataset(self, in_stream):
        return _dataset(in_stream)

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
