"""The import of administrative divisions (header code,name,level,parent_code), and the
rule of their statistical codes that every importer and form reads codes with."""

import unicodedata
from dataclasses import dataclass

from django.db import connection, transaction
from django.utils.translation import gettext as _

from common.spreadsheets import (
    CellError,
    ImportReport,
    SpreadsheetError,
    TableFile,
    cell_text,
    parse_bool,
    parse_choice,
)

from ..models import Division

DIVISION_COLUMNS = ["code", "name", "level", "parent_code"]
COUNTS_COLUMN = "counts_toward_coverage"
LEVEL_ORDER = [
    Division.Level.PROVINCE,
    Division.Level.CITY,
    Division.Level.COUNTY,
    Division.Level.TOWNSHIP,
]
LEVEL_DIGITS = {
    Division.Level.PROVINCE: 2,
    Division.Level.CITY: 4,
    Division.Level.COUNTY: 6,
    Division.Level.TOWNSHIP: 9,
}
PARENT_LEVEL = {
    Division.Level.CITY: Division.Level.PROVINCE,
    Division.Level.COUNTY: Division.Level.CITY,
    Division.Level.TOWNSHIP: Division.Level.COUNTY,
}
LEVEL_CHOICES = {
    **{level.value: level for level in Division.Level},
    "省": Division.Level.PROVINCE,
    "省级": Division.Level.PROVINCE,
    "地级": Division.Level.CITY,
    "市级": Division.Level.CITY,
    "县级": Division.Level.COUNTY,
    "乡级": Division.Level.TOWNSHIP,
    "乡镇": Division.Level.TOWNSHIP,
    "乡镇级": Division.Level.TOWNSHIP,
}
BATCH = 2000


def township_counts_by_default(code):
    """Whether a new township counts toward coverage, from its statistical code.

    Digits 7-9 from 400 to 599 mark quasi-township units (development zones, farms), which
    civil affairs do not count; 001-399 are streets, towns and townships. Editable later.
    """
    return not 400 <= int(code[6:9]) <= 599


def normalise_code(value, level):
    """The code of a division of `level` (2, 4, 6 or 9 digits); 12-digit forms are cut."""
    text = unicodedata.normalize("NFKC", cell_text(value))
    if not text:
        raise CellError(_("This cell must not be empty."))
    if not text.isdigit():
        raise CellError(_("“%(value)s” is not a code: codes are digits.") % {"value": text})
    digits = LEVEL_DIGITS[level]
    if len(text) == 12 and digits < 12 and set(text[digits:]) == {"0"}:
        text = text[:digits]
    if len(text) != digits:
        raise CellError(
            _("A code of the level “%(level)s” has %(digits)s digits (or 12 ending in zeros).")
            % {"level": Division.Level(level).label, "digits": digits}
        )
    return text


def township_code(value):
    return normalise_code(value, Division.Level.TOWNSHIP)


@dataclass
class _DivisionRow:
    number: int
    code: str
    name: str
    level: str
    parent_code: str
    counts: bool | None


def _division_rows(table, report):
    rows = []
    first_row = {}
    has_counts = table.has_column(COUNTS_COLUMN)
    for row in table.rows:
        errors = len(report.errors)
        level = code = parent_code = None
        try:
            level = parse_choice(row["level"], LEVEL_CHOICES, required=True)
        except CellError as error:
            report.error(row.number, "level", error.message)
        name = cell_text(row["name"])
        if not name:
            report.error(row.number, "name", _("This cell must not be empty."))
        elif len(name) > 100:
            report.error(row.number, "name", _("The name is longer than 100 characters."))
        counts = None
        if has_counts:
            try:
                counts = parse_bool(row[COUNTS_COLUMN])
            except CellError as error:
                report.error(row.number, COUNTS_COLUMN, error.message)
        if level is not None:
            try:
                code = normalise_code(row["code"], level)
            except CellError as error:
                report.error(row.number, "code", error.message)
            parent_text = cell_text(row["parent_code"])
            if level == Division.Level.PROVINCE:
                if parent_text:
                    report.error(row.number, "parent_code", _("A province has no parent."))
                parent_code = ""
            else:
                try:
                    parent_code = normalise_code(row["parent_code"], PARENT_LEVEL[level])
                except CellError as error:
                    report.error(row.number, "parent_code", error.message)
                else:
                    if code and not code.startswith(parent_code):
                        report.error(
                            row.number,
                            "parent_code",
                            _("The parent's code must be the start of the code %(code)s.")
                            % {"code": code},
                        )
        if code:
            if code in first_row:
                report.error(
                    row.number,
                    "code",
                    _("The code %(code)s is already in row %(row)s.")
                    % {"code": code, "row": first_row[code]},
                )
            else:
                first_row[code] = row.number
        if len(report.errors) == errors:
            rows.append(_DivisionRow(row.number, code, name, level, parent_code, counts))
    return rows


def divisions_import(*, file, actor, dry_run=False, encoding=None):
    """Import administrative divisions (header code,name,level,parent_code) from csv or xlsx.

    Idempotent: a division is found by its code; a re-import updates names and parents and
    never duplicates. Parents may come after their children in the file. A city may arrive
    without its province (a city's own file); it is linked when the province is imported.
    The optional column counts_toward_coverage (是/否) sets the coverage flag; without it,
    existing divisions keep theirs and new townships get township_counts_by_default().
    """
    report = ImportReport(dry_run=dry_run)
    try:
        with TableFile(file, encoding=encoding) as source:
            table = source.read(required=DIVISION_COLUMNS, optional=[COUNTS_COLUMN])
    except SpreadsheetError as error:
        report.file_error(error)
        return report
    report.reading(table)
    rows = _division_rows(table, report)
    existing = {
        code: (pk, name, parent_id, counts)
        for code, pk, name, parent_id, counts in Division.objects.values_list(
            "code", "id", "name", "parent_id", "counts_toward_coverage"
        ).iterator(chunk_size=5000)
    }
    in_file = {row.code for row in rows}
    for row in rows:
        missing = row.parent_code not in in_file and row.parent_code not in existing
        # A city may come without its province: a city's own file (see the docstring).
        if row.parent_code and missing and row.level != Division.Level.CITY:
            report.error(
                row.number,
                "parent_code",
                _("The parent %(code)s is neither in this file nor in the database.")
                % {"code": row.parent_code},
            )
    if report.errors:
        return report
    with transaction.atomic():
        _write_divisions(rows, existing, report, dry_run=dry_run)
        if not dry_run and (report.created or report.updated):
            _analyze_on_commit(Division)
    return report


def _analyze_on_commit(model):
    """Once the import commits, ANALYZE the table it wrote (PostgreSQL only).

    A national import writes 44,703 divisions at once; until autovacuum gets round to the
    table the planner plans coverage and directory queries with the row counts and value
    statistics of before. robust: the import has committed by then, and stale statistics
    are no reason to report it failed.
    """
    if connection.vendor != "postgresql":
        return
    table = connection.ops.quote_name(model._meta.db_table)

    def analyze():
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {table}")

    transaction.on_commit(analyze, robust=True)


def _write_divisions(rows, existing, report, *, dry_run):
    in_file = {row.code for row in rows}
    id_by_code = {code: values[0] for code, values in existing.items()}
    by_level = {level: [] for level in LEVEL_ORDER}
    for row in rows:
        by_level[row.level].append(row)
    for level in LEVEL_ORDER:
        pending = []
        for row in by_level[level]:
            old = existing.get(row.code)
            if not row.parent_code:
                parent_id = None
            elif row.parent_code in id_by_code:
                parent_id = id_by_code[row.parent_code]
            elif row.parent_code in in_file:
                # Only on a dry run: the parent would be created; no id yet.
                parent_id = f"new:{row.parent_code}"
            else:
                # A city whose province is not there: keep the parent it may already have.
                parent_id = old[2] if old else None
            if row.counts is not None:
                counts = row.counts
            elif old is not None:
                counts = old[3]
            else:
                counts = level != Division.Level.TOWNSHIP or township_counts_by_default(row.code)
            if old is None:
                action = "create"
            elif (old[1], old[2], old[3]) == (row.name, parent_id, counts):
                action = "unchanged"
            else:
                action = "update"
            report.count(row.number, action, f"{row.code} {row.name}")
            if action != "unchanged" and not dry_run:
                pending.append(
                    Division(
                        code=row.code,
                        name=row.name,
                        level=level,
                        parent_id=parent_id,
                        counts_toward_coverage=counts,
                    )
                )
        if pending:
            Division.objects.bulk_create(
                pending,
                batch_size=BATCH,
                update_conflicts=True,
                unique_fields=["code"],
                update_fields=["name", "level", "parent", "counts_toward_coverage"],
            )
            missing = [division.code for division in pending if division.pk is None]
            id_by_code.update({division.code: division.pk for division in pending})
            if missing:
                id_by_code.update(
                    Division.objects.filter(code__in=missing).values_list("code", "id")
                )
    if not dry_run:
        _link_orphan_cities()


def _link_orphan_cities():
    provinces = dict(
        Division.objects.filter(level=Division.Level.PROVINCE).values_list("code", "id")
    )
    for city in Division.objects.filter(level=Division.Level.CITY, parent__isnull=True):
        if city.code[:2] in provinces:
            city.parent_id = provinces[city.code[:2]]
            city.save(update_fields=["parent"])
