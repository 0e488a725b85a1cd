"""Benchmark: the back office's member import (django-import-export, members.resources)
for a roster of 5,000 rows, against writing the same members in bulk with every row still
validated.

The file is a csv of `--members` rows (default 5,000), half individual and half unit members
with every column filled, as the export writes it. Timed in this run:

- preview: `MemberResource.import_data(dry_run=True)`, what the upload does (every row
  read and validated with full_clean, then the members and their history rows written in
  batches, inside a transaction that is rolled back);
- confirm: the same with dry_run=False, what the confirmation does;
- baseline: the same Member objects built from values already parsed, each validated with
  full_clean (the same model checks, the unique ones included), then one bulk_create of
  the members and one of their history rows: the floor for an import that keeps every
  validation of a row and writes in bulk;
- bulk only: the same bulk_create without validation (the floor of any write).

Printed as ratios to the baseline. The admin does the preview and then the confirmation,
each inside its own request, so each must fit gunicorn's 60 s timeout (README, Deploying).

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench_
members) and creates and drops its own test database; about a minute:

    .venv/bin/python bench/member_import.py [--members 5000]
"""

import argparse
import csv
import datetime
import io
import sys

from _django import start  # noqa: E402

start("portal_bench_members")

from _measure import timed  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test.utils import setup_databases, teardown_databases  # noqa: E402
from django.utils import translation  # noqa: E402

from common.spreadsheets.import_export import CSVAnyChineseEncoding  # noqa: E402
from members.demo import SW, demo_credit_code  # noqa: E402
from members.models import Member, MemberChange  # noqa: E402
from members.resources import MemberResource  # noqa: E402
from stations.models import Division  # noqa: E402

REQUEST_TIMEOUT = 60  # gunicorn --timeout in the README's deployment


def registry():
    province = Division.objects.create(code="41", name="河南省", level="province")
    city = Division.objects.create(code="4110", name="许昌市", level="city", parent=province)
    return Division.objects.create(code="411002", name="魏都区", level="county", parent=city)


def values(count, county):
    """Each member's field values, as the import would read them from its row."""
    since = datetime.date(2023, 7, 15)
    for i in range(count):
        common = {
            "number": f"XCSW-2023-{i:05d}",
            "tier": Member.Tier.MEMBER,
            "status": Member.Status.ACTIVE,
            "member_since": since,
            "county": county,
        }
        if i % 2:
            yield {
                **common,
                "kind": Member.Kind.UNIT,
                "name": f"许昌市第{i}社会工作服务中心",
                "credit_code": demo_credit_code(i, SW, "411002"),
                "organisation_type": SW,
                "legal_representative": "李红",
                "address": f"许昌市魏都区示范路{i}号",
                "contact_name": "王芳",
                "contact_phone": f"0374-{i:07d}",
                "contact_email": f"unit{i}@example.org",
                "qualification": "none",
            }
        else:
            yield {
                **common,
                "kind": Member.Kind.INDIVIDUAL,
                "name": f"会员{i}",
                "gender": "female",
                "employer": "许昌市社会工作服务中心",
                "qualification": "social_worker",
                "certificate_number": f"ZS{i:08d}",
                "phone": f"138{i:08d}",
                "email": f"member{i}@example.org",
            }


def csv_file(count, county):
    """The same members as the export writes them (labels, headers in Chinese)."""
    resource = MemberResource()
    fields = resource.get_import_fields()
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow([field.column_name for field in fields])
    for row in values(count, county):
        member = Member(**row)
        writer.writerow([field.export(member) for field in fields])
    return ("\ufeff" + out.getvalue()).encode("utf-8")


def import_file(data, *, dry_run):
    dataset = CSVAnyChineseEncoding().create_dataset(data)
    result = MemberResource().import_data(
        dataset, dry_run=dry_run, use_transactions=True, file_name="members.csv", user=None
    )
    assert not result.has_errors() and not result.has_validation_errors(), [
        (row.number, row.error_dict) for row in result.invalid_rows[:3]
    ]
    return result


def baseline(count, county, *, validate):
    members = []
    for row in values(count, county):
        member = Member(**row)
        if validate:
            member.full_clean()
        members.append(member)
    with transaction.atomic():
        Member.objects.bulk_create(members, batch_size=2000)
        MemberChange.objects.bulk_create(
            (
                MemberChange(member=member, action=MemberChange.Action.IMPORTED)
                for member in members
            ),
            batch_size=2000,
        )
    return len(members)


def clear():
    MemberChange.objects.all().delete()
    Member.objects.all().delete()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=5000)
    count = parser.parse_args().members
    old_config = setup_databases(verbosity=0, interactive=False)
    try:
        with translation.override("zh-hans"):
            county = registry()
            data = csv_file(count, county)
            preview_seconds, _ = timed(import_file, data, dry_run=True)
            assert not Member.objects.exists()
            confirm_seconds, result = timed(import_file, data, dry_run=False)
            assert result.totals["new"] == count == Member.objects.count()
            assert MemberChange.objects.count() == count
            clear()
            base_seconds, _ = timed(baseline, count, county, validate=True)
            clear()
            bulk_seconds, _ = timed(baseline, count, county, validate=False)
        print(f"rows: {count:,} members (half units), every column filled")
        print(f"baseline full_clean + bulk_create:  {base_seconds:7.2f} s")
        print(f"bulk_create only:                   {bulk_seconds:7.2f} s")
        print(f"preview (dry run):                  {preview_seconds:7.2f} s")
        print(f"confirm:                            {confirm_seconds:7.2f} s")
        print(f"ratio preview / baseline:           {preview_seconds / base_seconds:7.2f}x")
        print(f"ratio confirm / baseline:           {confirm_seconds / base_seconds:7.2f}x")
        print(f"ratio bulk only / baseline:         {bulk_seconds / base_seconds:7.2f}x")
        worst = max(preview_seconds, confirm_seconds)
        verdict = "within" if worst < REQUEST_TIMEOUT else "BEYOND"
        print(f"slowest request {worst:.1f} s: {verdict} the {REQUEST_TIMEOUT} s request timeout")
    finally:
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
