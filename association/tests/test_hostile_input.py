"""No URL of the portal answers 500 to hostile input, for any persona.

The walk takes every URL pattern (the portal's apps, allauth and the admin), fills its path
segments with ids from the demo data, and asks it as each persona:
- once plainly, recording every query parameter the view reads (request.GET records the
  names asked of it);
- then with each hostile value (a NUL, a non-ASCII digit, a slash, over-long digits and
  over-long text) in each query parameter it read, and in each path segment in turn.

Anything but a 5xx passes: the view may ignore a value it cannot use, or answer 400 or
404. A 500 fails the test with the URL and the persona, all of them at once.
"""

import logging
import re
from urllib.parse import quote

import pytest
from django.conf import settings
from django.contrib import admin
from django.core.handlers.wsgi import WSGIRequest
from django.core.management import call_command
from django.db import transaction
from django.http import QueryDict
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.urls.resolvers import RoutePattern
from django.utils.functional import cached_property

from association.tests import test_phone_pages as phone
from conftest import set_up_two_factor
from members.models import User

HOSTILE = {
    "NUL": "\x00",
    "non-ASCII digit": "²",
    "slash": "a/b",
    "over-long digits": "9" * 30,
    "over-long text": "长" * 3000,
}
# An integer segment takes only digits (the converter answers 404 to anything else before a
# view runs): the digits that overflow a database integer are its hostile value.
HOSTILE_INTEGER = HOSTILE["over-long digits"]
# The admin's lists read their parameters all at once (search, ordering, page) rather than
# by name.
ADMIN_LIST_PARAMETERS = ("q", "o", "p")

PERSONAS = {
    "visitor": None,
    "member": "huiyuan@example.org",
    "unit representative": "daibiao01@example.org",
    "applicant": "shenqing@example.org",
    "secretariat": "mishu@example.org",
    "secretariat without two-factor": "mishu-no2fa@example.org",
    "city viewer": "minzheng@example.org",
    "county viewer": "weidu@example.org",
}
TWO_FACTOR = {"secretariat", "city viewer", "county viewer"}
# The admin sends everybody but the secretariat (with two-factor) to a login or set-up page
# before any of its code runs, and allauth's pages look alike to every signed-in persona.
ADMIN_PERSONAS = ("secretariat",)
ACCOUNT_PERSONAS = ("visitor", "member")

SEGMENT = re.compile(r"<(?:(?P<converter>[^>:]+):)?(?P<name>[^>]+)>")


class RecordingQueryDict(QueryDict):
    """A QueryDict that notes the name of every parameter asked of it."""

    asked = set()

    def __getitem__(self, key):
        self.asked.add(key)
        return super().__getitem__(key)

    def __contains__(self, key):
        self.asked.add(key)
        return super().__contains__(key)

    def get(self, key, default=None):
        self.asked.add(key)
        return super().get(key, default)

    def getlist(self, key, default=None):
        self.asked.add(key)
        return super().getlist(key, default)


def _recording_get(request):
    return RecordingQueryDict(request.environ.get("QUERY_STRING", ""), encoding=request._encoding)


# Routes -----------------------------------------------------------------------------------


def _routes(patterns, prefix="", name_prefix=""):
    """(route template, URL name or None) of every route pattern, e.g. ("members/<int:pk>/",
    "members:member"); regular-expression patterns (the admin's catch-alls) are left out."""
    for pattern in patterns:
        if not isinstance(pattern.pattern, RoutePattern):
            continue
        route = prefix + pattern.pattern._route
        if isinstance(pattern, URLResolver):
            inner = f"{name_prefix}{pattern.namespace}:" if pattern.namespace else name_prefix
            yield from _routes(pattern.url_patterns, route, inner)
        elif isinstance(pattern, URLPattern):
            yield route, (f"{name_prefix}{pattern.name}" if pattern.name else None)


def _admin_object_ids():
    """{"admin/<app>/<model>/": the pk of one object of that model, as text}."""
    found = {}
    for model in admin.site._registry:
        first = model._default_manager.order_by("pk").first()
        found[f"admin/{model._meta.app_label}/{model._meta.model_name}/"] = (
            str(first.pk) if first else "1"
        )
    return found


def _known_arguments():
    """{URL name: [argument values]} from the pages the phone check opens with demo data."""
    known = {}
    for page in phone.PAGES:
        if page.args and page.name not in known:
            known[page.name] = [str(value) for value in page.args()]
    known["members:member-certificate"] = ["pdf"]
    known["elections:candidate-photo"] = ["1", "thumbnail"]
    return known


def _fill(route, values):
    """The path of `route` with its segments replaced by `values`, in order (each quoted)."""
    values = iter(values)
    return "/" + SEGMENT.sub(lambda match: quote(next(values), safe=""), route)


def _targets():
    """(persona names, plain path, [path with one hostile segment, ...], an admin list?)."""
    known = _known_arguments()
    admin_ids = _admin_object_ids()
    for route, name in _routes(get_resolver().url_patterns):
        segments = list(SEGMENT.finditer(route))
        valid = known.get(name)
        if valid is None or len(valid) != len(segments):
            valid = []
            for segment in segments:
                if segment["name"] == "object_id":
                    prefix = route[: segment.start()]
                    valid.append(admin_ids.get(prefix, "1"))
                elif segment["converter"] in ("int", None) and segment["name"] != "key":
                    valid.append("1")
                else:
                    valid.append("x")
        hostile_paths = [
            _fill(route, valid[:index] + [value] + valid[index + 1 :])
            for index, segment in enumerate(segments)
            for value in ([HOSTILE_INTEGER] if segment["converter"] == "int" else HOSTILE.values())
        ]
        is_admin = route.startswith("admin/")
        # Every admin page of an object finds it the same way (ModelAdmin.get_object): the
        # change page stands for its history and delete pages.
        if is_admin and not route.endswith("/change/"):
            hostile_paths = []
        is_admin_list = is_admin and name is not None and name.endswith("_changelist")
        if is_admin:
            personas = ADMIN_PERSONAS
        elif route.startswith("accounts/"):
            personas = ACCOUNT_PERSONAS
        else:
            personas = tuple(PERSONAS)
        yield personas, _fill(route, valid), hostile_paths, is_admin_list


# The cases the walk found first ------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.parametrize("query", ["poll=²", "meeting=²", "poll=%00", "poll=" + "9" * 30])
def test_audit_log_answers_400_in_chinese_to_a_number_that_is_none(client, secretariat, query):
    client.force_login(secretariat)

    response = client.get(reverse("elections:audit-log") + "?" + query)

    assert response.status_code == 400
    assert re.search("不是有效的数字|控制字符|超过 20 个字符", response.content.decode())


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["stations:coverage", "stations:coverage-export"])
def test_coverage_answers_400_to_a_nul_in_the_county(client, city_viewer, name):
    client.force_login(city_viewer)

    response = client.get(reverse(name) + "?county=%00")

    assert response.status_code == 400
    assert "控制字符" in response.content.decode()


@pytest.mark.django_db
def test_meeting_attendance_answers_400_to_a_nul_in_the_search(client, secretariat, meeting):
    client.force_login(secretariat)

    response = client.get(reverse("association:meeting-attendance", args=[meeting.pk]) + "?q=%00")

    assert response.status_code == 400


@pytest.mark.django_db
def test_bulletin_board_does_not_fail_on_a_nul_receipt(client, poll):
    response = Client(raise_request_exception=False).get(
        reverse("elections:poll-bulletin", args=[poll.pk]) + "?receipt=%00"
    )

    assert response.status_code < 500


@pytest.mark.django_db
@pytest.mark.parametrize("lookup", ["members:verify-lookup", "training:verify-lookup"])
def test_certificate_lookup_explains_a_number_with_a_slash(client, lookup):
    response = client.get(reverse(lookup) + "?number=a/b")

    assert response.status_code == 200
    assert "只含字母、数字和连字符" in response.content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("path", ["/members/verify/%00/", "/training/verify/%00/"])
def test_certificate_check_answers_404_to_a_nul(client, path):
    assert client.get(path).status_code == 404
    assert client.get(path.replace("%00", "长" * 50)).status_code == 404


@pytest.mark.django_db
def test_a_host_not_allowed_gets_400_not_500(client):
    response = Client(raise_request_exception=False).get("/", HTTP_HOST="evil.example.org")

    assert response.status_code == 400


# The walk ---------------------------------------------------------------------------------


@pytest.fixture
def clients(transactional_db, outsider):
    """A logged-in test client per persona over the demo data (staff with two-factor)."""
    call_command("seed_demo", force=True, verbosity=0)
    secretariat = User.objects.get(email=PERSONAS["secretariat"])
    no_two_factor = User.objects.create_user(
        username="mishu-no2fa", email=PERSONAS["secretariat without two-factor"], is_staff=True
    )
    no_two_factor.groups.set(secretariat.groups.all())
    found = {}
    for persona, email in PERSONAS.items():
        client = Client(raise_request_exception=False)
        if email:
            user = User.objects.get(email=email)
            if persona in TWO_FACTOR:
                set_up_two_factor(user)
            client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
        found[persona] = client
    return found


def _status(client, path, query=None):
    """The status of one GET, its writes rolled back (a GET should make none, and a failed
    statement must not spoil the requests after it)."""
    savepoint = transaction.savepoint()
    try:
        return client.get(path, query or {}).status_code
    finally:
        transaction.savepoint_rollback(savepoint)


@pytest.mark.django_db(transaction=True, reset_sequences=True)
def test_no_url_answers_500_to_hostile_input(clients, monkeypatch):
    getter = cached_property(_recording_get)
    getter.__set_name__(WSGIRequest, "GET")
    monkeypatch.setattr(WSGIRequest, "GET", getter)
    # Thousands of refusals would each be logged with their over-long address.
    for name in ("django.request", "django.security"):
        monkeypatch.setattr(logging.getLogger(name), "disabled", True)
    failures = []
    walked = 0

    def ask(persona, path, query=None, shown=None):
        nonlocal walked
        walked += 1
        status = _status(clients[persona], path, query)
        if status >= 500:
            failures.append(f"{persona}: {status} {shown or path[:160]}")
        return status

    with transaction.atomic():
        for personas, path, hostile_paths, is_admin_list in _targets():
            for persona in personas:
                RecordingQueryDict.asked = set()
                # A parameter makes `Form(request.GET or None)` bind, so its fields are asked.
                ask(persona, path, {"_walk": "1"})
                asked = RecordingQueryDict.asked - {"_walk"}
                if is_admin_list:
                    asked |= set(ADMIN_LIST_PARAMETERS)
                for key in sorted(asked):
                    for what, value in HOSTILE.items():
                        ask(persona, path, {key: value}, f"{path}?{key}=<{what}>")
                for hostile_path in hostile_paths:
                    ask(persona, hostile_path)
    assert walked > 2000
    assert not failures, f"{len(failures)} of {walked} requests answered 5xx:\n" + "\n".join(
        failures
    )
