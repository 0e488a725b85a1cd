"""Importing administrative divisions: the reference files, re-imports and malformed files."""

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.utils import timezone

from common.tests.factories import workbook_bytes
from stations.imports import divisions_import
from stations.models import Division

from .conftest import reference_file

HEADER = "code,name,level,parent_code\n"
SMALL = (
    HEADER + "41,河南省,province,\n"
    "4110,许昌市,city,41\n"
    "411002,魏都区,county,4110\n"
    "411002001,西大街道,township,411002\n"
    "411002570,东城区,township,411002\n"
)


def errors_of(report):
    return [(error.row, error.column) for error in report.errors]


@pytest.mark.django_db
def test_small_file_imports_with_parents_and_default_coverage_flags():
    report = divisions_import(actor=None, file=SMALL.encode())
    assert report.ok and report.created == 5
    street = Division.objects.get(code="411002001")
    assert street.parent.code == "411002" and street.parent.parent.parent.code == "41"
    assert street.counts_toward_coverage
    # 570 is a quasi-township unit: civil affairs do not count it.
    assert not Division.objects.get(code="411002570").counts_toward_coverage


@pytest.mark.django_db
def test_reimport_updates_names_keeps_flags_and_never_duplicates():
    divisions_import(actor=None, file=SMALL.encode())
    Division.objects.filter(code="411002570").update(counts_toward_coverage=True)
    report = divisions_import(actor=None, file=SMALL.replace("西大街道", "西大街街道").encode())
    assert (report.created, report.updated, report.unchanged) == (0, 1, 4)
    assert Division.objects.count() == 5
    assert Division.objects.get(code="411002001").name == "西大街街道"
    assert Division.objects.get(code="411002570").counts_toward_coverage


@pytest.mark.django_db
def test_parents_may_come_after_their_children():
    lines = SMALL.splitlines()
    report = divisions_import(actor=None, file="\n".join([lines[0], *reversed(lines[1:])]).encode())
    assert report.ok, report.errors
    assert Division.objects.get(code="411002001").parent.code == "411002"


@pytest.mark.django_db
def test_explicit_coverage_column_and_twelve_digit_codes():
    data = (
        "code,name,level,parent_code,counts_toward_coverage\n"
        "410000000000,河南省,province,,\n"
        "411000000000,许昌市,city,410000000000,\n"
        "411002000000,魏都区,county,411000000000,\n"
        "411002001000,西大街道,township,411002000000,否\n"
    )
    report = divisions_import(actor=None, file=data.encode("gbk"))
    assert report.ok, report.errors
    assert not Division.objects.get(code="411002001").counts_toward_coverage


@pytest.mark.django_db
def test_xlsx_file_imports():
    rows = [line.split(",") for line in SMALL.strip().splitlines()]
    rows = [[int(cell) if cell.isdigit() else cell for cell in row] for row in rows]
    report = divisions_import(actor=None, file=workbook_bytes({"Sheet1": rows}))
    assert report.ok, report.errors
    assert Division.objects.get(code="411002").name == "魏都区"


@pytest.mark.django_db
def test_xuchang_reference_file_imports_without_its_province():
    path = reference_file("xuchang-divisions.csv")
    report = divisions_import(actor=None, file=path)
    assert report.ok, report.errors[:5]
    assert Division.objects.townships().count() == 105
    assert Division.objects.filter(level=Division.Level.COUNTY).count() == 7
    city = Division.objects.get(code="4110")
    assert city.parent is None
    # 411002570 and 411071400 are quasi-township units (README of the reference data).
    assert Division.objects.townships_in_scope(city).count() == 103
    # The province arrives later: the city is linked to it.
    divisions_import(actor=None, file=(HEADER + "41,河南省,province,\n").encode())
    city.refresh_from_db()
    assert city.parent.code == "41"


@pytest.mark.django_db
def test_national_reference_file_imports_in_bulk():
    path = reference_file("china-divisions.csv")
    report = divisions_import(actor=None, file=path)
    assert report.ok, report.errors[:5]
    assert Division.objects.count() == 44_703
    assert Division.objects.townships().count() == 41_352
    assert Division.objects.filter(parent__isnull=True).count() == 31
    again = divisions_import(actor=None, file=path)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 44_703)
    assert Division.objects.count() == 44_703


def _planner_statistics():
    """What the planner knows of the divisions table: its estimated rows, and when it was
    last analysed on purpose (autovacuum's own analyses are counted apart)."""
    with connection.cursor() as cursor:
        cursor.execute(
            """
            SELECT c.reltuples, s.last_analyze FROM pg_class c
            JOIN pg_stat_user_tables s ON s.relid = c.oid WHERE c.relname = %s
            """,
            [Division._meta.db_table],
        )
        return cursor.fetchone()


@pytest.mark.django_db(transaction=True)
def test_national_import_leaves_the_planner_fresh_statistics():
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    path = reference_file("china-divisions.csv")
    started = timezone.now()

    report = divisions_import(actor=None, file=path)

    assert report.ok and report.created == 44_703
    rows, analysed_at = _planner_statistics()
    assert rows == 44_703  # ANALYZE reads a table this size whole
    assert analysed_at is not None and analysed_at >= started


@pytest.mark.django_db(transaction=True)
def test_a_dry_run_or_a_refused_import_analyses_nothing():
    if connection.vendor != "postgresql":
        pytest.skip("planner statistics are PostgreSQL's")
    before = _planner_statistics()[1]  # an earlier test's import may have analysed it

    divisions_import(actor=None, file=SMALL.encode(), dry_run=True)
    divisions_import(actor=None, file=(SMALL + "411002,魏都区,county,9999\n").encode())

    assert Division.objects.count() == 0
    assert _planner_statistics()[1] == before


@pytest.mark.parametrize(
    ("data", "expected"),
    [
        (b"code,title,level\n41,x,province\n", [(1, "name"), (1, "parent_code")]),
        (
            HEADER.encode() + "41,河南省,province,\n41,河南,province,\n".encode(),
            [(3, "code")],
        ),
        (
            HEADER.encode() + "411002,魏都区,county,4110\n".encode(),
            [(2, "parent_code")],
        ),
        (
            HEADER.encode() + "4110,许昌市,city,41\n411002001,西大街道,township,411003\n".encode(),
            [(3, "parent_code")],
        ),
        (
            HEADER.encode() + "41,河南省,state,\n4A,x,province,\n,空,city,41\n".encode(),
            [(2, "level"), (3, "code"), (4, "code")],
        ),
        (HEADER.encode() + b"4110,,city,41\n", [(2, "name")]),
        ((HEADER + "41,河南省,province,\n").encode("utf-16"), [(None, "")]),
        ("code,name,level,parent_code\n41,Bayern café,province,\n".encode("latin-1"), [(None, "")]),
    ],
    ids=[
        "wrong header",
        "duplicate code",
        "missing parent",
        "parent not the code's prefix",
        "bad level and codes",
        "empty name",
        "utf-16",
        "latin-1",
    ],
)
@pytest.mark.django_db
def test_malformed_files_report_rows_and_write_nothing(data, expected):
    report = divisions_import(actor=None, file=data)
    assert errors_of(report) == expected
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_one_bad_row_among_good_ones_writes_nothing():
    data = SMALL + "411002002,东大街道,township,411009\n"
    report = divisions_import(actor=None, file=data.encode())
    assert errors_of(report) == [(7, "parent_code")]
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_truncated_xlsx_writes_nothing():
    data = workbook_bytes({"Sheet1": [line.split(",") for line in SMALL.splitlines()]})
    report = divisions_import(actor=None, file=data[:-200])
    assert not report.ok and "damaged" in report.errors[0].message
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_dry_run_writes_nothing_and_previews():
    report = divisions_import(actor=None, file=SMALL.encode(), dry_run=True)
    assert report.ok and report.created == 5
    assert [change.description for change in report.changes][:2] == ["41 河南省", "4110 许昌市"]
    assert Division.objects.count() == 0


@pytest.mark.django_db
def test_command_imports_and_fails_loudly_on_errors(tmp_path, capsys):
    good = tmp_path / "divisions.csv"
    good.write_bytes(SMALL.encode("gb18030"))
    call_command("import_divisions", str(good), "--dry-run")
    assert Division.objects.count() == 0
    call_command("import_divisions", str(good))
    assert Division.objects.count() == 5
    bad = tmp_path / "bad.csv"
    bad.write_text(HEADER + "411009001,某街道,township,411009\n", encoding="utf-8")
    with pytest.raises(CommandError):
        call_command("import_divisions", str(bad))
    assert "411009" in capsys.readouterr().err
    with pytest.raises(CommandError):
        call_command("import_divisions", str(tmp_path / "missing.csv"))


@pytest.mark.django_db
def test_import_uses_a_bounded_number_of_queries(django_assert_max_num_queries):
    lines = [
        HEADER.strip(),
        "41,河南省,province,",
        "4110,许昌市,city,41",
        "411002,魏都区,county,4110",
    ]
    lines += [f"411002{n:03d},街道{n},township,411002" for n in range(1, 301)]
    data = "\n".join(lines).encode()
    with django_assert_max_num_queries(15):
        report = divisions_import(actor=None, file=data)
    assert report.created == 303
