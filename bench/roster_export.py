"""Benchmark: the roster export (members.exports.write_roster) against the path it replaced
and an XlsxWriter baseline, and what a roster of EXPORT_IMMEDIATE_MAX_ROWS costs a request.

A roster of `--members` (default 50,000) individual and unit members, every column filled.
Four ways of writing the same roster, each in a fresh process of its own (so that its peak
RSS is its own), alternating, `--repeat` times (default 2), best time counts:

- export: `write_roster`, as the back office's export and the export job call it (说明,
  print set-up, every column of MemberResource, rows streamed from a server-side cursor);
- tablib: what the back office did before, django-import-export's `MemberResource.export`
  into a tablib Dataset held whole in memory, then written by `XLSXNeutralised`;
- XlsxWriter baseline: the same cell values, made the same way (members.exports'
  per-column functions, which give what MemberResource.export_resource gives), each
  written with plain `worksheet.write_string` in constant-memory mode, nothing else;
- rows only: the same queries and cell values, no file.

Targets: export ≤ 1.2× the XlsxWriter baseline in time, its peak RSS not growing with the
roster (≤ 120 MB), and a roster of EXPORT_IMMEDIATE_MAX_ROWS members written in well under
the one second a request may take (the time per row, from the export, times the threshold).

It runs on PostgreSQL (DATABASE_URL, default
postgres://postgres@127.0.0.1:5432/portal_roster_export) and creates and drops its own test
database; about a minute:

    .venv/bin/python bench/roster_export.py [--members 50000] [--repeat 2]
"""

import argparse
import datetime
import sys

from _django import start  # noqa: E402

start("portal_roster_export")

import xlsxwriter  # noqa: E402
from _measure import compare_in_children, write_timed  # noqa: E402
from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402

from common.spreadsheets.import_export import XLSXNeutralised  # noqa: E402
from members.exports import _cell_makers, write_roster  # noqa: E402
from members.models import Member  # noqa: E402
from members.resources import MemberResource  # noqa: E402
from stations.models import Division  # noqa: E402

VARIANTS = ["export", "tablib", "xlsxwriter", "rows"]
TARGET = 1.2
RSS_LIMIT_MB = 120


def fill_roster(count):
    province = Division.objects.create(code="41", name="河南省", level=Division.Level.PROVINCE)
    city = Division.objects.create(
        code="4110", name="许昌市", level=Division.Level.CITY, parent=province
    )
    county = Division.objects.create(
        code="411002", name="魏都区", level=Division.Level.COUNTY, parent=city
    )
    since = datetime.date(2023, 7, 15)

    def member(number):
        common = {
            "number": f"XCSW-2023-{number:06d}",
            "member_since": since,
            "county": county,
        }
        if number % 5 == 0:
            return Member(
                kind=Member.Kind.UNIT,
                name=f"许昌市第{number}社会工作服务中心",
                organisation_type="social_work",
                legal_representative="李红",
                address=f"许昌市魏都区建设路{number}号",
                contact_name="周楠",
                contact_phone="0374-1234567",
                contact_email=f"unit{number}@example.org",
                **common,
            )
        return Member(
            kind=Member.Kind.INDIVIDUAL,
            name=f"会员{number}",
            gender="female",
            employer="许昌市魏都区西大街道社工站",
            qualification="assistant",
            certificate_number=f"2024411{number:07d}",
            phone=f"139{number:08d}",
            email=f"member{number}@example.org",
            **common,
        )

    Member.objects.bulk_create((member(n) for n in range(1, count + 1)), batch_size=2000)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def members():
    return Member.objects.select_related("county").order_by("number").iterator(chunk_size=1000)


def write_export(path):
    with open(path, "wb") as target:
        write_roster(
            target,
            members(),
            total=Member.objects.count(),
            fields=None,
            kind="xlsx",
            generated_by="bench",
        )


def write_tablib(path):
    dataset = MemberResource().export(queryset=Member.objects.order_by("number"))
    path.write_bytes(XLSXNeutralised().export_data(dataset))


def write_xlsxwriter(path):
    resource = MemberResource()
    book = xlsxwriter.Workbook(str(path), {"constant_memory": True})
    worksheet = book.add_worksheet("会员")
    for col, header in enumerate(resource.get_export_headers()):
        worksheet.write(0, col, header)
    makers = _cell_makers(resource, None)
    for number, member in enumerate(members(), start=1):
        for col, value in enumerate([make(member) for make in makers]):
            if value is not None and value != "":
                worksheet.write_string(number, col, value)
    book.close()


def read_rows(path):
    makers = _cell_makers(MemberResource(), None)
    for member in members():
        [make(member) for make in makers]
    path.write_bytes(b"")


def child(variant):
    write = {
        "export": write_export,
        "tablib": write_tablib,
        "xlsxwriter": write_xlsxwriter,
        "rows": read_rows,
    }
    write_timed(write[variant], "roster.xlsx")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--members", type=int, default=50_000)
    parser.add_argument("--repeat", type=int, default=2)
    parser.add_argument("--child", choices=VARIANTS)
    arguments = parser.parse_args()
    if arguments.child:
        return child(arguments.child)
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        fill_roster(arguments.members)
        runs, best, rss = compare_in_children(__file__, VARIANTS, repeat=arguments.repeat)
        print(f"roster: {arguments.members:,} members, every column filled")
        for variant, label in [
            ("export", "write_roster"),
            ("tablib", "tablib Dataset (before)"),
            ("xlsxwriter", "XlsxWriter baseline"),
            ("rows", "rows only (queries, no file)"),
        ]:
            size = runs[variant][0]["bytes"] / 1e6
            print(
                f"{label:29} {best[variant]:7.2f} s  peak RSS {rss[variant]:6.1f} MB  "
                f"({size:.1f} MB file)"
            )
        ratio = best["export"] / best["xlsxwriter"]
        ok = ratio <= TARGET and rss["export"] <= RSS_LIMIT_MB
        print(f"ratio export / xlsxwriter     {ratio:5.2f}x  (target ≤ {TARGET}x)")
        print(f"ratio export / tablib         {best['export'] / best['tablib']:5.2f}x")
        print(f"peak RSS of the export        {rss['export']:5.1f} MB  (target ≤ {RSS_LIMIT_MB})")
        threshold = settings.EXPORT_IMMEDIATE_MAX_ROWS
        per_request = best["export"] / arguments.members * threshold
        print(
            f"a roster of {threshold:,} (EXPORT_IMMEDIATE_MAX_ROWS), inside a request: "
            f"about {per_request:.2f} s"
        )
        ok &= per_request < 1
        print("targets met" if ok else "TARGETS NOT MET")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
