"""The "who is short of hours" workbook as an export job (association.jobs), when the list
is too long to write inside a request."""

import datetime

from django.utils.translation import gettext as _

from common.exports import export
from members import roles

from . import sheets
from .models import RegistrationPeriod

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def report_periods(user, *, show_all, today):
    """Current periods with their hours, narrowed to a civil-affairs viewer's scope, and to
    those short of hours unless `show_all`: the report's rows, page and file alike."""
    periods = RegistrationPeriod.objects.current(today).with_hours().select_related("user")
    scope = roles.scope_of(user)
    if scope is not None:
        periods = periods.within(scope)
    if not show_all:
        periods = periods.short()
    return periods.order_by("ends_on", "user__full_name", "pk")


def may_export_hours(user, *, show_all, today):
    return roles.can_see_training_hours(user) and not roles.needs_two_factor_setup(user)


def _filename(*, show_all, today):
    return _("continuing-education-hours-%(date)s.xlsx") % {"date": today}


@export(allowed=may_export_hours, filename=_filename, content_type=XLSX)
def hours_workbook(target, *, progress, user, show_all, today):
    on = datetime.date.fromisoformat(today)
    sheets.write_hours(
        target,
        report_periods(user, show_all=show_all, today=on),
        today=on,
        show_all=show_all,
        with_contact=roles.is_secretariat(user),
        progress=progress,
    )
