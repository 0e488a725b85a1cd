"""Coverage pages of one city read only that city's rows, even in a national registry.

"Inside a division" is a prefix filter on the statistical code (`code LIKE '4110%'`). The
code column has a varchar_pattern_ops index (Django adds it to every unique varchar), but at
PostgreSQL's default statistics target the planner guesses a city holds several times its
townships and answers by scanning every station, social worker and service record in the
country. These tests build a registry of national size, let PostgreSQL analyse it, and read
the plans of every query the pages run.
"""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from conftest import login
from stations.imports import divisions_import
from stations.models import Division, ServiceRecord, Staff, Station

from .conftest import reference_file

pytestmark = pytest.mark.skipif(
    connection.vendor != "postgresql", reason="query plans of PostgreSQL"
)

OPENED = datetime.date(2022, 1, 1)
REGISTRY_TABLES = (
    "stations_division",
    "stations_station",
    "stations_staff",
    "stations_servicerecord",
)


def _copy_for_each(template, field, ids):
    """Copy the row `template` once for every row of the queryset `ids`, its id into `field`.

    In SQL (fast enough for a national registry), every other column copied from the
    template, so a column added to the model later needs nothing here."""
    model = type(template)
    table = model._meta.db_table
    varied = model._meta.get_field(field).column
    columns = [f.column for f in model._meta.concrete_fields if not f.primary_key]
    values = ", ".join("source.id" if c == varied else f"template.{c}" for c in columns)
    ids_sql, params = ids.values("id").query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({', '.join(columns)}) SELECT {values} "
            f"FROM {table} template, ({ids_sql}) source "
            f"WHERE template.id = %s AND source.id <> template.{varied}",
            [*params, template.pk],
        )


@pytest.fixture
def national_registry(city):
    """The 44,703 divisions of the national reference file (许昌市 among them), every
    township with an operating station, a social worker and a month of service records."""
    path = reference_file("china-divisions.csv")
    assert divisions_import(actor=None, file=path).ok
    townships = Division.objects.townships()
    station = Station.objects.create(
        township=townships.first(), name="社工站", status="operating", opened_on=OPENED
    )
    _copy_for_each(station, "township", townships)
    stations = Station.objects.all()
    staff = Staff.objects.create(
        station=station, name="社工", qualification="assistant", since_on=OPENED
    )
    _copy_for_each(staff, "station", stations)
    record = ServiceRecord.objects.create(
        station=station, month=datetime.date(2026, 1, 1), people_served=10
    )
    _copy_for_each(record, "station", stations)
    with connection.cursor() as cursor:
        for table in REGISTRY_TABLES:
            # Inside the test's transaction ANALYZE sees the rows just written, as autovacuum
            # sees them after an import.
            cursor.execute(f"ANALYZE {table}")
    return Station.objects.count()


def _plans(queries):
    """The EXPLAIN of every query that reads the registry."""
    plans = []
    with connection.cursor() as cursor:
        for query in queries:
            if not any(table in query["sql"] for table in REGISTRY_TABLES):
                continue
            cursor.execute("EXPLAIN " + query["sql"])
            plans.append((query["sql"], "\n".join(row[0] for row in cursor.fetchall())))
    return plans


def _scanned_whole(plan):
    return sorted(set(re.findall(r"Seq Scan on (stations_\w+)", plan)))


def test_coverage_pages_of_a_city_read_through_the_code_index_in_a_national_registry(
    client, profile, city, city_viewer, national_registry
):
    assert national_registry == 41_352
    login(client, city_viewer)
    plans = []
    for page in ("stations:coverage", "stations:coverage-summary", "stations:station-list"):
        with CaptureQueriesContext(connection) as context:
            response = client.get(reverse(page))
        assert response.status_code == 200, page
        plans += _plans(context.captured_queries)
    prefix_plans = [plan for sql, plan in plans if "LIKE '4110%'" in sql]
    assert len(prefix_plans) >= 5
    for plan in prefix_plans:
        assert re.search(r"Index Cond: \(\(?\(code\)::text ~>=~ '4110'", plan), plan
    scanned = {sql: _scanned_whole(plan) for sql, plan in plans if _scanned_whole(plan)}
    assert scanned == {}
    plan = Station.objects.within(city).explain()
    assert "Seq Scan" not in plan, plan


def test_planner_estimates_a_city_by_its_code_prefix_within_a_factor_of_two(
    city, national_registry
):
    inside = Division.objects.within(city)
    estimate = int(re.search(r"rows=(\d+)", inside.explain()).group(1))
    assert inside.count() / 2 <= estimate <= inside.count() * 2
