"""Benchmark: the city's coverage pages in a national registry against the demo's.

The demo holds one city (许昌市, 105 townships). A provincial or national deployment holds
the whole country: 44,703 divisions and, here, a station, a social worker and a month of
service records for every one of the 41,352 townships. A city's pages should not notice:
"inside a division" is a code-prefix filter answered by the code's index, so each query reads
the city's rows only. Target: each page ≤ 1.1× its time on the demo.

1. Demo data only (`seed_demo`): the median time of the city viewer's coverage dashboard,
   the public coverage summary, the station list and the home page, through Django's test
   client (the whole request: middleware, queries, templates).
2. The national reference file imported on top, stations etc. for every township, ANALYZE:
   the same pages, the same way. Printed as ratios to (1).
3. For comparison, the same with PostgreSQL's default statistics target on the division
   code (what stations/migrations/0003 changes), which the planner misjudges.

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and creates and drops its own test database (test_<name>); about two minutes:

    .venv/bin/python bench/coverage_pages.py [--repeat 30]
"""

import argparse
import datetime
import io
import os
import statistics
import sys
import time
import warnings
from pathlib import Path

BASE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(BASE))
os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal_bench")
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "association.settings")
# whitenoise warns that collectstatic has not run: the pages need no static file here.
warnings.filterwarnings("ignore", message="No directory at")

import django  # noqa: E402

django.setup()

from allauth.mfa.totp.internal.auth import TOTP, generate_totp_secret  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    setup_databases,
    setup_test_environment,
    teardown_databases,
)
from django.urls import reverse  # noqa: E402

from members.models import User  # noqa: E402
from stations.imports import divisions_import  # noqa: E402
from stations.models import Division, ServiceRecord, Staff, Station  # noqa: E402

NATIONAL = BASE.parent / "shared" / "data" / "china-divisions.csv"
PAGES = [
    ("coverage dashboard (city viewer)", "stations:coverage"),
    ("coverage summary (public)", "stations:coverage-summary"),
    ("station list (city viewer)", "stations:station-list"),
    ("home page", "association:home"),
]
CITY_VIEWER = "minzheng@example.org"  # the demo's civil-affairs viewer of the whole city


def fill_country():
    """A station, a social worker and a month of records for every township without one."""
    opened = datetime.date(2022, 1, 1)
    empty = Division.objects.townships().filter(station__isnull=True)
    Station.objects.bulk_create(
        (
            Station(township_id=pk, name=f"社工站{pk}", status="operating", opened_on=opened)
            for pk in empty.values_list("id", flat=True).iterator(5000)
        ),
        batch_size=5000,
    )
    new = Station.objects.filter(staff__isnull=True).values_list("id", flat=True)
    new = list(new)
    Staff.objects.bulk_create(
        (
            Staff(station_id=pk, name="社工", qualification="assistant", since_on=opened)
            for pk in new
        ),
        batch_size=5000,
    )
    ServiceRecord.objects.bulk_create(
        (
            ServiceRecord(station_id=pk, month=datetime.date(2026, 1, 1), people_served=100)
            for pk in new
        ),
        batch_size=5000,
    )


def analyze(code_statistics):
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {Division._meta.db_table} ALTER COLUMN code "
            f"SET STATISTICS {code_statistics}"
        )
        cursor.execute("ANALYZE")


def page_times(client, repeat):
    """{page: median seconds} over `repeat` requests of each page, after one warm-up."""
    times = {}
    for label, name in PAGES:
        url = reverse(name)
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)
        samples = []
        for _ in range(repeat):
            start = time.perf_counter()
            client.get(url)
            samples.append(time.perf_counter() - start)
        times[label] = statistics.median(samples)
    return times


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and phase")
    args = parser.parse_args()
    if not NATIONAL.exists():
        sys.exit(f"{NATIONAL} is missing: the benchmark needs the national reference file")
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        call_command("seed_demo", verbosity=0, stdout=io.StringIO())
        setup_test_environment(debug=False)
        viewer = User.objects.get(email=CITY_VIEWER)
        TOTP.activate(viewer, generate_totp_secret())
        client = Client()
        client.force_login(viewer)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT attstattarget FROM pg_attribute WHERE attrelid = %s::regclass "
                "AND attname = 'code'",
                [Division._meta.db_table],
            )
            target = cursor.fetchone()[0]
        analyze(target)
        demo = page_times(client, args.repeat)
        townships_demo = Division.objects.townships().count()

        report = divisions_import(file=NATIONAL, actor=None)
        assert report.ok, report.summary()
        fill_country()
        analyze(target)
        national = page_times(client, args.repeat)
        analyze(-1)
        default = page_times(client, args.repeat)
        analyze(target)

        print(
            f"townships: demo {townships_demo:,}; national {Division.objects.townships().count():,}"
        )
        print(f"stations in the national registry: {Station.objects.count():,}")
        print(f"statistics target of the division code: {target} (PostgreSQL's default: 100)")
        print(f"{'page':36} {'demo':>8} {'national':>9} {'ratio':>7} {'default stats':>14}")
        for label, _ in PAGES:
            print(
                f"{label:36} {demo[label] * 1000:6.1f}ms {national[label] * 1000:7.1f}ms "
                f"{national[label] / demo[label]:6.2f}× {default[label] / demo[label]:13.2f}×"
            )
        worst = max(national[label] / demo[label] for label, _ in PAGES)
        print(f"national / demo, slowest ratio: {worst:.2f}× (target ≤ 1.1×)")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
