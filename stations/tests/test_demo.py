"""The demo registry tells DOMAIN.md's story, and seeding twice changes nothing."""

import datetime

import pytest

from stations import demo
from stations.coverage import county_table, growth_by_year
from stations.models import Division, ServiceRecord, Staff, Station


def snapshot():
    return [
        list(model.objects.order_by("pk").values_list())
        for model in (Division, Station, Staff, ServiceRecord)
    ]


@pytest.mark.django_db
def test_demo_registry_is_xuchang_like_and_idempotent():
    demo.seed(log=lambda message: None)
    first = snapshot()
    demo.seed(log=lambda message: None)
    assert snapshot() == first

    city = Division.objects.get(code="4110")
    assert city.parent.name == "河南省"
    assert Division.objects.filter(level="county").count() == 7
    assert Division.objects.townships().count() == 106
    assert Station.objects.count() == 106
    table = county_table(city, on=datetime.date(2026, 11, 29))
    assert table.total.townships == 103
    assert table.total.percent == 100
    zone = next(row for row in table.rows if row.code == "411071")
    assert zone.townships == 1  # the development zone's townships mostly do not count

    growth = {g.year: g for g in growth_by_year(city, until=datetime.date(2026, 12, 31))}
    assert 80 <= growth[2020].certified <= 120
    assert growth[2026].certified >= 500
    assert (growth[2020].organisations, growth[2026].organisations) == (12, 23)
    assert ServiceRecord.objects.values("month").distinct().count() == 12
