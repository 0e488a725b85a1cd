"""Fixtures every app's tests share: the personas, the divisions they are scoped to, the
association's profile, and a browser.

Tests run on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal;
pytest-django creates and drops `test_portal`). Browser tests drive Debian's Chromium.

Where test helpers live, so that each is written once:
- here: fixtures used by more than one app's tests (the personas; a meeting, its roll and a
  motion with its poll, which the association's and the ballot box's tests both need), and
  builders that need models (`make_user`, `login`, `browser_login`, `check_in`,
  `make_voters`, `analog_motion`);
- common/tests/factories.py: plain builders of files (images, PDFs, workbooks), importing no
  app;
- `<app>/tests/conftest.py`: fixtures only that app's tests use (a meeting, a registry of
  stations...).
"""

import asyncio
import email
import logging
import os
import socket
import threading
import time
import uuid

os.environ.setdefault("DATABASE_URL", "postgres://postgres@127.0.0.1:5432/portal")
# Playwright's sync API runs an event loop in the test thread; the ORM calls the tests make
# around it are still synchronous.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from aiosmtpd.controller import Controller  # noqa: E402
from allauth.account.models import EmailAddress  # noqa: E402
from allauth.mfa.totp.internal.auth import (  # noqa: E402
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings  # noqa: E402
from django.contrib.auth.models import Group  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.utils import timezone, translation  # noqa: E402
from django_tasks_db.management.commands.db_worker import Worker  # noqa: E402
from django_tasks_db.models import DBTaskResult  # noqa: E402

from association.models import (  # noqa: E402
    AssociationProfile,
    Document,
    DocumentVersion,
    Meeting,
    Motion,
    RollEntry,
)
from association.services import (  # noqa: E402
    meeting_roll_freeze,
    motion_save,
    roll_entry_check_in,
)
from elections.ballot_box.services import poll_open  # noqa: E402
from elections.models import Poll  # noqa: E402
from members import roles  # noqa: E402
from members.demo import members_in_good_standing  # noqa: E402
from members.models import Member, Representative, User  # noqa: E402
from stations.models import Division  # noqa: E402

PASSWORD = "Tongxin-2026-pass"
# The database DATABASE_URL names; pytest-django switches to its test database when a test
# needs one.
CONFIGURED_DATABASE = settings.DATABASES["default"]["NAME"]
CHROMIUM = "/usr/bin/chromium"
PHONE_VIEWPORT = {"width": 390, "height": 844}


@pytest.fixture(scope="session", autouse=True)
def _close_connection_pools(django_db_setup, django_db_blocker):
    """Close PostgreSQL connection pools before the test database is dropped.

    Django's pools are shared by every thread of the process, so the live server's pooled
    connections would otherwise still hold the database when pytest-django drops it.
    """
    yield
    for connection in connections.all(initialized_only=True):
        if connection.alias in getattr(connection, "_connection_pools", {}):
            connection.close_pool()
    # A connection a worker thread opened and never handed back is outside the pool's
    # reach; end such sessions so that dropping the test database does not fail.
    # Only when this run created the test database (a run of tests that need none creates
    # none, and its never-opened pool would only make us wait for a connection).
    connection = connections["default"]
    created = connection.settings_dict["NAME"] != CONFIGURED_DATABASE
    if connection.vendor == "postgresql" and created:
        with django_db_blocker.unblock(), connection.cursor() as cursor:
            cursor.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                " WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        connection.close()


@pytest.fixture(autouse=True)
def _media_root(tmp_path, settings):
    """Uploaded files go to a per-test folder, never into the checkout."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _own_cache_keys(settings):
    """Each test reads and writes its own cache keys.

    The cache is a database table that neither a test's rollback (live-server tests commit)
    nor pytest-django's flush empties, so the login rate-limit counters of one browser test
    would otherwise count against the next: CI saw "Too Many Requests" on a login once
    enough browser tests had logged in within a minute. A key prefix per test keeps the
    production cache backend and isolates the tests.
    """
    caches = {alias: dict(options) for alias, options in settings.CACHES.items()}
    for options in caches.values():
        options["KEY_PREFIX"] = f"test-{uuid.uuid4().hex}"
    settings.CACHES = caches


@pytest.fixture
def role_groups(db):
    call_command("setup_roles", verbosity=0)
    return {name: Group.objects.get(name=name) for name in roles.ROLES}


@pytest.fixture
def city(db):
    province = Division.objects.create(code="41", name="河南省", level=Division.Level.PROVINCE)
    return Division.objects.create(
        code="4110", name="许昌市", level=Division.Level.CITY, parent=province
    )


@pytest.fixture
def county(city):
    return Division.objects.create(
        code="411002", name="魏都区", level=Division.Level.COUNTY, parent=city
    )


@pytest.fixture
def other_county(city):
    return Division.objects.create(
        code="411003", name="建安区", level=Division.Level.COUNTY, parent=city
    )


@pytest.fixture
def profile(city):
    """The association (许昌市社会工作行业协会) in the city, numbering its members XCSW-…"""
    return AssociationProfile.objects.create(
        name="许昌市社会工作行业协会",
        member_number_prefix="XCSW",
        introduction="协会简介第一段。",
        city=city,
    )


def make_user(email, *, full_name="", groups=(), two_factor=False, **fields):
    """A verified account with PASSWORD; staff get a TOTP authenticator when asked."""
    user = User.objects.create_user(
        username=email.split("@")[0],
        email=email,
        password=PASSWORD,
        full_name=full_name,
        **fields,
    )
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    for name in groups:
        user.groups.add(Group.objects.get(name=name))
    if two_factor:
        set_up_two_factor(user)
    return user


def set_up_two_factor(user):
    """Give an account a TOTP authenticator, as staff set up at their first login; the
    secret stays on the object for `totp_code`."""
    user.totp_secret = generate_totp_secret()
    TOTP.activate(user, user.totp_secret)
    roles.forget_two_factor(user)
    return user


def totp_code(user, offset=0):
    """The current TOTP code for a persona made with two_factor=True."""
    counter = int(time.time()) // 30 + offset
    return format_hotp_value(hotp_value(user.totp_secret, counter))


@pytest.fixture
def secretariat(role_groups):
    """Secretariat officer (秘书处), with two-factor login set up."""
    return make_user(
        "mishu@example.org",
        full_name="秘书处 王敏",
        groups=[roles.SECRETARIAT],
        is_staff=True,
        two_factor=True,
    )


@pytest.fixture
def secretariat_without_2fa(role_groups):
    """A secretariat account that has not set up two-factor login: an ordinary account."""
    return make_user(
        "mishu2@example.org", full_name="秘书处 李新", groups=[roles.SECRETARIAT], is_staff=True
    )


@pytest.fixture
def superuser(role_groups):
    """An administrator (superuser), with two-factor login set up."""
    return make_user(
        "root@example.org",
        full_name="系统管理员",
        is_staff=True,
        is_superuser=True,
        two_factor=True,
    )


@pytest.fixture
def superuser_without_2fa(role_groups):
    """A superuser that has not set up two-factor login: an ordinary account until it has."""
    return make_user(
        "root2@example.org", full_name="系统管理员 二", is_staff=True, is_superuser=True
    )


@pytest.fixture
def city_viewer(role_groups, city):
    """Civil-affairs viewer scoped to the whole city."""
    return make_user(
        "minzheng@example.org",
        full_name="市民政局 赵强",
        groups=[roles.CIVIL_AFFAIRS],
        civil_affairs_scope=city,
        two_factor=True,
    )


@pytest.fixture
def county_viewer(role_groups, county):
    """Civil-affairs viewer scoped to one county."""
    return make_user(
        "weidu@example.org",
        full_name="魏都区民政局 孙丽",
        groups=[roles.CIVIL_AFFAIRS],
        civil_affairs_scope=county,
        two_factor=True,
    )


@pytest.fixture
def city_viewer_without_2fa(role_groups, city):
    """A civil-affairs viewer for the whole city without two-factor login: no scope yet."""
    return make_user(
        "minzheng2@example.org",
        full_name="市民政局 钱进",
        groups=[roles.CIVIL_AFFAIRS],
        civil_affairs_scope=city,
    )


@pytest.fixture
def individual_member(role_groups, county):
    """An individual member (个人会员) in good standing; the user is returned."""
    user = make_user("geren@example.org", full_name="陈静", groups=[roles.MEMBER])
    Member.objects.create(
        kind=Member.Kind.INDIVIDUAL, name="陈静", number="XCSW-2025-0001", county=county, user=user
    )
    return user


@pytest.fixture
def unit_representative(role_groups, county):
    """The voting representative (会员代表) of a unit member; the user is returned."""
    user = make_user("daibiao@example.org", full_name="刘洋", groups=[roles.MEMBER])
    member = Member.objects.create(
        kind=Member.Kind.UNIT,
        name="许昌市阳光社会工作服务中心",
        number="XCSW-2025-0002",
        county=county,
        user=user,
    )
    Representative.objects.create(member=member, user=user)
    return user


@pytest.fixture
def applicant(role_groups):
    """A signed-up user with a pending application."""
    return make_user("shenqing@example.org", full_name="周楠", groups=[roles.APPLICANT])


@pytest.fixture
def outsider(db):
    """A signed-up user with no role at all."""
    return make_user("waibu@example.org", full_name="吴凡")


def login(client, user):
    """Log a persona into the Django test client, two-factor already passed."""
    client.force_login(user, backend=settings.AUTHENTICATION_BACKENDS[0])
    return client


@pytest.fixture
def english(request):
    """English messages: the test client asks for English with the language cookie, and code
    run outside a request speaks English too. (Chinese, the default, is tested on its own.)
    A folder of tests that reads English makes this autouse in its conftest."""
    if "client" in request.fixturenames:
        request.getfixturevalue("client").cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    with translation.override("en"):
        yield


# Meetings, motions and polls (the association's and the ballot box's tests) ----------------


@pytest.fixture
def meeting(db):
    """A general assembly today."""
    return Meeting.objects.create(
        title="第一届会员代表大会第二次会议",
        body=Meeting.Body.GENERAL_ASSEMBLY,
        starts_at=timezone.now(),
        place="许昌市魏都区示范路1号",
        mode=Meeting.Mode.HYBRID,
    )


@pytest.fixture
def frozen_meeting(meeting, individual_member, unit_representative, secretariat):
    """The meeting with its roll frozen: the two member personas are on it, nobody present."""
    meeting_roll_freeze(meeting=meeting, actor=secretariat)
    meeting.refresh_from_db()
    return meeting


@pytest.fixture
def charter(db):
    document = Document.objects.create(title="章程", kind=Document.Kind.CHARTER)
    DocumentVersion.objects.create(
        document=document,
        label="草案",
        text="第一章 总则\n第一条 本会名称为许昌市社会工作行业协会。",
    )
    return document


@pytest.fixture
def motion(meeting, charter):
    return motion_save(
        motion=Motion(
            meeting=meeting,
            number=1,
            title="审议《章程（草案）》",
            text="请各位会员代表审议。",
            kind=Motion.Kind.CHARTER,
            document_version=charter.versions.get(),
        )
    )


@pytest.fixture
def poll(motion):
    return motion.poll


@pytest.fixture
def open_poll(poll, frozen_meeting, secretariat):
    poll_open(poll=poll, actor=secretariat)
    poll.refresh_from_db()
    return poll


def check_in(user, meeting, actor=None):
    entry = RollEntry.objects.get(meeting=meeting, user=user)
    roll_entry_check_in(entry=entry, actor=actor or user)
    return entry


def make_voters(count, *, prefix="voter"):
    """`count` individual members in good standing with accounts (for big rolls)."""
    return members_in_good_standing(count, prefix=prefix)


def analog_motion(meeting, *, kind=Motion.Kind.RESOLUTION, number=1, **rule):
    """A motion voted in the room (show of hands or paper), its totals entered afterwards."""
    return motion_save(
        motion=Motion(meeting=meeting, number=number, title=f"议案{number}", kind=kind, **rule),
        method=Poll.Method.ANALOG,
    )


# Browser tests ---------------------------------------------------------------------------


def run_tasks():
    """Run the queued background tasks that are due, in this process and inside the test's
    transaction, as `manage.py db_worker --batch` would (the library's own worker runs each
    one); tasks they queue run too. Returns how many ran."""
    worker = Worker(
        queue_names=["*"],
        interval=0,
        batch=True,
        backend_name="default",
        startup_delay=False,
        max_tasks=None,
        worker_id="test",
        excluded_queue_names=[],
    )
    ran = 0
    while (result := DBTaskResult.objects.ready().first()) is not None:
        result.claim(worker.worker_id)
        worker.run_task(result)
        ran += 1
    return ran


def database_url():
    """The URL of the test database, for the processes a test starts (workers, servers)."""
    database = connections["default"].settings_dict
    return (
        f"postgres://{database['USER']}@{database['HOST'] or '127.0.0.1'}:"
        f"{database['PORT'] or 5432}/{database['NAME']}?pool=0"
    )


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class SMTPServer:
    """A real SMTP server (aiosmtpd) in the test process, on a port of its own.

    `received` holds every message accepted (email.message.Message). Set `refuse` to
    answer every recipient 550, `delay` to take that many seconds per message.
    """

    def __init__(self):
        self.received = []
        self.attempts = 0
        self.refuse = False
        self.delay = 0.0
        self._lock = threading.Lock()
        self.port = free_port()
        self.controller = Controller(self, hostname="127.0.0.1", port=self.port)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        with self._lock:
            self.attempts += 1
        if self.refuse:
            return "550 5.1.1 Mailbox unavailable"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        with self._lock:
            self.received.append(email.message_from_bytes(envelope.content))
        return "250 Message accepted for delivery"

    def addresses(self):
        with self._lock:
            return [message["To"] for message in self.received]

    def settings(self):
        """The settings that send the portal's e-mail here."""
        return {
            "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "EMAIL_HOST": "127.0.0.1",
            "EMAIL_PORT": self.port,
            "EMAIL_USE_TLS": False,
            "EMAIL_USE_SSL": False,
        }


@pytest.fixture
def smtp_server(settings):
    """A real SMTP server the portal's e-mail goes to for this test."""
    logging.getLogger("mail.log").setLevel(logging.WARNING)  # aiosmtpd's line per command
    server = SMTPServer()
    server.controller.start()
    for name, value in server.settings().items():
        setattr(settings, name, value)
    yield server
    server.controller.stop()


@pytest.fixture(scope="session")
def browser():
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: `make test` installs Debian's chromium package")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
            ],
        )
        yield browser
        browser.close()


def _new_page(browser, **options):
    context = browser.new_context(locale="en-US", **options)
    context.set_default_timeout(15_000)
    return context, context.new_page()


@pytest.fixture
def page(browser, live_server):
    context, page = _new_page(browser, viewport={"width": 1280, "height": 900})
    yield page
    context.close()


def new_phone_page(browser):
    """A context and page the size of a phone (390×844, touch), as members vote from phones."""
    return _new_page(browser, viewport=PHONE_VIEWPORT, has_touch=True, is_mobile=True)


@pytest.fixture
def phone_page(browser, live_server):
    """A phone-sized page (390×844, touch), as members vote from their phones."""
    context, page = new_phone_page(browser)
    yield page
    context.close()


def fits_the_screen(page):
    """True when the page's document is no wider than the phone's screen.

    Waits for the document to have loaded first: right after a click on a link the old page
    may be going and the new one not yet parsed (no documentElement to measure).
    """
    page.wait_for_load_state()
    return page.evaluate("document.documentElement.scrollWidth <= window.innerWidth")


def browser_login(page, base_url, user, *, password=PASSWORD):
    """Log in through the real login form; answers the two-factor step when the user has it."""
    page.goto(f"{base_url}/accounts/login/")
    page.fill("input[name=login]", user.email)
    page.fill("input[name=password]", password)
    page.click("form button[type=submit]")
    if getattr(user, "totp_secret", None):
        page.wait_for_selector("input[name=code]")
        # A code holds for its 30-second window only (allauth's TOTP_TOLERANCE is 0): one
        # made in the window's last moment may reach the server in the next and be refused,
        # the form coming back. As a person would, type the code of the window now running.
        for _attempt in range(3):
            page.fill("input[name=code]", totp_code(user))
            with page.expect_navigation():
                page.click("form button[type=submit]")
            if "/accounts/2fa/authenticate/" not in page.url:
                break
    # Wait for the answer to the login itself: a load state alone may be the login page's
    # own, and a test going on at once would cut the login short (signed out).
    page.wait_for_url(
        lambda url: "/accounts/login/" not in url and "/accounts/2fa/authenticate/" not in url
    )
    page.wait_for_load_state()
