"""Benchmark: importing 100,000 service records, against a bulk_create of the same rows.

8,334 townships with a station each get twelve months of records (100,008 rows). The
baseline builds the same ServiceRecord objects from values already parsed, with the station
ids at hand, and writes them with one bulk_create (batches of 2,000): the floor for any
import that writes them through the ORM. `service_records_import` then reads the same rows
from a file (csv, then xlsx), checks every row and writes them; last, the same csv again
(every row unchanged, nothing written). Each is timed in this run and printed as a ratio
to the baseline; the target of issue 12 is ≤ 3× for the csv.

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench_
records) and creates and drops its own test database (test_<name>); about two minutes:

    .venv/bin/python bench/service_records_import.py [--stations 8334]
"""

import argparse
import csv
import datetime
import sys
import tempfile
import time
from pathlib import Path

from _django import start  # noqa: E402

start("portal_bench_records")

import xlsxwriter  # noqa: E402
from _measure import timed  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from stations import sheets  # noqa: E402
from stations.imports import service_records_import  # noqa: E402
from stations.models import Division, ServiceRecord, Station  # noqa: E402

MONTHS = [datetime.date(2025, month, 1) for month in range(1, 13)]
HEADER = [
    sheets.TOWNSHIP_CODE,
    sheets.TOWNSHIP,
    sheets.STATION,
    sheets.MONTH,
    *(sheets.FIGURE_HEADERS[figure] for figure in ServiceRecord.FIGURES),
]


def fill_registry(count):
    """A province, a city, a county and `count` townships, each with an operating station."""
    province = Division.objects.create(code="41", name="河南省", level="province")
    city = Division.objects.create(code="4110", name="许昌市", level="city", parent=province)
    county = Division.objects.create(code="411002", name="魏都区", level="county", parent=city)
    Division.objects.bulk_create(
        (
            Division(
                code=f"411{number:06d}",
                name=f"乡镇{number}",
                level="township",
                parent=county,
            )
            for number in range(1, count + 1)
        ),
        batch_size=2000,
    )
    townships = Division.objects.townships().values_list("id", flat=True).iterator(2000)
    Station.objects.bulk_create(
        (
            Station(
                township_id=pk,
                name=f"社工站{pk}",
                status="operating",
                opened_on=datetime.date(2022, 1, 1),
            )
            for pk in townships
        ),
        batch_size=2000,
    )
    return list(
        Station.objects.order_by("township__code").values_list(
            "id", "township__code", "township__name", "name"
        )
    )


def figures(index):
    return [index % 7, index % 3, index % 5, 50 + index % 300, index % 11, (index % 1000) * 1.5]


def rows_of(stations):
    """(station id, month, figures) and the file's cells for each record."""
    index = 0
    for station_id, code, township, name in stations:
        for month in MONTHS:
            index += 1
            values = figures(index)
            yield (station_id, month, values), [code, township, name, f"{month:%Y-%m}", *values]


def write_files(stations, folder):
    csv_path = Path(folder) / "records.csv"
    xlsx_path = Path(folder) / "records.xlsx"
    book = xlsxwriter.Workbook(str(xlsx_path), {"constant_memory": True})
    sheet = book.add_worksheet(sheets.RECORDS_SHEET)
    sheet.write_row(0, 0, HEADER)
    with open(csv_path, "w", encoding="utf-8-sig", newline="") as out:
        writer = csv.writer(out)
        writer.writerow(HEADER)
        for number, (_record, cells) in enumerate(rows_of(stations), start=1):
            writer.writerow(cells)
            sheet.write_row(number, 0, cells)
    book.close()
    return csv_path, xlsx_path


def baseline(stations):
    """Seconds of a bulk_create of the same records from values already parsed."""
    start = time.perf_counter()
    records = [
        ServiceRecord(
            station_id=station_id,
            month=month,
            **dict(zip(ServiceRecord.FIGURES, values, strict=True)),
        )
        for (station_id, month, values), _cells in rows_of(stations)
    ]
    ServiceRecord.objects.bulk_create(records, batch_size=2000)
    return time.perf_counter() - start, len(records)


def clear():
    with connection.cursor() as cursor:
        cursor.execute(f"TRUNCATE {ServiceRecord._meta.db_table}")


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("--stations", type=int, default=8334)
    options = parser.parse_args()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        stations = fill_registry(options.stations)
        with tempfile.TemporaryDirectory() as folder:
            csv_path, xlsx_path = write_files(stations, folder)
            base_seconds, count = baseline(stations)
            clear()
            csv_seconds, report = timed(service_records_import, file=csv_path, actor=None)
            assert report.ok and report.created == count, report.summary()
            again_seconds, again = timed(service_records_import, file=csv_path, actor=None)
            assert again.ok and again.unchanged == count, again.summary()
            clear()
            xlsx_seconds, report = timed(service_records_import, file=xlsx_path, actor=None)
            assert report.ok and report.created == count, report.summary()
            assert ServiceRecord.objects.count() == count
        print(f"rows: {count:,} service records of {len(stations):,} stations")
        print(f"baseline bulk_create of the same rows: {base_seconds:7.2f} s")
        print(f"service_records_import, csv:          {csv_seconds:7.2f} s")
        print(f"service_records_import, xlsx:         {xlsx_seconds:7.2f} s")
        print(f"service_records_import, csv again:    {again_seconds:7.2f} s")
        print(f"ratio csv import / bulk_create:        {csv_seconds / base_seconds:7.2f}x")
        print(f"ratio xlsx import / bulk_create:       {xlsx_seconds / base_seconds:7.2f}x")
        print(f"ratio unchanged csv / bulk_create:     {again_seconds / base_seconds:7.2f}x")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
