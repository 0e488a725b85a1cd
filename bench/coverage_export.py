"""Benchmark: the national coverage workbook against XlsxWriter and openpyxl baselines.

The registry is the national reference file (china-divisions.csv of the shared data, see
`_django.national_file`, 44,703 divisions) with a station, a social worker and a month of
service records for every one of the 41,352 townships. Three ways of writing the same
workbook are measured in this run, each in a fresh process of its own (so that its peak RSS
is its own):

- export: `stations.sheets.write_coverage_workbook` for the whole country, as the command
  and the web export call it (every sheet, print set-up, 说明);
- XlsxWriter baseline: the same rows from the same queries, each cell written with
  XlsxWriter's plain `worksheet.write(row, col, value, column_format)` in constant-memory
  mode, nothing else;
- openpyxl baseline: the same rows, `worksheet.append(values)` into an openpyxl write-only
  workbook, nothing else;
- rows only: the same queries and cell values without writing a file, printed so that the
  time spent writing (each variant minus this) can be read off too.

Targets: export ≤ 1.2× the XlsxWriter baseline and ≤ 1.0× the openpyxl baseline in time,
peak RSS of the export process ≤ 120 MB. Each variant runs `--repeat` times (default 2),
alternating, and its best time counts.

It runs on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_coverage_export) and creates and drops its own
test database (test_<name>); about three minutes:

    .venv/bin/python bench/coverage_export.py [--repeat 2]
"""

import argparse
import datetime
import sys

from _django import national_file, start  # noqa: E402

start("portal_coverage_export")

import xlsxwriter  # noqa: E402
from _measure import compare_in_children, write_timed  # noqa: E402
from _registry import fill_registry  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from stations import sheets  # noqa: E402
from stations.coverage import county_table, township_rows  # noqa: E402
from stations.imports import divisions_import  # noqa: E402
from stations.models import Division, Station  # noqa: E402

ON = datetime.date(2026, 6, 30)
VARIANTS = ["export", "xlsxwriter", "openpyxl", "rows"]
TARGETS = {"xlsxwriter": 1.2, "openpyxl": 1.0}
RSS_LIMIT_MB = 120


def same_sheets():
    """(title, columns, rows of values) of the workbook's data sheets, from the same queries
    write_coverage_workbook reads."""
    table = county_table(None, on=ON, total_label=sheets.TOTAL)
    summary = [sheets.values_of(sheets.SUMMARY_COLUMNS, row) for row in table.rows]
    summary.append(["", *sheets.values_of(sheets.SUMMARY_COLUMNS[1:], table.total)])
    staff_of = Station.objects.all()
    return [
        (sheets.SUMMARY_SHEET, sheets.SUMMARY_COLUMNS, summary),
        (
            sheets.DETAIL_SHEET,
            sheets.DETAIL_COLUMNS,
            (sheets.values_of(sheets.DETAIL_COLUMNS, r) for r in township_rows(None, on=ON)),
        ),
        (
            sheets.STAFF_SHEET,
            sheets.STAFF_COLUMNS,
            (
                sheets.values_of(sheets.STAFF_COLUMNS, r)
                for r in sheets.staff_rows(None, staff_of=staff_of)
            ),
        ),
        (
            sheets.RECORDS_SHEET,
            sheets.RECORD_COLUMNS,
            (sheets.values_of(sheets.RECORD_COLUMNS, r) for r in sheets.record_rows(None, on=ON)),
        ),
    ]


def write_export(path):
    sheets.write_coverage_workbook(path, area=None, on=ON, staff_of=Station.objects.all())


def write_xlsxwriter(path):
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    for title, columns, rows in same_sheets():
        worksheet = book.add_worksheet(title)
        formats = [
            book.add_format({"num_format": column.number_format or "yyyy-mm-dd"})
            for column in columns
        ]
        for col, column in enumerate(columns):
            worksheet.write(0, col, column.header)
        for number, values in enumerate(rows, start=1):
            for col, value in enumerate(values):
                if value is not None and value != "":
                    worksheet.write(number, col, value, formats[col])
    book.close()


def write_openpyxl(path):
    book = Workbook(write_only=True)
    for title, columns, rows in same_sheets():
        worksheet = book.create_sheet(title)
        worksheet.append([column.header for column in columns])
        for values in rows:
            worksheet.append(values)
    book.save(path)


def read_rows(path):
    """The same queries and cell values, no file: what every variant spends before writing."""
    for _title, _columns, rows in same_sheets():
        for _values in rows:
            pass
    path.write_bytes(b"")


def child(variant):
    """Write the workbook one way in this process; print its time and peak RSS."""
    write = {
        "export": write_export,
        "xlsxwriter": write_xlsxwriter,
        "openpyxl": write_openpyxl,
        "rows": read_rows,
    }
    write_timed(write[variant], "coverage.xlsx")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", choices=VARIANTS)
    arguments = parser.parse_args()
    if arguments.child:
        return child(arguments.child)
    national = national_file()
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        report = divisions_import(file=national, actor=None)
        assert report.ok and report.created == 44_703, report.summary()
        stations = fill_registry()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        runs, best, rss = compare_in_children(__file__, VARIANTS, repeat=arguments.repeat)
        print(
            f"registry: {Division.objects.count():,} divisions, {stations:,} townships "
            "each with a station, a social worker and a month of records"
        )
        for variant, label in [
            ("export", "write_coverage_workbook"),
            ("xlsxwriter", "XlsxWriter baseline"),
            ("openpyxl", "openpyxl write-only baseline"),
            ("rows", "rows only (queries, no file)"),
        ]:
            size = runs[variant][0]["bytes"] / 1e6
            print(
                f"{label:31} {best[variant]:7.2f} s  peak RSS {rss[variant]:6.1f} MB  "
                f"({size:.1f} MB file)"
            )
        ok = True
        for baseline, target in TARGETS.items():
            ratio = best["export"] / best[baseline]
            ok &= ratio <= target
            print(f"ratio export / {baseline:10}      {ratio:5.2f}x  (target ≤ {target}x)")
        # For information: the writing alone, the time spent reading rows taken off.
        writing = {variant: best[variant] - best["rows"] for variant in VARIANTS[:3]}
        if min(writing.values()) > 0:
            print(
                "writing only (minus rows):      "
                + ", ".join(f"{variant} {seconds:.2f} s" for variant, seconds in writing.items())
            )
        print(f"peak RSS of the export          {rss['export']:5.1f} MB  (target ≤ {RSS_LIMIT_MB})")
        ok &= rss["export"] <= RSS_LIMIT_MB
        print("targets met" if ok else "TARGETS NOT MET")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
