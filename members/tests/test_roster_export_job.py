"""The back office's roster export as a job once the roster is long: the worker writes it
with its progress, the file matches the immediate export cell by cell, and only its
requester downloads it, while still secretariat with two-factor login, for a day."""

import csv
import datetime
import io
from urllib.parse import quote

import openpyxl
import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django_tasks_db.models import DBTaskResult

from association.jobs import ExportJob
from conftest import login, make_user, run_tasks, set_up_two_factor
from members import exports, roles
from members.models import Member
from members.resources import MemberResource

pytestmark = pytest.mark.django_db

EXPORT = reverse("admin:members_member_export")
XLSX, CSV = "0", "1"


@pytest.fixture
def roster(county):
    """Three members, one whose text a spreadsheet would run as a formula."""
    since = datetime.date(2023, 7, 15)
    return [
        Member.objects.create(
            kind=Member.Kind.INDIVIDUAL,
            number="XCSW-2023-0003",
            name="陈静",
            phone="13800001234",
            county=county,
            member_since=since,
        ),
        Member.objects.create(
            kind=Member.Kind.INDIVIDUAL,
            number="XCSW-2023-0001",
            name="李华",
            employer='=HYPERLINK("http://evil.example","点我")',
            member_since=since,
        ),
        Member.objects.create(
            kind=Member.Kind.UNIT,
            number="XCSW-2023-0002",
            name="许昌市阳光社会工作服务中心",
            county=county,
            member_since=since,
        ),
    ]


def post_export(client, fmt, fields=None, query=""):
    data = {"format": fmt, "resource": "0"}
    for field in fields or MemberResource().get_export_order():
        data[f"memberresource_{field}"] = "on"
    return client.post(EXPORT + query, data)


def body(response):
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def start_job(client, capture, fmt, **options):
    with capture(execute=True):
        response = post_export(client, fmt, **options)
    assert response.status_code == 302
    assert response["Location"].startswith("/exports/")
    return ExportJob.objects.get(pk=response["Location"].split("/")[-2])


def download(client, job):
    return client.get(reverse("association:export-job-download", args=[job.pk]))


def cells(data):
    """Every cell's value, sheet by sheet; the time 说明 says the file was made at (a job
    is written after the immediate export) is left out, once found."""
    book = openpyxl.load_workbook(io.BytesIO(data))
    values = {
        name: [[cell.value for cell in row] for row in book[name].iter_rows()]
        for name in book.sheetnames
    }
    [made] = [row for row in values[book.sheetnames[0]] if row and row[0] == "生成时间"]
    made[1:] = [None] * (len(made) - 1)
    return values


@pytest.mark.parametrize(
    "options",
    [
        {},
        # The list's filters and the columns ticked carry over to the job.
        {"query": "?kind__exact=individual", "fields": ["number", "name", "employer", "phone"]},
    ],
    ids=["everything", "filtered"],
)
def test_a_long_roster_is_exported_by_a_job_that_matches_the_immediate_file(
    client, secretariat, roster, settings, django_capture_on_commit_callbacks, options
):
    login(client, secretariat)
    immediate = body(post_export(client, XLSX, **options))
    assert not ExportJob.objects.exists()

    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    job = start_job(client, django_capture_on_commit_callbacks, XLSX, **options)
    assert job.state == ExportJob.State.QUEUED and job.filename.endswith(".xlsx")
    page = client.get(reverse("association:export-job", args=[job.pk]))
    assert "名册较长，正在后台生成。" in page.content.decode()  # the admin's message
    assert 'data-job-progress="' in page.content.decode()
    assert 'id="download-export"' not in page.content.decode()

    run_tasks()
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY, job.error
    expected = 2 if options else 3
    assert job.rows_written == job.rows_total == expected
    with CaptureQueriesContext(connection) as queries:
        progress = client.get(reverse("association:export-job-progress", args=[job.pk])).json()
    assert progress["finished"] and progress["rows_written"] == expected
    # Polled every two seconds: the members' ids in the parameters stay in the database.
    assert not [q for q in queries if '"params"' in q["sql"]]
    assert 'id="download-export"' in client.get(job_url(job)).content.decode()

    from_job = body(download(client, job))
    assert cells(from_job) == cells(immediate)
    book = openpyxl.load_workbook(io.BytesIO(from_job))
    assert book.sheetnames == ["说明", "会员"]
    sheet = book["会员"]
    assert sheet.max_row == expected + 1
    if not options:
        # In the list's order (by number), formula-like text a quote-prefixed text cell.
        numbers = [row[0].value for row in sheet.iter_rows(min_row=2)]
        assert numbers == ["XCSW-2023-0001", "XCSW-2023-0002", "XCSW-2023-0003"]
        [formula] = [c for row in sheet.iter_rows() for c in row if c.value == roster[1].employer]
        assert formula.data_type == "s" and formula.quotePrefix


def job_url(job):
    return reverse("association:export-job", args=[job.pk])


def test_a_long_csv_roster_is_a_job_too(
    client, secretariat, roster, settings, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    immediate = body(post_export(client, CSV))
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 2
    job = start_job(client, django_capture_on_commit_callbacks, CSV)
    run_tasks()
    job.refresh_from_db()
    assert job.filename.endswith(".csv")
    from_job = body(download(client, job))
    assert from_job == immediate
    rows = list(csv.reader(io.StringIO(from_job.decode("utf-8-sig"))))
    assert len(rows) == 4 and "'" + roster[1].employer in rows[1]


def test_the_job_writes_the_language_it_was_asked_in(
    client, secretariat, roster, settings, english, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    job = start_job(client, django_capture_on_commit_callbacks, XLSX)
    with translation.override("zh-hans"):
        run_tasks()  # as the worker, which speaks Chinese by default
    book = openpyxl.load_workbook(io.BytesIO(body(download(client, job))))
    assert book.sheetnames == ["Notes", "Members"]
    assert book["Members"]["A1"].value == "Member number"


def test_progress_is_reported_as_rows_are_written(roster, monkeypatch):
    reports = []
    ids = [member.pk for member in reversed(roster)]
    exports.write_roster(
        io.BytesIO(),
        exports.members_in_order(ids),
        total=3,
        fields=None,
        kind="xlsx",
        generated_by="test",
        progress=lambda written, total: reports.append((written, total)),
        every=1,
    )
    assert reports == [(1, 3), (2, 3), (3, 3)]


@pytest.mark.parametrize("fields", [None, ["name", "kind", "member_since", "county", "phone"]])
def test_the_cells_are_those_django_import_export_gives(roster, fields):
    members = Member.objects.order_by("number")
    dataset = MemberResource().export(queryset=members, export_fields=fields)
    out = io.BytesIO()
    exports.write_roster(out, members, total=3, fields=fields, kind="xlsx", generated_by="test")
    sheet = openpyxl.load_workbook(out)["会员"]
    rows = [
        ["" if value is None else value for value in row]
        for row in sheet.iter_rows(values_only=True)
    ]
    assert rows == [dataset.headers, *[list(row) for row in dataset]]


def test_a_short_roster_stays_immediate(client, secretariat, roster):
    login(client, secretariat)
    response = post_export(client, XLSX)
    assert response["Content-Disposition"].startswith("attachment")
    today = timezone.localdate().isoformat()
    assert response["Content-Disposition"].endswith(quote(f"会员名册-{today}.xlsx"))
    assert not ExportJob.objects.exists()
    assert django_settings.EXPORT_IMMEDIATE_MAX_ROWS == 2000


def test_nobody_else_may_download_the_roster_and_its_requester_only_while_secretariat(
    client, secretariat, roster, role_groups, settings, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    job = start_job(client, django_capture_on_commit_callbacks, XLSX)
    run_tasks()
    assert download(client, job).status_code == 200

    colleague = make_user(
        "mishu3@example.org", groups=[roles.SECRETARIAT], is_staff=True, two_factor=True
    )
    login(client, colleague)
    for name in ("export-job", "export-job-progress", "export-job-download"):
        assert client.get(reverse(f"association:{name}", args=[job.pk])).status_code == 404

    login(client, secretariat)
    Authenticator.objects.filter(user=secretariat).delete()  # two-factor login withdrawn
    assert download(client, job).status_code == 404
    set_up_two_factor(secretariat)
    assert download(client, job).status_code == 200
    secretariat.groups.clear()  # no longer in the secretariat
    assert download(client, job).status_code == 404


def test_the_roster_file_is_kept_for_a_day_then_deleted(
    client, secretariat, roster, settings, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    job = start_job(client, django_capture_on_commit_callbacks, XLSX)
    run_tasks()
    job.refresh_from_db()
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=24)
    name = job.file.name

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert download(client, job).status_code == 404  # past its time, before the clean-up
    DBTaskResult.objects.filter(task_path="association.jobs.export_expire").update(
        run_after=timezone.now()
    )
    run_tasks()
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not job.file.storage.exists(name)


def test_who_may_export_the_roster(
    client, roster, secretariat_without_2fa, city_viewer, role_groups
):
    assert post_export(client, XLSX)["Location"].startswith(reverse("admin:login"))
    login(client, city_viewer)  # no back office at all
    assert post_export(client, XLSX).status_code == 302
    login(client, secretariat_without_2fa)
    assert post_export(client, XLSX)["Location"] == reverse("mfa_activate_totp")
    # Staff with the right to see members, but not the secretariat: no export.
    clerk = make_user("clerk@example.org", is_staff=True, two_factor=True)
    clerk.user_permissions.add(
        *role_groups[roles.SECRETARIAT].permissions.filter(
            codename__in=["view_member", "change_member"]
        )
    )
    login(client, clerk)
    assert post_export(client, XLSX).status_code == 403
    assert not exports.may_export_roster(type(clerk).objects.get(pk=clerk.pk))
    assert not ExportJob.objects.exists()
