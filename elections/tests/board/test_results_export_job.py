"""The results workbook as a job once it has more rows than EXPORT_IMMEDIATE_MAX_ROWS: the
worker writes it with its progress, the file matches the immediate one cell by cell, and
who may have the results is asked again at download."""

import io

import pytest
from allauth.mfa.models import Authenticator
from django.urls import reverse
from openpyxl import load_workbook

from association.jobs import ExportJob
from conftest import login, run_tasks
from elections.board import sheets
from elections.board.results import election_outcome
from elections.board.services import round_close

from .test_views import is_login_redirect

pytestmark = pytest.mark.django_db

# The certified election: 3 candidates in one round for 1 position (4 rows), 2 elected.
ROWS = 6


def url(name, election):
    return reverse(f"elections:{name}", args=[election.pk])


def body(response):
    assert response.status_code == 200, response
    return b"".join(response.streaming_content)


def cells(data):
    """Every cell's value, sheet by sheet, but the time 说明 says the file was made at."""
    book = load_workbook(io.BytesIO(data))
    values = {
        name: [[cell.value for cell in row] for row in book[name].iter_rows()]
        for name in book.sheetnames
    }
    [made] = [row for row in values["说明"] if row and row[0] == "生成时间"]
    made[1:] = [None] * (len(made) - 1)
    return values


def start_job(client, capture, election):
    with capture(execute=True):
        response = client.post(url("election-results-export-job", election))
    assert response.status_code == 302
    return ExportJob.objects.get(pk=response["Location"].split("/")[-2])


def download(client, job):
    return client.get(reverse("association:export-job-download", args=[job.pk]))


def test_the_workbook_says_what_it_is_and_prints(client, certified_election, member):
    login(client, member)
    book = load_workbook(
        io.BytesIO(body(client.get(url("election-results-xlsx", certified_election))))
    )
    assert book.sheetnames == ["说明", "计票结果", "汇总", "当选名单"]
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert notes["选举"] == "第一届理事会理事选举"
    assert notes["状态"].startswith("已确认")
    assert notes["生成人"] == str(member)
    assert "2 × 得票数 > 投票总数" in notes["当选规则"]
    for name in ("计票结果", "汇总", "当选名单"):
        sheet = book[name]
        assert sheet.page_setup.orientation == "landscape"
        assert sheet.print_title_rows == "$1:$1"
        assert sheet.oddHeader.center.text == "第一届理事会理事选举计票结果"
    assert book["计票结果"].auto_filter.ref
    # The threshold counts the rows of the three tables.
    tables = sum(book[name].max_row - 1 for name in ("计票结果", "汇总", "当选名单"))
    assert sheets.row_count(election_outcome(certified_election)) == tables == ROWS


def test_a_visitor_downloads_certified_results_with_no_name_in_them(client, certified_election):
    book = load_workbook(
        io.BytesIO(body(client.get(url("election-results-xlsx", certified_election))))
    )
    notes = {row[0]: row[1] for row in book["说明"].iter_rows(values_only=True) if row[0]}
    assert notes["生成人"] == "公开下载"


def test_a_long_workbook_is_written_by_a_job_that_matches_the_immediate_one(
    client, certified_election, member, settings, django_capture_on_commit_callbacks
):
    login(client, member)
    immediate = body(client.get(url("election-results-xlsx", certified_election)))
    page = client.get(url("election-results", certified_election)).content.decode()
    assert url("election-results-xlsx", certified_election) in page
    assert 'id="prepare-results"' not in page

    settings.EXPORT_IMMEDIATE_MAX_ROWS = ROWS - 1
    response = client.get(url("election-results-xlsx", certified_election))
    assert response.status_code == 302  # back to the page with the button, nothing written
    assert response["Location"] == url("election-results", certified_election)
    page = client.get(response["Location"]).content.decode()
    assert 'id="prepare-results"' in page
    assert url("election-results-xlsx", certified_election) not in page
    assert not ExportJob.objects.exists()

    job = start_job(client, django_capture_on_commit_callbacks, certified_election)
    assert job.filename == f"election-{certified_election.pk}-results.xlsx"
    page = client.get(reverse("association:export-job", args=[job.pk])).content.decode()
    assert 'data-job-progress="' in page and 'id="download-export"' not in page
    run_tasks()
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY, job.error
    assert job.rows_written == job.rows_total == ROWS
    assert (
        'id="download-export"'
        in client.get(reverse("association:export-job", args=[job.pk])).content.decode()
    )
    assert cells(body(download(client, job))) == cells(immediate)


def test_a_visitor_signs_in_to_prepare_a_long_workbook(client, certified_election, settings):
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    page = client.get(url("election-results", certified_election)).content.decode()
    assert 'id="prepare-results"' not in page
    assert reverse("account_login") + "?next=" in page
    assert is_login_redirect(client.post(url("election-results-export-job", certified_election)))
    assert not ExportJob.objects.exists()


def test_a_preview_job_is_the_secretariats_while_they_are_secretariat(
    client, open_election, member, secretariat, settings, django_capture_on_commit_callbacks
):
    round_close(board_round=open_election.rounds.get(), actor=secretariat)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    login(client, member)  # uncertified results are hidden from members, as their page is
    assert client.post(url("election-results-export-job", open_election)).status_code == 404
    assert client.get(url("election-results-export-job", open_election)).status_code == 405

    login(client, secretariat)
    job = start_job(client, django_capture_on_commit_callbacks, open_election)
    run_tasks()
    data = body(download(client, job))
    notes = {row[0]: row[1] for row in load_workbook(io.BytesIO(data))["说明"].values if row[0]}
    assert notes["状态"].startswith("尚未确认")

    login(client, member)
    assert download(client, job).status_code == 404  # nobody else's
    login(client, secretariat)
    Authenticator.objects.filter(user=secretariat).delete()  # two-factor login withdrawn
    assert download(client, job).status_code == 404
