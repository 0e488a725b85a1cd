"""The roster as a file: what the back office exports (Members → Export), xlsx or csv.

One writer, `write_roster`, makes the file inside the request for a roster of up to
EXPORT_IMMEDIATE_MAX_ROWS members and in the worker, as an export job (association.jobs),
for a longer one: the same members in the same order give the same cells either way. The
xlsx has a sheet 说明 first (what the file holds, when and by whom it was made, how to
import it back; the back office's import passes over it), then the members, printed
landscape one page wide with the header row on every page and filter buttons; the csv
holds the members alone. Columns and cells are MemberResource's, so the file imports back
unchanged. Rows are read from the database in chunks and written as they come (XlsxWriter
in constant memory): memory does not grow with the roster.
"""

import datetime
import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from association.models import AssociationProfile
from common.exports import Progress, export
from common.spreadsheets import Column, Printing, WorkbookWriter, write_csv
from common.spreadsheets.writing import NOTES_TITLE, made_notes

from .models import Member
from .resources import MemberResource
from .roles import is_secretariat

CONTENT_TYPES = {
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "csv": "text/csv; charset=utf-8",
}
# Members read from the database at a time, by either path.
CHUNK = 1000
# A job's page is told the rows written every this many rows.
PROGRESS_EVERY = 1000


def may_export_roster(user, **params):
    """The secretariat (two-factor login included) in the back office, with the right to
    see members: who may export the roster, asked at the export, when a job starts and
    again at every download of its file."""
    return is_secretariat(user) and user.is_staff and user.has_perm("members.view_member")


def roster_filename(*, kind, on, **params):
    return _("roster-%(date)s.%(kind)s") % {"date": on, "kind": kind}


def members_in_order(ids):
    """The members of `ids` in that order, read CHUNK at a time; those deleted since the
    ids were taken are left out."""
    for start in range(0, len(ids), CHUNK):
        part = ids[start : start + CHUNK]
        found = Member.objects.select_related("county").in_bulk(part)
        for pk in part:
            if pk in found:
                yield found[pk]


def _cell_makers(resource, fields):
    """Per column of `fields`, the function that gives its cell for a member: what
    Resource.export_field does per cell, its look-ups (the field's name, its dehydrate
    method) made once per column instead (a third of the time of a long roster)."""
    makers = []
    for field in resource.get_export_fields(fields):
        method = field.get_dehydrate_method(resource.get_field_name(field))
        if not callable(method):
            method = getattr(resource, method, None)
        makers.append(method or field.export)
    return makers


def _columns(resource, fields):
    return [
        Column(header, width=max(10, 2 * len(header) + 2))
        for header in resource.get_export_headers(selected_fields=fields)
    ]


def _notes(*, count, sheet, generated_at, generated_by, association):
    notes = [
        (
            _("Contents"),
            _("%(count)s members, one a row, on the sheet “%(sheet)s”.")
            % {"count": count, "sheet": sheet},
        ),
        *made_notes(generated_at=generated_at, generated_by=generated_by, association=association),
    ]
    notes.append(
        (
            _("Import"),
            _(
                "The sheet “%(sheet)s” may be edited and imported back in the back office "
                "(Members → Import): a member is found by the member number, and every row "
                "is checked before anything is saved. This sheet is not read."
            )
            % {"sheet": sheet},
        )
    )
    return notes


def write_roster(
    target,
    members,
    *,
    total,
    fields,
    kind,
    generated_by,
    progress=None,
    generated_at=None,
    every=PROGRESS_EVERY,
):
    """Write the roster of `members` (an iterable of Members; `total` of them) to the
    binary file `target`: the columns `fields` of MemberResource (None: all), as "xlsx" or
    "csv" (`kind`). `progress(rows_written, total)`, if given, is called every `every` rows
    and once more at the end."""
    resource = MemberResource()
    columns = _columns(resource, fields)
    done = Progress(progress, total, every=every)

    makers = _cell_makers(resource, fields)

    def rows():
        for member in members:
            yield [make(member) for make in makers]
            done.add()

    if kind == "csv":
        write_csv(target, columns, rows())
        done.finish()
        return
    generated_at = generated_at or timezone.now()
    association = AssociationProfile.current().name
    if association:
        title = _("Roster of %(association)s") % {"association": association}
    else:
        title = _("Roster")
    sheet_title = pgettext("sheet name", "Members")
    book = WorkbookWriter()
    # XlsxWriter writes the time as UTC.
    properties = {
        "title": title,
        "created": generated_at.astimezone(datetime.UTC).replace(tzinfo=None),
    }
    if association:
        properties.update(author=association, company=association)
    book.set_properties(**properties)
    book.add_notes_sheet(
        str(NOTES_TITLE),
        title,
        _notes(
            count=total,
            sheet=sheet_title,
            generated_at=generated_at,
            generated_by=generated_by,
            association=association,
        ),
    )
    sheet = book.add_sheet(sheet_title, columns, printing=Printing(title, autofilter=True))
    for values in rows():
        sheet.append(values)
    book.save(target)
    done.finish()


def roster_response(queryset, *, fields, kind, user):
    """The roster of `queryset` written inside the request, as a download."""
    # A temporary file keeps memory flat however long the roster is.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write_roster(
        output,
        queryset.select_related("county").iterator(chunk_size=CHUNK),
        total=queryset.count(),
        fields=fields,
        kind=kind,
        generated_by=user,
    )
    output.seek(0)
    filename = roster_filename(kind=kind, on=timezone.localdate().isoformat())
    return FileResponse(
        output, as_attachment=True, filename=filename, content_type=CONTENT_TYPES[kind]
    )


# The download's type comes from the file name (.xlsx or .csv), not from content_type.
@export(allowed=may_export_roster, filename=roster_filename, content_type=CONTENT_TYPES["xlsx"])
def roster_file(target, *, progress, user, ids, fields, kind, on):
    """The roster of the members `ids` (in that order), as the back office would have
    written it had it been short (in the job's language: association.jobs)."""
    write_roster(
        target,
        members_in_order(ids),
        total=Member.objects.filter(pk__in=ids).count(),
        fields=fields,
        kind=kind,
        generated_by=user,
        progress=progress,
    )
