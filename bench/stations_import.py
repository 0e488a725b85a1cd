"""Benchmark: the national division import and the coverage export, against baselines.

1. Import of china-divisions.csv of the shared data (44,703 rows, `_django.national_file`)
   with `divisions_import`, against a plain PostgreSQL COPY of the same rows into a bare
   table, both timed in this run; then the re-import of the same file (nothing changes: the
   idempotent path).
2. Coverage workbook of the whole country (41,352 townships, each with a station, a social
   worker and a service record) against the same export for one province of ~1,000
   townships: peak Python memory (tracemalloc) and time. Flat memory means a peak ratio near
   1 while the row ratio is ~40.

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and creates and drops its own test database (test_<name>); it takes about six minutes,
most of it openpyxl writing the national workbook under tracemalloc:

    .venv/bin/python bench/stations_import.py
"""

import csv
import datetime
import sys
import tempfile
import time
import tracemalloc

from _django import national_file, start  # noqa: E402

start("portal_bench")

from _measure import timed  # noqa: E402
from _registry import fill_registry  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from stations import sheets  # noqa: E402
from stations.imports import divisions_import  # noqa: E402
from stations.models import Division, Station  # noqa: E402

SMALL_AREA = "50"  # 重庆市: 1,031 townships


def copy_baseline(path):
    """Parse the csv and COPY its rows into a bare table: the floor for any import."""
    with connection.cursor() as cursor:
        cursor.execute(
            "CREATE TABLE bench_copy (code varchar(12) PRIMARY KEY, name varchar(100), "
            "level varchar(10), parent_code varchar(12))"
        )
    start = time.perf_counter()
    with open(path, encoding="utf-8-sig", newline="") as source:
        rows = csv.reader(source)
        next(rows)
        raw = connection.connection  # the psycopg connection under Django's wrapper
        with raw.cursor() as cursor, cursor.copy("COPY bench_copy FROM STDIN") as copy:
            for code, name, level, parent in rows:
                copy.write_row((code, name, level, parent or None))
    elapsed = time.perf_counter() - start
    with connection.cursor() as cursor:
        cursor.execute("SELECT count(*) FROM bench_copy")
        count = cursor.fetchone()[0]
        cursor.execute("DROP TABLE bench_copy")
    return elapsed, count


def export_figures(area, on):
    """(seconds, peak bytes, townships) of writing the coverage workbook of `area`.

    Timed without tracing (tracemalloc slows allocation-heavy code several times), then
    written again under tracemalloc for the peak.
    """
    townships = Division.objects.townships()
    if area is not None:
        townships = townships.within(area)
    count = townships.count()
    with tempfile.TemporaryFile() as out:
        start = time.perf_counter()
        sheets.write_coverage_workbook(out, area=area, on=on, staff_of=Station.objects.all())
        elapsed = time.perf_counter() - start
    with tempfile.TemporaryFile() as out:
        tracemalloc.start()
        sheets.write_coverage_workbook(out, area=area, on=on, staff_of=Station.objects.all())
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return elapsed, peak, count


def main():
    national = national_file()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        copy_seconds, copied = copy_baseline(national)
        import_seconds, report = timed(divisions_import, file=national, actor=None)
        assert report.ok and report.created == copied == 44_703, report.summary()
        again_seconds, again = timed(divisions_import, file=national, actor=None)
        assert again.unchanged == 44_703
        print(f"rows: {copied:,} divisions")
        print(f"baseline COPY (csv parse + COPY):   {copy_seconds:7.2f} s")
        print(f"divisions_import, empty database:   {import_seconds:7.2f} s")
        print(f"divisions_import, same file again:  {again_seconds:7.2f} s")
        print(f"ratio import / COPY:                {import_seconds / copy_seconds:7.1f}x")
        print(f"ratio re-import / COPY:             {again_seconds / copy_seconds:7.1f}x")

        stations = fill_registry()
        on = datetime.date(2026, 6, 30)
        small = Division.objects.get(code=SMALL_AREA)
        small_seconds, small_peak, small_rows = export_figures(small, on)
        all_seconds, all_peak, all_rows = export_figures(None, on)
        print(f"stations, staff, records: {stations:,} each")
        print(
            f"export {small.name} ({small_rows:,} townships): {small_seconds:7.2f} s, "
            f"peak {small_peak / 1024:,.0f} KiB"
        )
        print(
            f"export whole country ({all_rows:,} townships): {all_seconds:7.2f} s, "
            f"peak {all_peak / 1024:,.0f} KiB"
        )
        print(f"ratio rows:        {all_rows / small_rows:7.1f}x")
        print(f"ratio time:        {all_seconds / small_seconds:7.1f}x")
        print(f"ratio peak memory: {all_peak / small_peak:7.2f}x")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
