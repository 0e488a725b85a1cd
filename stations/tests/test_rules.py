"""The registry's two rules, each stated once on a manager: "inside a division" and
"operating on a date". Every page, export and count goes through them."""

import datetime

import pytest

from stations.coverage import county_table, township_rows
from stations.models import Division, ServiceRecord, Staff, Station

pytestmark = pytest.mark.django_db


def codes(queryset):
    return sorted(queryset.values_list("code", flat=True))


def test_a_division_is_inside_itself_and_its_ancestors(registry):
    west = registry.townships["west"]
    assert codes(Division.objects.within(registry.county).counties()) == ["411002"]
    assert codes(Division.objects.within(registry.city).counties()) == ["411002", "411003"]
    assert codes(Division.objects.within(west)) == ["411002001"]
    assert Division.objects.within(None).count() == Division.objects.count()


def test_every_model_is_inside_an_area_through_its_township(registry):
    county = registry.county
    weidu = {"西大街道社工站", "东大街道社工站", "西关街道社工站", "东城区社工站"}
    assert set(Station.objects.within(county).values_list("name", flat=True)) == weidu
    assert set(Staff.objects.within(county).values_list("station__name", flat=True)) == weidu
    assert set(ServiceRecord.objects.within(county).values_list("station__name", flat=True)) == {
        "西大街道社工站",
        "西关街道社工站",
    }
    assert Station.objects.within(None).count() == Station.objects.count() == 6
    other = registry.other_county
    assert set(Staff.objects.within(other).values_list("name", flat=True)) == {"吴凡"}


@pytest.mark.parametrize(
    ("on", "operating"),
    [
        (datetime.date(2020, 2, 29), {"quasi", "undated"}),
        (datetime.date(2020, 3, 1), {"quasi", "west", "undated"}),
        (datetime.date(2026, 11, 29), {"quasi", "west", "east", "town", "undated"}),
    ],
)
def test_stations_operate_from_their_opening_day_and_every_count_agrees(registry, on, operating):
    # An operating station of unknown opening date (written around the forms) counts on
    # every date; suspended and planned ones never do.
    undated = registry.townships["south"]
    Station.objects.create(township=undated, name="南关街道社工站", status=Station.Status.OPERATING)
    keys = {station.pk: key for key, station in registry.stations.items()}
    keys[Station.objects.get(township=undated).pk] = "undated"
    assert {keys[pk] for pk in Station.objects.operating_on(on).values_list("pk", flat=True)} == (
        operating
    )
    rows = township_rows(registry.city, on=on)
    assert {keys[row["station__id"]] for row in rows if row["operating"]} == operating
    table = county_table(registry.city, on=on)
    assert table.total.stations == len(operating)
