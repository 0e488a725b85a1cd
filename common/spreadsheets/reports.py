"""What an import did or would do: counts, a preview of the changes, and errors per cell.

An import collects every problem in an ImportReport and writes nothing unless the report is
free of errors (all or nothing); a dry run fills the same report and writes nothing at all.
"""

from dataclasses import dataclass, field

from django.utils.translation import gettext as _
from django.utils.translation import ngettext

PREVIEW_LIMIT = 200


def row_ranges(numbers):
    """Row numbers as a clerk reads them: [7, 8, 9, 12] gives "7–9、12"."""
    numbers = sorted(set(numbers))
    runs = []
    for number in numbers:
        if runs and number == runs[-1][1] + 1:
            runs[-1][1] = number
        else:
            runs.append([number, number])
    return _(", ").join(str(first) if first == last else f"{first}–{last}" for first, last in runs)


@dataclass
class RowError:
    """A problem with one cell (row and column), a column (row 1) or the whole file;
    `sheet` names the workbook's sheet (None for a csv)."""

    row: int | None
    column: str
    message: str
    sheet: str | None = None

    def __str__(self):
        if self.sheet and self.row is not None and self.column:
            return _("%(sheet)s, row %(row)s, column %(column)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "column": self.column,
                "message": self.message,
            }
        if self.sheet and self.row is not None:
            return _("%(sheet)s, row %(row)s: %(message)s") % {
                "sheet": self.sheet,
                "row": self.row,
                "message": self.message,
            }
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
    sheet: str | None = None

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
    # RowErrors that are not errors: what the import leaves aside, said once.
    notes: list = field(default_factory=list)
    changes: list = field(default_factory=list)
    # {kind: {"create": n, "update": n, "unchanged": n}} when a file holds several kinds.
    by_kind: dict = field(default_factory=dict)
    # The sheet that the rows being checked are on: errors and changes name it.
    sheet: str | None = None
    _cells_in_error: set = field(default_factory=set, repr=False)
    _rows_in_error: set = field(default_factory=set, repr=False)

    @property
    def ok(self):
        return not self.errors

    @property
    def names_sheets(self):
        """Whether errors or changes name a sheet (a workbook, not a csv)."""
        return any(item.sheet for item in [*self.errors, *self.notes, *self.changes])

    def reading(self, table):
        """Check the rows of `table` next: errors and changes name its sheet, and the
        cells the reader could not read (a formula without a saved result) are errors."""
        self.sheet = table.sheet
        for row, column, message in table.problems:
            self.error(row, column, message)

    @property
    def total(self):
        return self.created + self.updated + self.unchanged

    def error(self, row, column, message):
        """Record a problem; a cell already in error keeps its first one, the cause (an
        unreadable or empty cell then fails each check made of it again)."""
        if row is not None and column:
            key = (self.sheet, row, column)
            if key in self._cells_in_error:
                return
            self._cells_in_error.add(key)
        if row is not None:
            self._rows_in_error.add((self.sheet, row))
        self.errors.append(RowError(row=row, column=column, message=str(message), sheet=self.sheet))

    def row_failed(self, row):
        """Whether a row of the current sheet has an error."""
        return (self.sheet, row) in self._rows_in_error

    def note(self, row, column, message):
        """Record what the import leaves aside without it being an error."""
        self.notes.append(RowError(row=row, column=column, message=str(message), sheet=self.sheet))

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
            self.changes.append(
                Change(row=row, action=action, description=str(description), sheet=self.sheet)
            )

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
