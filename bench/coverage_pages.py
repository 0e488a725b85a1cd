"""Benchmark: the city's coverage pages in a national registry against the demo's.

The demo holds one city (许昌市, 105 townships). A provincial or national deployment holds
the whole country: 44,703 divisions and, here, a station, a social worker and a month of
service records for every one of the 41,352 townships. A city's pages should not notice:
"inside a division" is a code-prefix filter answered by the code's index, so each query reads
the city's rows only. Target: each page ≤ 1.1× its time on the demo.

1. Demo data only (`seed_demo`) in one database; a copy of it with the national reference
   file imported on top, stations etc. for every township, and ANALYZE, in another.
2. The median time of the city viewer's coverage dashboard, the public coverage summary,
   the station list and the home page, through Django's test client (the whole request:
   middleware, queries, templates), on each database in turn, five turns each, so that a
   change of load on the machine falls on both. Printed as national ÷ demo: of the fastest
   request (the page's own cost; load only adds to it), of the median, and of the time the
   queries spent in the database (median).
3. For comparison, the SQL time ratio with PostgreSQL's default statistics target on the
   division code (what stations/migrations/0003 changes), which the planner misjudges.

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and creates and drops its own test databases (test_<name> and a copy); about three minutes:

    .venv/bin/python bench/coverage_pages.py [--repeat 30]
"""

import argparse
import io
import statistics
import sys
import time

from _django import national_file, start  # noqa: E402

start("portal_bench")

from _registry import fill_registry  # noqa: E402
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
from stations.models import Division, Station  # noqa: E402

PAGES = [
    ("coverage dashboard (city viewer)", "stations:coverage"),
    ("coverage summary (public)", "stations:coverage-summary"),
    ("station list (city viewer)", "stations:station-list"),
    ("home page", "association:home"),
]
ROUNDS = 5
CITY_VIEWER = "minzheng@example.org"  # the demo's civil-affairs viewer of the whole city


def analyze(code_statistics):
    with connection.cursor() as cursor:
        cursor.execute(
            f"ALTER TABLE {Division._meta.db_table} ALTER COLUMN code "
            f"SET STATISTICS {code_statistics}"
        )
        cursor.execute("ANALYZE")


def use(database):
    """Point this process's connection (and its pool) at another database."""
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    connection.settings_dict["NAME"] = database


def copy_database(source, target):
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'CREATE DATABASE "{target}" TEMPLATE "{source}"')


def drop_database(name):
    connection.close()
    if hasattr(connection, "close_pool"):
        connection.close_pool()
    with connection._nodb_cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{name}"')


class SqlClock:
    """Adds up the time spent in the database by the queries run while it is installed."""

    def __init__(self):
        self.seconds = 0.0

    def __call__(self, execute, sql, params, many, context):
        start = time.perf_counter()
        try:
            return execute(sql, params, many, context)
        finally:
            self.seconds += time.perf_counter() - start


def page_times(client, databases, repeat):
    """{database: {page: (fastest request, median request, median SQL time)}}: each page
    `repeat` times on each database, in ROUNDS turns that alternate between the databases
    (after a warm-up request each turn), so that a change of the machine's load falls on
    both alike. The fastest request is the page's own cost: load only ever adds to it."""
    samples = {database: {label: ([], []) for label, _ in PAGES} for database in databases}
    for _ in range(ROUNDS):
        for database in databases:
            use(database)
            for label, name in PAGES:
                url = reverse(name)
                response = client.get(url)
                assert response.status_code == 200, (url, response.status_code)
                requests, sql = samples[database][label]
                for _ in range(max(1, repeat // ROUNDS)):
                    clock = SqlClock()
                    with connection.execute_wrapper(clock):
                        start = time.perf_counter()
                        client.get(url)
                        requests.append(time.perf_counter() - start)
                    sql.append(clock.seconds)
    return {
        database: {
            label: (min(requests), statistics.median(requests), statistics.median(sql))
            for label, (requests, sql) in pages.items()
        }
        for database, pages in samples.items()
    }


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=30, help="requests per page and phase")
    args = parser.parse_args()
    national_csv = national_file()
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
        townships_demo = Division.objects.townships().count()
        demo = connection.settings_dict["NAME"]
        national = f"{demo}_national"
        copy_database(demo, national)
        try:
            use(national)
            report = divisions_import(file=national_csv, actor=None)
            assert report.ok, report.summary()
            fill_registry(batch_size=5000)
            analyze(target)
            townships_national = Division.objects.townships().count()
            stations_national = Station.objects.count()
            times = page_times(client, [demo, national], args.repeat)
            use(national)
            analyze(-1)
            default = page_times(client, [demo, national], args.repeat)
        finally:
            use(demo)
            drop_database(national)
            use(demo)

        print(f"townships: demo {townships_demo:,}; national {townships_national:,}")
        print(f"stations in the national registry: {stations_national:,}")
        print(f"statistics target of the division code: {target} (PostgreSQL's default: 100)")
        print(
            f"{'page (national ÷ demo)':34} {'fastest':>16} {'ratio':>6} {'median':>7} "
            f"{'SQL time':>17} {'ratio':>6} {'default stats':>14}"
        )
        worst = 0
        for label, _ in PAGES:
            fast_demo, median_demo, sql_demo = times[demo][label]
            fast_national, median_national, sql_national = times[national][label]
            worst = max(worst, fast_national / fast_demo)
            print(
                f"{label:34} {fast_demo * 1000:5.1f} → {fast_national * 1000:5.1f} ms "
                f"{fast_national / fast_demo:5.2f}× {median_national / median_demo:6.2f}× "
                f"{sql_demo * 1000:5.1f} → {sql_national * 1000:5.1f} ms "
                f"{sql_national / sql_demo:5.2f}× "
                f"{default[national][label][2] / default[demo][label][2]:13.2f}×"
            )
        print(f"national / demo, slowest page (fastest requests): {worst:.2f}× (target ≤ 1.1×)")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
