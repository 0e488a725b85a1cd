"""The coverage workbook as an export job (association.jobs), for areas larger than a city
or whenever the viewer asks for it in the background."""

import datetime

from django.utils.translation import gettext as _

from common.exports import export
from members.roles import is_civil_affairs, is_secretariat, needs_two_factor_setup, scope_of

from . import sheets
from .access import stations_with_visible_staff
from .models import Division

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _area(area):
    return Division.objects.get(pk=area) if area is not None else None


def may_export_coverage(user, *, area, on):
    """Whether `user` may have the coverage workbook of the division `area` (an id; None:
    every division): the secretariat any, a civil-affairs viewer one inside their scope."""
    if not (is_secretariat(user) or is_civil_affairs(user)) or needs_two_factor_setup(user):
        return False
    scope = scope_of(user)
    if scope is None:
        return True
    return area is not None and Division.objects.within(scope).filter(pk=area).exists()


def _filename(*, area, on):
    name = _area(area).name if area is not None else _("all divisions")
    return f"社工站覆盖率-{name}-{on}.xlsx"


@export(allowed=may_export_coverage, filename=_filename, content_type=XLSX)
def coverage_workbook(target, *, progress, user, area, on):
    sheets.write_coverage_workbook(
        target,
        area=_area(area),
        on=datetime.date.fromisoformat(on),
        staff_of=stations_with_visible_staff(user),
        progress=progress,
        generated_by=user,
    )
