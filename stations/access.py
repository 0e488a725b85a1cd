"""Who may see a station's resident social workers: one rule for every page and file.

Stations are public (the directory, a station's page, the coverage summary); the names of
the social workers at them are not. The secretariat sees every station's staff, a
civil-affairs viewer the staff of the stations inside their scope, and nobody else any;
a staff account that has not set up two-factor login sees none until it has (the role
checks answer so). The station
page, the coverage workbook's 驻站社工 sheet and the admin's lists of staff all ask
`stations_with_visible_staff`.
"""

from django.shortcuts import get_object_or_404

from members.roles import is_civil_affairs, is_secretariat, scope_of

from .models import Station


def stations_with_visible_staff(user):
    """The stations whose resident social workers `user` may see (a queryset)."""
    if not (is_secretariat(user) or is_civil_affairs(user)):
        return Station.objects.none()
    return Station.objects.within(scope_of(user))


def station_for_user(request, pk):
    """(station, can_see_staff) for the station `pk`, or 404 when there is none."""
    station = get_object_or_404(
        Station.objects.select_related("township__parent", "operator"), pk=pk
    )
    can_see_staff = stations_with_visible_staff(request.user).filter(pk=station.pk).exists()
    return station, can_see_staff
