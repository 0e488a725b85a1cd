"""The coverage workbook as a job: the worker builds it with its progress, the file matches
the immediate export cell by cell, only its requester may download it, and only while
their scope still covers it and for a day."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from association.jobs import ExportJob
from conftest import login, make_user, run_tasks
from members import roles
from stations.models import Division

from .conftest import open_workbook

pytestmark = pytest.mark.django_db

ON = "2026-11-29"


def start_job(client, django_capture_on_commit_callbacks, **query):
    url = (
        reverse("stations:coverage-export-job")
        + "?"
        + "&".join(f"{key}={value}" for key, value in {"as_of": ON, **query}.items())
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url)
    assert response.status_code == 302
    return ExportJob.objects.get(pk=response["Location"].split("/")[-2])


def cells(book):
    """Every cell's value, sheet by sheet; the time 说明 says the file was made (a job is
    written after the immediate export) is left out, and checked to be there."""
    values = {
        name: [[cell.value for cell in row] for row in book[name].iter_rows()]
        for name in book.sheetnames
    }
    [made] = [row for row in values["说明"] if row and row[0] == "生成时间"]
    made[1:] = [None] * (len(made) - 1)
    return values


def test_a_job_export_matches_the_immediate_export_cell_by_cell(
    client, registry, city_viewer, django_capture_on_commit_callbacks
):
    login(client, city_viewer)
    immediate = client.get(reverse("stations:coverage-export"), {"as_of": ON})
    assert immediate.status_code == 200
    immediate_book = open_workbook(b"".join(immediate.streaming_content))

    job = start_job(client, django_capture_on_commit_callbacks)
    assert job.state == ExportJob.State.QUEUED
    page = client.get(reverse("association:export-job", args=[job.pk])).content.decode()
    assert 'data-job-progress="' in page
    assert "export-job-download" not in page and 'id="download-export"' not in page

    run_tasks()

    job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    assert job.rows_total and job.rows_written == job.rows_total
    assert job.expires_at - job.finished_at == datetime.timedelta(hours=24)
    assert job.file.name.startswith("exports/")
    assert job.file.storage.path(job.file.name).startswith(str(job.file.storage.base_location))
    progress = client.get(reverse("association:export-job-progress", args=[job.pk])).json()
    assert progress["finished"] and progress["percent"] == 100
    page = client.get(reverse("association:export-job", args=[job.pk])).content.decode()
    assert 'id="download-export"' in page

    download = client.get(reverse("association:export-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert "attachment" in download["Content-Disposition"]
    assert download["Cache-Control"] == "private, no-store"
    job_book = open_workbook(b"".join(download.streaming_content))
    assert job_book.sheetnames == immediate_book.sheetnames
    assert cells(job_book) == cells(immediate_book)


def test_a_county_viewer_cannot_download_another_countys_job_file(
    client, registry, county_viewer, role_groups, django_capture_on_commit_callbacks
):
    jianan_viewer = make_user(
        "jianan@example.org",
        groups=[roles.CIVIL_AFFAIRS],
        civil_affairs_scope=registry.other_county,
        two_factor=True,
    )
    login(client, jianan_viewer)
    job = start_job(client, django_capture_on_commit_callbacks)
    run_tasks()
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    assert job.params["area"] == registry.other_county.pk

    login(client, county_viewer)
    for name in ("export-job", "export-job-progress", "export-job-download"):
        assert client.get(reverse(f"association:{name}", args=[job.pk])).status_code == 404
    # Nor can they ask for it: another county is outside their scope.
    response = client.post(
        reverse("stations:coverage-export-job") + f"?county={registry.other_county.code}"
    )
    assert response.status_code == 404
    assert ExportJob.objects.count() == 1


def test_the_scope_is_checked_again_at_download(
    client, registry, county_viewer, django_capture_on_commit_callbacks
):
    login(client, county_viewer)
    job = start_job(client, django_capture_on_commit_callbacks)
    run_tasks()
    url = reverse("association:export-job-download", args=[job.pk])
    assert client.get(url).status_code == 200

    county_viewer.civil_affairs_scope = registry.other_county  # moved to another county
    county_viewer.save()
    assert client.get(url).status_code == 404


def test_the_file_is_kept_for_a_day_then_deleted(
    client, registry, city_viewer, django_capture_on_commit_callbacks
):
    login(client, city_viewer)
    job = start_job(client, django_capture_on_commit_callbacks)
    run_tasks()
    job.refresh_from_db()
    path = job.file.storage.path(job.file.name)
    url = reverse("association:export-job-download", args=[job.pk])

    ExportJob.objects.filter(pk=job.pk).update(expires_at=timezone.now())
    assert client.get(url).status_code == 404  # past its time, even before the clean-up
    DBTaskResult.objects.filter(task_path="association.jobs.export_expire").update(
        run_after=timezone.now()
    )
    run_tasks()
    assert not ExportJob.objects.filter(pk=job.pk).exists()
    assert not job.file.storage.exists(job.file.name), path


def test_a_workbook_larger_than_a_city_is_never_built_in_the_request(
    client, registry, role_groups, django_capture_on_commit_callbacks
):
    province = Division.objects.get(code="41", level=Division.Level.PROVINCE)
    viewer = make_user(
        "sheng@example.org",
        groups=[roles.CIVIL_AFFAIRS],
        civil_affairs_scope=province,
        two_factor=True,
    )
    login(client, viewer)
    page = client.get(reverse("stations:coverage")).content.decode()
    assert 'id="prepare-workbook"' in page
    response = client.get(reverse("stations:coverage-export"), {"as_of": ON})
    assert response.status_code == 302  # back to the page with the button, nothing built
    assert not ExportJob.objects.exists()

    job = start_job(client, django_capture_on_commit_callbacks)
    run_tasks()
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    assert job.filename == f"社工站覆盖率-河南省-{ON}.xlsx"


def test_who_may_start_a_coverage_job(client, registry, individual_member, city_viewer):
    url = reverse("stations:coverage-export-job")
    response = client.post(url)
    assert response.status_code == 302 and reverse("account_login") in response["Location"]
    login(client, individual_member)
    assert client.post(url).status_code == 403
    login(client, city_viewer)
    assert client.get(url).status_code == 405
    assert not ExportJob.objects.exists()


def test_a_job_with_a_bad_date_goes_back_to_the_dashboard_and_starts_nothing(
    client, registry, city_viewer
):
    login(client, city_viewer)
    response = client.post(reverse("stations:coverage-export-job") + "?as_of=2099-01-01")
    assert response.status_code == 302 and response["Location"] == reverse("stations:coverage")
    assert not ExportJob.objects.exists()
    page = client.get(response["Location"]).content.decode()
    assert "导出需要有效的日期。" in page
