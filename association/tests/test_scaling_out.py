"""More than one machine: two app servers (gunicorn, on two ports) and two workers
(`manage.py db_worker`) on one PostgreSQL, as the README's "Scaling out" describes.

Ballots cast alternately through both servers are all counted once; failed logins spread
across both hit the one shared limit; 200 queued e-mails are each delivered exactly once
across the two workers. Every process is a real one, started against the test database.
"""

import http.cookiejar
import json
import os
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.parse
import urllib.request
from html.parser import HTMLParser

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.utils import timezone
from django_tasks_db.models import DBTaskResult

from association.models import Meeting, Motion, OutboxMessage
from association.services import meeting_roll_freeze, motion_save
from conftest import PASSWORD, database_url, free_port, make_user, make_voters
from elections.ballot_box.services import poll_close, poll_open
from elections.models import Ballot, Participation, Poll, SealedBallot

pytestmark = pytest.mark.django_db(transaction=True)

ROLL = 200
HOST = "localhost"
VOTERS = 12  # of the roll, who vote through the two servers


class Forms(HTMLParser):
    """The forms of a page: [{"action": ..., "fields": {name: value}}], first radio kept."""

    def __init__(self):
        super().__init__()
        self.forms = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self.forms.append({"action": attrs.get("action") or "", "fields": {}})
        elif tag in ("input", "button") and self.forms and attrs.get("name"):
            fields = self.forms[-1]["fields"]
            kind = attrs.get("type", "text")
            if kind in ("radio", "checkbox"):
                fields.setdefault(attrs["name"], attrs.get("value", "on"))
            elif kind != "submit":
                fields[attrs["name"]] = attrs.get("value", "")


def forms_of(html):
    parser = Forms()
    parser.feed(html)
    return parser.forms


class Browser:
    """One person's cookies, sent to whichever server a request goes to."""

    def __init__(self):
        self.opener = urllib.request.build_opener(
            urllib.request.HTTPCookieProcessor(http.cookiejar.CookieJar())
        )

    def request(self, url, data=None):
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        # Both servers get the Host header the proxy passes on (proxy_set_header Host).
        request = urllib.request.Request(url, data=body, headers={"Host": HOST})
        try:
            with self.opener.open(request, timeout=60) as answer:
                return answer.status, answer.geturl(), answer.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, url, error.read().decode()

    def submit(self, base, path, form_action=None, **values):
        """GET `path`, fill its form (the one posting to `form_action`) and POST it."""
        status, url, page = self.request(base + path)
        assert status == 200, (status, url)
        forms = [f for f in forms_of(page) if form_action in (None, f["action"])]
        assert forms, page
        form = forms[0]
        return self.post(base, form["action"] or path, {**form["fields"], **values})

    def post(self, base, path, fields):
        return self.request(base + path, fields)


def start(command, env, name):
    return subprocess.Popen(
        command, cwd=settings.BASE_DIR, env=env, stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE, start_new_session=True,
    )  # fmt: skip


def stop(processes):
    errors = []
    for process in processes:
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGTERM)
    for process in processes:
        try:
            errors.append(process.communicate(timeout=60)[1].decode()[-3000:])
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
    return errors


def wait_for(condition, timeout=120):
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, "gave up waiting"
        time.sleep(0.2)


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5) as response:  # noqa: S310
            return response.status == 200
    except OSError:
        return False


@pytest.fixture
def cluster(smtp_server):
    """Two gunicorn servers and two workers on the test database: (node URLs, workers)."""
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "DEBUG": "1",
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_server.port),
    }
    ports = [free_port(), free_port()]
    servers = [
        start([sys.executable, "-m", "gunicorn", "association.wsgi", "--bind",
               f"127.0.0.1:{port}", "--workers", "2", "--timeout", "60"], env, f"node-{n}")
        for n, port in enumerate(ports, 1)
    ]  # fmt: skip
    workers = [
        start([sys.executable, "manage.py", "db_worker", "--no-reload", "--no-startup-delay",
               "--interval", "0.2", "--worker-id", f"worker-{n}"], env, f"worker-{n}")
        for n in (1, 2)
    ]  # fmt: skip
    nodes = [f"http://127.0.0.1:{port}" for port in ports]
    try:
        wait_for(lambda: all(answers(node + "/healthz") for node in nodes))
        yield nodes, workers
    finally:
        errors = stop(servers + workers)
        print("\n".join(error for error in errors if "Traceback" in error))


def roll_poll(secretariat):
    meeting = Meeting.objects.create(
        title="第一届会员代表大会第三次会议",
        body=Meeting.Body.GENERAL_ASSEMBLY,
        starts_at=timezone.now(),
        place="许昌市魏都区示范路1号",
        mode=Meeting.Mode.HYBRID,
    )
    meeting_roll_freeze(meeting=meeting, actor=secretariat)
    motion = Motion(meeting=meeting, number=1, title="审议工作报告", kind=Motion.Kind.RESOLUTION)
    return motion_save(motion=motion).poll


def log_in(browser, node, email, password):
    return browser.submit(node, "/accounts/login/", login=email, password=password)


def test_two_servers_and_two_workers_share_one_database(
    cluster, role_groups, secretariat, smtp_server
):
    nodes, workers = cluster
    voters = make_voters(ROLL)
    for voter in voters[:VOTERS]:
        voter.set_password(PASSWORD)
        voter.save(update_fields=["password"])
        EmailAddress.objects.create(user=voter, email=voter.email, verified=True, primary=True)
    poll = roll_poll(secretariat)
    assert poll.meeting.roll.count() == ROLL
    poll.meeting.roll.filter(user__in=voters[:VOTERS]).update(present_at=timezone.now())
    smtp_server.delay = 0.02

    # Opening the poll queues its e-mail to the roll of 200, for the two workers.
    poll_open(poll=poll, actor=secretariat, base_url=nodes[0] + "/")

    # Ballots, alternately through both servers: each voter signs in on one, confirms
    # there and casts on the other (sessions are in the database), then tries again.
    receipts = []
    for n, voter in enumerate(voters[:VOTERS]):
        home, other = nodes[n % 2], nodes[(n + 1) % 2]
        browser = Browser()
        status, url, _page = log_in(browser, home, voter.email, PASSWORD)
        assert status == 200 and "/accounts/" not in url, url
        status, _url, confirm = browser.submit(
            home, f"/polls/{poll.pk}/", form_action=f"/polls/{poll.pk}/confirm/"
        )
        assert status == 200
        [cast] = [form for form in forms_of(confirm) if form["action"].endswith("/cast/")]
        status, _url, receipt_page = browser.post(other, cast["action"], cast["fields"])
        assert status == 200, receipt_page[:500]
        receipts.append(receipt_page)
        again = browser.post(home, cast["action"], cast["fields"])
        assert Participation.objects.filter(poll=poll).count() == n + 1, again[0]
    # Sealed while the poll is open; opened into ballots at the close.
    assert SealedBallot.objects.filter(poll=poll).count() == VOTERS
    assert not Ballot.objects.filter(poll=poll).exists()

    poll = poll_close(poll=Poll.objects.get(pk=poll.pk), actor=secretariat)
    assert sum(poll.counted_totals.values()) == VOTERS, poll.counted_totals
    assert Ballot.objects.filter(poll=poll).count() == VOTERS
    assert not SealedBallot.objects.filter(poll=poll).exists()

    # Failed logins spread across both servers hit the one limit of the account (5 in
    # 5 minutes): after them, even the right password is refused on either server.
    target = make_user("xianzhi@example.org", groups=[])
    for attempt in range(5):
        status, url, page = log_in(Browser(), nodes[attempt % 2], target.email, "wrong-pass")
        assert "/accounts/login/" in url
    for node in nodes:
        browser = Browser()
        status, url, page = log_in(browser, node, target.email, PASSWORD)
        assert status == 429 or "/accounts/login/" in url, (node, status, url)
        assert browser.request(node + "/members/me/")[1].startswith(node + "/accounts/login/")

    # Each of the 200 e-mails arrives once, and both workers sent some.
    wait_for(
        lambda: (
            OutboxMessage.objects.filter(state="sent").count() == ROLL
            or any(worker.poll() is not None for worker in workers)
        ),
        timeout=240,
    )
    addresses = smtp_server.addresses()
    assert len(addresses) == ROLL
    assert sorted(addresses) == sorted(voter.email for voter in voters)
    senders = {
        worker
        for ids in DBTaskResult.objects.filter(
            task_path="association.outbox.outbox_deliver", status="SUCCESSFUL"
        ).values_list("worker_ids", flat=True)
        for worker in ids
    }
    assert senders == {"worker-1", "worker-2"}
    assert json.dumps(sorted(addresses)) == json.dumps(sorted(set(addresses)))
