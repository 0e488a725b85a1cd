"""Who may and who may not, for every continuing-education view: anonymous visitors go to
login, wrong roles get 403 (or 404 for someone else's record), GET on a POST-only view is
405, and a civil-affairs viewer sees nothing beyond the public pages unless granted."""

import pytest
from django.contrib.auth.models import Group
from django.urls import reverse

from conftest import login
from members import roles
from members.models import User
from training.models import OutsideHours, Registration, Session, Training

from .conftest import make_period

pytestmark = pytest.mark.django_db


@pytest.fixture
def objects(training, outsider, applicant):
    session = training.sessions.get()
    Registration.objects.create(training=training, user=outsider, status="confirmed")
    entry = OutsideHours.objects.create(
        user=outsider, title="x", provider="y", completed_on="2026-01-01", hours="2.0",
        evidence="training/evidence/x.pdf",
    )  # fmt: skip
    period = make_period(outsider, starts_on="2025-01-01")
    return {
        "training": training.pk,
        "session": session.pk,
        "user": outsider.pk,
        "outside": entry.pk,
        "period": period.pk,
    }


# (url name, argument keys); GET pages
PUBLIC = [
    ("training:calendar", ()),
    ("training:training", ("training",)),
    ("training:experts", ()),
    ("training:verify-lookup", ()),
]
PERSONAL_GET = [
    ("training:mine", ()),
    ("training:period-new", ()),
    ("training:outside-new", ()),
    ("training:check-in", ("session",)),
]
PERSONAL_POST = [("training:register", ("training",)), ("training:cancel", ("training",))]
SECRETARIAT_GET = [
    ("training:manage", ()),
    ("training:manage-training", ("training",)),
    ("training:registrations-export", ("training",)),
    ("training:manage-session", ("session",)),
    ("training:session-qr", ("session",)),
    ("training:attendance-correct", ("session",)),
    ("training:outside-queue", ()),
    ("training:outside", ("outside",)),
]
SECRETARIAT_POST = [
    ("training:session-check-in-state", ("session",)),
    ("training:participant-check-in", ("session", "user")),
    ("training:outside-approve", ("outside",)),
    ("training:outside-refuse", ("outside",)),
]
HOURS = [("training:hours-report", ()), ("training:hours-export", ())]
# Someone's own records: 404 for anyone else (the secretariat sees evidence, not periods).
OWN = [
    ("training:period-edit", ("period",)),
    ("training:period-certificate", ("period",)),
    ("training:outside-evidence", ("outside",)),
]


def url(objects, name, keys):
    return reverse(name, args=[objects[key] for key in keys])


def test_public_pages_are_open_to_everyone(client, objects, county_viewer):
    for name, keys in PUBLIC:
        assert client.get(url(objects, name, keys)).status_code == 200, name
    login(client, county_viewer)
    for name, keys in PUBLIC:
        assert client.get(url(objects, name, keys)).status_code == 200, name


def test_anonymous_visitors_are_sent_to_login(client, objects):
    for name, keys in PERSONAL_GET + SECRETARIAT_GET + HOURS + OWN:
        response = client.get(url(objects, name, keys))
        assert response.status_code == 302, name
        assert response.url.startswith(reverse("account_login")), name
    for name, keys in PERSONAL_POST + SECRETARIAT_POST:
        response = client.post(url(objects, name, keys))
        assert response.status_code == 302 and "login" in response.url, name


@pytest.mark.parametrize(
    "persona", ["individual_member", "applicant", "county_viewer", "city_viewer"]
)
def test_other_roles_get_403_on_the_secretariats_pages(client, objects, persona, request):
    login(client, request.getfixturevalue(persona))
    for name, keys in SECRETARIAT_GET:
        assert client.get(url(objects, name, keys)).status_code == 403, name
    for name, keys in SECRETARIAT_POST:
        assert client.post(url(objects, name, keys)).status_code == 403, name
    assert OutsideHours.objects.get().status == "pending"


@pytest.mark.parametrize(
    "persona", ["individual_member", "applicant", "county_viewer", "city_viewer"]
)
def test_the_hours_report_is_closed_without_a_grant(client, objects, persona, request):
    login(client, request.getfixturevalue(persona))
    for name, keys in HOURS:
        assert client.get(url(objects, name, keys)).status_code == 403, name
    assert "/training/manage/hours/" not in client.get(reverse("training:calendar")).text


def test_a_granted_viewer_reaches_the_hours_report_only(client, objects, county_viewer):
    county_viewer.groups.add(Group.objects.get(name=roles.TRAINING_HOURS_GROUP))
    login(client, User.objects.get(pk=county_viewer.pk))
    for name, keys in HOURS:
        assert client.get(url(objects, name, keys)).status_code == 200, name
    for name, keys in SECRETARIAT_GET:
        assert client.get(url(objects, name, keys)).status_code == 403, name
    assert "/training/manage/hours/" in client.get(reverse("training:calendar")).text


def test_staff_without_two_factor_are_sent_to_set_it_up(client, objects, secretariat_without_2fa):
    login(client, secretariat_without_2fa)
    for name, keys in SECRETARIAT_GET + HOURS:
        response = client.get(url(objects, name, keys))
        assert response.status_code == 302, name
        assert response.url == reverse("mfa_activate_totp"), name


def test_get_on_post_only_views_is_405(client, objects, secretariat, outsider):
    login(client, secretariat)
    for name, keys in SECRETARIAT_POST:
        assert client.get(url(objects, name, keys)).status_code == 405, name
    login(client, outsider)
    for name, keys in PERSONAL_POST:
        assert client.get(url(objects, name, keys)).status_code == 405, name


def test_the_secretariat_reaches_every_page(client, objects, secretariat):
    login(client, secretariat)
    for name, keys in SECRETARIAT_GET + HOURS:
        assert client.get(url(objects, name, keys)).status_code == 200, name


def test_someone_elses_records_are_404(client, objects, applicant):
    login(client, applicant)
    for name, keys in OWN:
        assert client.get(url(objects, name, keys)).status_code == 404, name


def test_hostile_path_values_are_404_not_500(client, secretariat):
    login(client, secretariat)
    for path in (
        "/training/99999/",
        "/training/verify/%00%27/",
        "/training/manage/sessions/99999/",
        "/training/experts/99999/photo/",
    ):
        assert client.get(path).status_code == 404, path
    assert client.get("/training/", {"topic": "x'", "kind": "<b>", "page": "-1"}).status_code == 200
    assert client.get("/training/manage/", {"page": "abc"}).status_code == 200
    assert client.get("/training/manage/outside/", {"status": "nope"}).status_code == 200
    session = Session.objects.create(
        training=Training.objects.create(title="t", kind="lecture"), title="s",
        date="2026-01-01", starts_at="09:00", ends_at="10:00", hours="1.0",
    )  # fmt: skip
    # A NUL in the address is a bad request, said in words (common/params.py).
    page = client.get(f"/training/manage/sessions/{session.pk}/", {"q": "\x00'"})
    assert page.status_code == 400
    assert "控制字符" in page.content.decode()
    correct = client.get(f"/training/manage/sessions/{session.pk}/correct/", {"user": "1\x00"})
    assert correct.status_code == 400
    assert client.get(f"/training/manage/sessions/{session.pk}/", {"q": "陈'"}).status_code == 200
