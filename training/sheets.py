"""Workbooks of continuing education, written through the portal's one spreadsheet writer:
a training's registrations, and the hours of current registration periods."""

import tempfile

from django.http import FileResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from common.exports import Progress
from common.spreadsheets import Column, WorkbookWriter

from .models import Attendance, Registration

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DATE = "yyyy-mm-dd"
DATETIME = "yyyy-mm-dd hh:mm"
HOURS = "0.0"
WHOLE = "0"


def _naive(value):
    """Workbooks hold no time zones: local wall-clock time, as the page shows it."""
    return timezone.localtime(value).replace(tzinfo=None) if value else None


def _registration(field):
    return lambda row: _naive(getattr(row["registration"], field))


def registration_columns():
    return [
        Column(
            pgettext("name of a person", "Name"),
            14,
            value=lambda r: r["registration"].user.full_name,
        ),
        Column(_("E-mail"), 28, value=lambda row: row["registration"].user.email),
        Column(_("Status"), 12, value=lambda row: row["registration"].get_status_display()),
        Column(_("Place on the waiting list"), 12, WHOLE, lambda row: row["position"]),
        Column(_("Registered at"), 18, DATETIME, _registration("created_at")),
        Column(_("Seat given at"), 18, DATETIME, _registration("confirmed_at")),
        Column(_("Cancelled at"), 18, DATETIME, _registration("cancelled_at")),
        Column(_("Sessions attended"), 10, WHOLE, lambda row: row["sessions"]),
        Column(_("Hours credited"), 10, HOURS, lambda row: row["hours"]),
    ]


def registration_rows(training):
    totals = {}
    for user_id, hours in Attendance.objects.filter(session__training=training).values_list(
        "user", "hours"
    ):
        sessions, total = totals.get(user_id, (0, 0))
        totals[user_id] = (sessions + 1, total + hours)
    position = 0
    registrations = training.registrations.select_related("user").order_by("created_at", "pk")
    for registration in registrations.iterator(chunk_size=1000):
        waiting = registration.status == Registration.Status.WAITING
        position += waiting
        sessions, hours = totals.get(registration.user_id, (0, 0))
        yield {
            "registration": registration,
            "position": position if waiting else None,
            "sessions": sessions,
            "hours": hours,
        }


def hours_columns(*, today, with_contact):
    columns = [
        Column(
            pgettext("name of a person", "Name"), 14, value=lambda period: period.user.full_name
        ),
        Column(_("E-mail"), 28, value=lambda period: period.user.email),
        Column(_("Qualification level"), 16, value=lambda p: p.get_qualification_display()),
        Column(_("Registration certificate number"), 22, value=lambda p: p.certificate_number),
        Column(_("First day of the period"), 12, DATE, lambda period: period.starts_on),
        Column(_("Last day of the period"), 12, DATE, lambda period: period.ends_on),
        Column(_("Hours credited"), 10, HOURS, lambda period: period.hours),
        Column(_("Of which from elsewhere"), 10, HOURS, lambda period: period.hours_outside),
        Column(_("Hours required"), 10, HOURS, lambda period: period.required),
        Column(_("Hours missing"), 10, HOURS, lambda p: max(p.required - p.hours, 0)),
        Column(_("Days left"), 8, WHOLE, lambda period: period.days_left(today)),
    ]
    return columns if with_contact else [columns[0], *columns[2:]]


def _response(write, filename):
    # A temporary file keeps memory flat however long the list is.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    write(output)
    output.seek(0)
    return FileResponse(output, as_attachment=True, filename=filename, content_type=XLSX)


def registrations_response(training):
    def write(output):
        book = WorkbookWriter()
        sheet = book.add_sheet(_("Registrations")[:31], registration_columns())
        for row in registration_rows(training):
            sheet.append_record(row)
        book.save(output)

    return _response(write, _("registrations-%(pk)s.xlsx") % {"pk": training.pk})


def write_hours(target, periods, *, today, show_all, with_contact, progress=None):
    """The hours report's workbook; `progress(rows_written, total)` every 1000 rows, and
    once more at the end, when given."""
    total = periods.count() if progress else None
    book = WorkbookWriter()
    title = _("Hours") if show_all else _("Short of hours")
    sheet = book.add_sheet(title[:31], hours_columns(today=today, with_contact=with_contact))
    done = Progress(progress, total)
    for period in periods.iterator(chunk_size=1000):
        sheet.append_record(period)
        done.add()
    book.save(target)
    done.finish()


def hours_response(periods, *, today, show_all, with_contact):
    def write(output):
        write_hours(output, periods, today=today, show_all=show_all, with_contact=with_contact)

    name = _("continuing-education-hours-%(date)s.xlsx") % {"date": today.isoformat()}
    return _response(write, name)
