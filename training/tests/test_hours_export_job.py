"""The "who is short of hours" workbook as a job once the list is long: the worker builds
it, the file matches the immediate export cell by cell, only its requester downloads it."""

import io

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse
from django.utils import translation
from openpyxl import load_workbook

from association.jobs import ExportJob
from conftest import login, run_tasks
from members import roles

from .test_manage import report  # noqa: F401 (the fixture)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("report")]


def cells(data):
    book = load_workbook(io.BytesIO(data))
    return {
        name: [[c.value for c in row] for row in book[name].iter_rows()] for name in book.sheetnames
    }


def start_job(client, capture, query=""):
    with capture(execute=True):
        response = client.post(reverse("training:hours-export-job") + query)
    assert response.status_code == 302
    return ExportJob.objects.get(pk=response["Location"].split("/")[-2])


def test_a_long_list_is_exported_by_a_job_that_matches_the_immediate_file(
    client, secretariat, settings, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    immediate = b"".join(client.get(reverse("training:hours-export")).streaming_content)

    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1  # the two people short of hours are a long list
    response = client.get(reverse("training:hours-export"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("training:hours-report"))
    page = client.get(reverse("training:hours-report")).content.decode()
    assert 'id="prepare-hours"' in page

    job = start_job(client, django_capture_on_commit_callbacks)
    run_tasks()
    job.refresh_from_db()
    assert job.state == ExportJob.State.READY
    assert job.rows_written == job.rows_total == 2
    download = client.get(reverse("association:export-job-download", args=[job.pk]))
    assert download.status_code == 200
    assert cells(b"".join(download.streaming_content)) == cells(immediate)


def test_a_viewer_gets_their_scope_and_nobody_else_the_file(
    client, secretariat, county_viewer, individual_member, settings,
    django_capture_on_commit_callbacks,
):  # fmt: skip
    county_viewer.groups.add(Group.objects.get(name=roles.TRAINING_HOURS_GROUP))
    county_viewer = type(county_viewer).objects.get(pk=county_viewer.pk)
    login(client, county_viewer)
    job = start_job(client, django_capture_on_commit_callbacks, "?all=1")
    run_tasks()
    url = reverse("association:export-job-download", args=[job.pk])
    rows = cells(b"".join(client.get(url).streaming_content))
    [sheet] = rows.values()
    assert len(sheet) == 2 and individual_member.email not in str(sheet)

    login(client, secretariat)
    assert client.get(url).status_code == 404
    county_viewer.groups.clear()  # access withdrawn: the file is no longer theirs
    login(client, type(county_viewer).objects.get(pk=county_viewer.pk))
    assert client.get(url).status_code == 404


def test_who_may_start_an_hours_job(client, individual_member, secretariat):
    url = reverse("training:hours-export-job")
    assert reverse("account_login") in client.post(url)["Location"]
    login(client, individual_member)
    assert client.post(url).status_code == 403
    login(client, secretariat)
    assert client.get(url).status_code == 405
    assert not ExportJob.objects.exists()


def test_the_job_writes_the_language_it_was_asked_in(
    client, secretariat, settings, english, django_capture_on_commit_callbacks
):
    login(client, secretariat)
    immediate = b"".join(client.get(reverse("training:hours-export")).streaming_content)
    settings.EXPORT_IMMEDIATE_MAX_ROWS = 1
    job = start_job(client, django_capture_on_commit_callbacks)
    with translation.override("zh-hans"):
        run_tasks()  # as the worker, which speaks Chinese by default
    download = client.get(reverse("association:export-job-download", args=[job.pk]))
    from_job = cells(b"".join(download.streaming_content))
    assert from_job == cells(immediate)
    assert not any("\u4e00" <= char <= "\u9fff" for char in str(next(iter(from_job.values()))[0]))
