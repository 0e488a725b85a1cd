"""The registry's two rules, each stated once on a manager: "inside a division" and
"operating on a date". Every page, export and count goes through them."""

import pytest

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
