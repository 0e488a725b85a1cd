"""Who may see a station's resident social workers: the station page, the coverage
workbook's 驻站社工 sheet and the admin's lists of staff obey one rule (stations.access)."""

import pytest
from django.contrib import admin
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

from conftest import login
from stations.admin import StaffAdmin
from stations.models import Staff

from .conftest import open_workbook, rows_of

pytestmark = pytest.mark.django_db

EVERYONE = {"张静", "李明", "王芳", "赵磊", "孙丽", "周楠", "吴凡"}
WEIDU = EVERYONE - {"吴凡"}  # 吴凡 works in 建安区, outside the county viewer's scope
PERSONAS = [
    ("secretariat", EVERYONE),
    ("city_viewer", EVERYONE),
    ("county_viewer", WEIDU),
    ("secretariat_without_2fa", set()),
    ("city_viewer_without_2fa", set()),
    ("superuser_without_2fa", set()),
    ("individual_member", set()),
    ("outsider", set()),
    (None, set()),
]


def persona_user(request, persona):
    return request.getfixturevalue(persona) if persona else AnonymousUser()


def names_on_station_pages(client, registry):
    shown = set()
    for station in registry.stations.values():
        content = client.get(reverse("stations:station", args=[station.pk])).content
        for name in station.staff.values_list("name", flat=True):
            if f'<th scope="row">{name}</th>' in content.decode():
                shown.add(name)
    return shown


def names_in_workbook(client):
    response = client.get(reverse("stations:coverage-export"))
    if response.status_code != 200:
        return None
    book = open_workbook(b"".join(response.streaming_content))
    return {row[3] for row in rows_of(book["驻站社工"])[1:]}


def names_in_admin(user):
    request = RequestFactory().get("/admin/stations/staff/")
    request.user = user
    queryset = StaffAdmin(Staff, admin.site).get_queryset(request)
    return set(queryset.values_list("name", flat=True))


@pytest.mark.parametrize(("persona", "sees"), PERSONAS)
def test_page_workbook_and_admin_show_the_same_staff(
    client, registry, profile, request, persona, sees
):
    user = persona_user(request, persona)
    if persona:
        login(client, user)
    assert names_on_station_pages(client, registry) == sees
    assert names_in_admin(user) == sees
    workbook = names_in_workbook(client)
    # The workbook is for staff roles only; the others are refused before any sheet.
    if persona in ("secretariat", "city_viewer", "county_viewer"):
        assert workbook == sees
    else:
        assert workbook is None


def test_county_viewer_cannot_ask_the_workbook_for_another_county(
    client, registry, profile, county_viewer
):
    login(client, county_viewer)
    response = client.get(reverse("stations:coverage-export"), {"county": "411003"})
    assert response.status_code == 404


def test_civil_affairs_viewer_in_the_back_office_sees_only_the_staff_in_scope(
    client, registry, county_viewer
):
    # A county bureau given back-office access reads staff through its group's view
    # permission; the admin lists only the staff of the stations inside its county.
    county_viewer.is_staff = True
    county_viewer.save()
    login(client, county_viewer)
    listing = client.get(reverse("admin:stations_staff_changelist"))
    assert listing.status_code == 200
    assert {staff.name for staff in listing.context["cl"].result_list} == WEIDU
    outside = Staff.objects.get(name="吴凡")
    change = client.get(reverse("admin:stations_staff_change", args=[outside.pk]))
    assert change.status_code == 302  # the admin's answer for an object it cannot find
    town = registry.stations["town"]
    station_page = client.get(reverse("admin:stations_station_change", args=[town.pk]))
    assert station_page.status_code == 200
    assert "吴凡" not in station_page.content.decode()
    west = registry.stations["west"]
    station_page = client.get(reverse("admin:stations_station_change", args=[west.pk]))
    assert "张静" in station_page.content.decode()
