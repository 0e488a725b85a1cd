"""Every page each persona opens, on a 390×844 phone screen in Chromium, with the demo data.

For each page in PAGES and each persona listed with it, the check opens the page and
asserts that
- the document is no wider than the screen;
- no box in the page scrolls sideways with content hidden in it, except a table drawn with
  `{% table scroll=True %}` (the roster), which says that it scrolls and keeps its first
  column in place;
- every link and button in the main area lies inside the screen's width;
- every touch target (button, link, field, menu) is at least 44 px high and wide; a link
  inside a sentence is exempt, as WCAG's inline exception says;
- axe-core (bundled by axe-playwright-python, no CDN) finds no serious or critical
  violation;
- on a page in Chinese, no ASCII colon, semicolon, comma or bracket touches a Chinese
  character (选举结果：, 理事（3 名）, 、 and ；, never "选举结果: " or "理事 (3)").

To check a new page, add one line to PAGES: its URL name, the personas who open it and,
for a URL with ids, a function that picks its object from the demo data (a page the demo
data cannot show is a gap in the demo: add it there). A URL that is no page (a POST
action, a file, JSON) goes in NOT_PAGES with the reason. test_every_url_is_listed fails
until each named URL of the portal is in one of the two.

The personas are the demo's accounts (a visitor has none; the newcomer about to apply is
the shared `outsider`). One browser context per persona, logged in once through the real
login form (with the second factor for staff); every page is waited for by its load state,
never by time. The demo data is loaded once for all personas.
"""

import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from association.models import Document, ExportJob, Meeting
from conftest import PASSWORD, browser_login, new_phone_page, set_up_two_factor
from elections.models import Election, Poll
from members import services
from members.models import Application, Member, User
from stations.models import Station
from training.models import (
    Attendance,
    Certificate,
    Expert,
    OutsideHours,
    RegistrationPeriod,
    Session,
    Training,
)

DEMO_PASSWORD = "demo-2026-pass"

VISITOR = "visitor"
NEWCOMER = "newcomer"  # signed up, about to apply: the shared `outsider` persona
MEMBER = "member"
APPLICANT = "applicant"
SECRETARIAT = "secretariat"
CIVIL_AFFAIRS = "civil_affairs"
# The demo's accounts of each persona (the visitor has none).
PERSONA_EMAILS = {
    MEMBER: "huiyuan@example.org",
    APPLICANT: "shenqing@example.org",
    SECRETARIAT: "mishu@example.org",
    CIVIL_AFFAIRS: "minzheng@example.org",
}
PERSONAS = (VISITOR, NEWCOMER, MEMBER, APPLICANT, SECRETARIAT, CIVIL_AFFAIRS)
EVERYONE = PERSONAS
PARTICIPANTS = (MEMBER, SECRETARIAT)


@dataclass(frozen=True)
class Page:
    """A page: its URL name, who opens it, and the URL's arguments from the demo data."""

    name: str
    personas: tuple
    args: object = None  # a function of nothing, returning the URL's arguments
    query: object = ""  # the query string, or a function of nothing returning it
    label: str = field(default="", compare=False)

    def url(self):
        args = self.args() if self.args else []
        query = self.query() if callable(self.query) else self.query
        return reverse(self.name, args=args) + (f"?{query}" if query else "")

    def __str__(self):
        return self.label or self.name


# Objects of the demo data that pages show -----------------------------------------------


def _one(queryset, what):
    found = queryset.first()
    if found is None:
        pytest.fail(f"The demo data has no {what}: seed_demo should make one.")
    return found


def export_job():
    """A coverage workbook being written for the civil-affairs persona (jobs are nobody's
    demo data: they last a day)."""
    viewer = User.objects.get(email=PERSONA_EMAILS[CIVIL_AFFAIRS])
    job, _created = ExportJob.objects.get_or_create(
        requested_by=viewer,
        export="stations.exports.coverage_workbook",
        defaults={
            "params": {"area": viewer.civil_affairs_scope_id, "on": "2026-06-30"},
            "filename": "社工站覆盖率-许昌市-2026-06-30.xlsx",
            "state": ExportJob.State.RUNNING,
            "rows_written": 1000,
            "rows_total": 2400,
        },
    )
    return job


def charter():
    return _one(Document.objects.filter(kind=Document.Kind.CHARTER), "charter")


def general_assembly():
    return _one(
        Meeting.objects.filter(
            body=Meeting.Body.GENERAL_ASSEMBLY, roll_frozen_at__isnull=False
        ).order_by("-starts_at"),
        "general assembly with a frozen roll",
    )


def published_motion_poll():
    return _one(
        Poll.objects.filter(kind=Poll.Kind.MOTION, state=Poll.State.PUBLISHED).order_by("pk"),
        "published motion poll",
    )


def published_election_poll():
    return _one(
        Poll.objects.filter(kind=Poll.Kind.ELECTION, state=Poll.State.PUBLISHED).order_by("pk"),
        "published board-election poll",
    )


def certified_election():
    return _one(
        Election.objects.filter(state=Election.State.CERTIFIED).order_by("pk"),
        "certified election",
    )


def own_member():
    return _one(Member.objects.filter(user__email=PERSONA_EMAILS[MEMBER]), "member persona")


def unit_member():
    return _one(Member.objects.filter(kind=Member.Kind.UNIT).order_by("pk"), "unit member")


def invitation_token():
    """A fresh invitation, from the secretariat, for the member persona to represent the
    demo's first unit (only a hash of a token is stored, so each opening sends a new one,
    which replaces the last)."""
    invitation = services.representative_invite(
        email=PERSONA_EMAILS[MEMBER],
        actor=User.objects.get(email=PERSONA_EMAILS[SECRETARIAT]),
        member=unit_member(),
    )
    return [invitation.link.rstrip("/").rsplit("/", 1)[-1]]


def own_application():
    return _one(
        Application.objects.filter(applicant__email=PERSONA_EMAILS[APPLICANT]),
        "application of the applicant persona",
    )


def station():
    return _one(Station.objects.order_by("pk"), "station")


def training():
    return _one(Training.objects.filter(is_published=True).order_by("pk"), "published training")


def expert():
    return _one(Expert.objects.order_by("pk"), "expert")


def attendance():
    return _one(Attendance.objects.select_related("session").order_by("pk"), "attendance")


def training_session():
    return _one(
        Session.objects.filter(training__is_published=True).order_by("-starts_at"), "session"
    )


def own_period():
    return _one(
        RegistrationPeriod.objects.filter(user__email=PERSONA_EMAILS[MEMBER]),
        "registration period of the member persona",
    )


def outside_hours():
    return _one(OutsideHours.objects.order_by("pk"), "hours earned elsewhere")


def training_certificate():
    return _one(Certificate.objects.order_by("pk"), "training certificate")


PAGES = [
    # The association: home, documents, meetings.
    Page("association:home", EVERYONE),
    Page("association:privacy", EVERYONE),
    Page("association:documents", EVERYONE),
    Page("association:document", EVERYONE, lambda: [charter().pk]),
    Page("association:document-version", EVERYONE, lambda: [charter().pk, 1]),
    Page("association:document-diff", EVERYONE, lambda: [charter().pk], "from=1&to=2"),
    Page("association:meetings", PARTICIPANTS),
    Page("association:meeting", PARTICIPANTS, lambda: [general_assembly().pk]),
    Page("association:meeting-check-in", (MEMBER,), lambda: [general_assembly().pk]),
    Page("association:meeting-attendance", (SECRETARIAT,), lambda: [general_assembly().pk]),
    # Accounts.
    Page("account_login", (VISITOR,)),
    Page("account_signup", (VISITOR,)),
    Page("account_reset_password", (VISITOR,)),
    Page("account_email", (MEMBER,)),
    Page("account_change_password", (MEMBER,)),
    Page("mfa_index", (SECRETARIAT, CIVIL_AFFAIRS)),
    # Members.
    Page("members:apply", (NEWCOMER,)),
    Page("members:apply", (NEWCOMER,), query="kind=unit", label="members:apply (unit)"),
    Page("members:apply", (NEWCOMER,), query="kind=individual", label="members:apply (individual)"),
    Page("members:application", (APPLICANT, SECRETARIAT), lambda: [own_application().pk]),
    Page("members:application-queue", (SECRETARIAT,)),
    Page("members:me", (MEMBER,)),
    Page("members:profile-edit", (MEMBER, SECRETARIAT), lambda: [own_member().pk]),
    Page("members:member-representative", (SECRETARIAT,), lambda: [unit_member().pk]),
    Page("members:directory", EVERYONE),
    Page("members:verify-lookup", EVERYONE),
    Page("members:verify", EVERYONE, lambda: [own_member().number]),
    Page("members:roster", (SECRETARIAT,)),
    # A staff account's enrolment link from its e-mail (GET only shows the button).
    Page("members:two-factor-link", (NEWCOMER,), lambda: ["link-from-the-e-mail"]),
    Page("members:member", (SECRETARIAT,), lambda: [unit_member().pk]),
    # An invitation to represent a unit, from its e-mail: the invitee answers it; a visitor
    # is asked to sign in first.
    Page("members:invitation", (VISITOR, MEMBER), invitation_token),
    # Stations and coverage.
    Page("stations:station-list", EVERYONE),
    Page("stations:station", EVERYONE, lambda: [station().pk]),
    Page("stations:station-create", (SECRETARIAT,)),
    Page("stations:station-edit", (SECRETARIAT,), lambda: [station().pk]),
    Page("stations:coverage-summary", EVERYONE),
    Page("stations:coverage", (SECRETARIAT, CIVIL_AFFAIRS)),
    Page("association:export-job", (CIVIL_AFFAIRS,), lambda: [export_job().pk]),
    # Polls and the ballot box.
    Page("elections:poll-list", EVERYONE),
    Page("elections:my-votes", (MEMBER,)),
    Page("elections:poll-results", EVERYONE, lambda: [published_motion_poll().pk]),
    Page(
        "elections:poll-results",
        EVERYONE,
        lambda: [published_election_poll().pk],
        label="elections:poll-results (board election)",
    ),
    Page("elections:poll-bulletin", EVERYONE, lambda: [published_motion_poll().pk]),
    Page("elections:manage-polls", (SECRETARIAT,)),
    Page("elections:manage-poll", (SECRETARIAT,), lambda: [published_motion_poll().pk]),
    Page("elections:audit-log", (SECRETARIAT,)),
    # Board elections and the board.
    Page("elections:board", EVERYONE),
    Page("elections:election", EVERYONE, lambda: [certified_election().pk]),
    Page("elections:election-results", EVERYONE, lambda: [certified_election().pk]),
    Page("elections:election-minutes", EVERYONE, lambda: [certified_election().pk]),
    Page("elections:manage-elections", (SECRETARIAT,)),
    Page("elections:election-create", (SECRETARIAT,)),
    Page("elections:manage-election", (SECRETARIAT,), lambda: [certified_election().pk]),
    # Continuing education.
    Page("training:calendar", EVERYONE),
    Page("training:training", EVERYONE, lambda: [training().pk]),
    Page("training:experts", EVERYONE),
    Page("training:expert", EVERYONE, lambda: [expert().pk]),
    Page("training:verify-lookup", EVERYONE),
    Page("training:verify", EVERYONE, lambda: [training_certificate().number]),
    Page("training:check-in", (MEMBER,), lambda: [training_session().pk]),
    Page("training:mine", (MEMBER,)),
    Page("training:period-new", (MEMBER,)),
    Page("training:period-edit", (MEMBER,), lambda: [own_period().pk]),
    Page("training:outside-new", (MEMBER,)),
    Page("training:manage", (SECRETARIAT,)),
    Page("training:manage-training", (SECRETARIAT,), lambda: [training().pk]),
    Page("training:manage-session", (SECRETARIAT,), lambda: [training_session().pk]),
    Page(
        "training:attendance-correct",
        (SECRETARIAT,),
        lambda: [attendance().session_id],
        lambda: f"user={attendance().user_id}",
    ),
    Page("training:outside-queue", (SECRETARIAT,)),
    Page("training:outside", (SECRETARIAT,), lambda: [outside_hours().pk]),
    Page("training:hours-report", (SECRETARIAT, CIVIL_AFFAIRS)),
]

# Named URLs that are no page, and why.
NOT_PAGES = {
    "association:healthz": "plain-text health check",
    "association:document-version-pdf": "PDF download",
    "association:healthz-tasks": "plain text for monitoring",
    "association:meeting-quorum": "JSON for the live quorum",
    "association:meeting-qr": "SVG image",
    "association:meeting-freeze-roll": "POST only",
    "association:meeting-check-in-state": "POST only",
    "association:roll-entry-check-in": "POST only",
    "association:roll-entry-undo": "POST only",
    "members:application-edit": "the form page of members:apply?kind=…, listed there",
    "members:application-submit": "POST only",
    "members:application-withdraw": "POST only",
    "members:application-representative": "POST only",
    "members:application-approve": "POST only",
    "members:application-reject": "POST only",
    "members:application-return": "POST only",
    "members:application-document-add": "POST only",
    "members:application-document": "a file",
    "members:application-document-thumbnail": "an image",
    "members:application-document-delete": "POST only",
    "members:my-data": "JSON download",
    "members:member-image": "an image",
    "members:member-certificate": "PDF or PNG download",
    "members:member-dues": "POST only",
    "members:member-status": "POST only",
    "members:member-tier": "POST only",
    "members:member-certificate-reissue": "POST only",
    "stations:photo-add": "POST only",
    "stations:photo-delete": "POST only",
    "stations:photo": "an image",
    "stations:photo-thumbnail": "an image",
    "stations:coverage-export": "spreadsheet download",
    "stations:coverage-export-job": "POST only",
    "association:export-job-progress": "JSON",
    "association:export-job-download": "spreadsheet download",
    "elections:poll": "the vote page of an open poll: checked by the member's voting tests",
    "elections:poll-confirm": "POST only",
    "elections:poll-cast": "POST only",
    "elections:poll-bulletin-text": "plain-text download",
    "elections:poll-turnout": "JSON for the live turnout",
    "elections:poll-open": "POST only",
    "elections:poll-close": "POST only",
    "elections:poll-publish": "POST only",
    "elections:poll-totals": "POST only",
    "elections:poll-mail-retry": "POST only",
    "elections:election-results-xlsx": "spreadsheet download",
    "elections:election-results-export-job": "POST only",
    "elections:election-nominate": "the demo has no election in draft",
    "elections:candidate-withdraw": "POST only",
    "elections:election-open": "POST only",
    "elections:election-close-round": "POST only",
    "elections:election-runoff": "POST only",
    "elections:election-certify": "POST only",
    "elections:candidate-photo": "an image",
    "training:register": "POST only",
    "training:cancel": "POST only",
    "training:training-certificate": "PDF download",
    "training:expert-photo": "an image",
    "training:period-certificate": "PDF download",
    "training:outside-evidence": "a file",
    "training:registrations-export": "spreadsheet download",
    "training:session-qr": "SVG image",
    "training:session-check-in-state": "POST only",
    "training:participant-check-in": "POST only",
    "training:outside-approve": "POST only",
    "training:outside-refuse": "POST only",
    "training:hours-export": "spreadsheet download",
    "training:hours-export-job": "POST only",
}
# Namespaces whose every named URL must be in PAGES or NOT_PAGES (allauth's pages are listed
# where the portal's users meet them).
CHECKED_NAMESPACES = ("association", "members", "stations", "elections", "training")


def _named_urls(patterns, namespace=""):
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            yield from _named_urls(pattern.url_patterns, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            yield f"{namespace}{pattern.name}"


def test_every_url_is_listed():
    names = {
        name
        for name in _named_urls(get_resolver().url_patterns)
        if name.split(":")[0] in CHECKED_NAMESPACES and ":" in name
    }
    listed = {page.name for page in PAGES} | set(NOT_PAGES)
    assert sorted(names - listed) == [], "add these URLs to PAGES or NOT_PAGES"
    assert sorted(set(NOT_PAGES) - names) == [], "these URLs are gone: remove them"
    assert {page.name for page in PAGES}.isdisjoint(NOT_PAGES)


# The checks, run in the page -----------------------------------------------------------

# The layout checks, run in the page: a function returning its problems as sentences.
LAYOUT_PROBLEMS = (Path(__file__).parent / "phone_layout.js").read_text(encoding="utf-8")

AXE = Axe()


# An ASCII mark next to a Chinese character (a space between them or not).
ASCII_MARK_IN_CHINESE = re.compile(r"[\u4e00-\u9fff] ?[:;,()]|[:;,()] ?[\u4e00-\u9fff]")


def punctuation_problems(page):
    """Chinese text takes Chinese punctuation: the snippets where it does not."""
    if page.locator("html").get_attribute("lang") != "zh-CN":
        return []
    text = page.locator("main").inner_text()
    return [
        f"ASCII punctuation in Chinese text: {text[max(0, m.start() - 12) : m.end() + 12]!r}"
        for m in ASCII_MARK_IN_CHINESE.finditer(text)
    ]


def page_problems(page):
    problems = page.evaluate(LAYOUT_PROBLEMS) + punctuation_problems(page)
    results = AXE.run(page)
    for violation in results.response["violations"]:
        if violation["impact"] in ("serious", "critical"):
            targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
            problems.append(f"axe {violation['id']} ({violation['impact']}): {targets}")
    return problems


@pytest.fixture
def demo(transactional_db, outsider):
    """The demo data, and the account of each persona (staff with two-factor set up)."""
    call_command("seed_demo", force=True, verbosity=0)
    accounts = {NEWCOMER: (outsider, PASSWORD)}
    for persona, email in PERSONA_EMAILS.items():
        user = User.objects.get(email=email)
        if persona in (SECRETARIAT, CIVIL_AFFAIRS):
            set_up_two_factor(user)
        accounts[persona] = (user, DEMO_PASSWORD)
    return accounts


def persona_problems(browser, base_url, persona, account):
    """{page: [problem, ...]} for the listed pages of one persona, in one browser context."""
    found = {}
    context, tab = new_phone_page(browser)
    try:
        if account:
            user, password = account
            browser_login(tab, base_url, user, password=password)
        for listed in PAGES:
            if persona not in listed.personas:
                continue
            url = listed.url()
            response = tab.goto(base_url + url)
            tab.wait_for_load_state("load")
            where = f"{persona} · {listed} {url}"
            if response.status != 200 or not tab.url.endswith(url):
                found[where] = [f"answered {response.status} at {tab.url}"]
            elif problems := page_problems(tab):
                found[where] = problems
    finally:
        context.close()
    return found


@pytest.mark.browser
def test_every_listed_page_fits_a_phone_and_passes_axe(browser, live_server, demo):
    # One test for every persona, so that the demo data is loaded once.
    found = {}
    for persona in PERSONAS:
        found |= persona_problems(browser, live_server.url, persona, demo.get(persona))
    report = "\n".join(f"{where}:\n  " + "\n  ".join(problems) for where, problems in found.items())
    assert not found, f"On a 390 px phone:\n{report}"


@pytest.mark.browser
def test_the_page_check_finds_what_it_should(browser):
    """The checks above are worth something only if they catch what they look for."""
    context, tab = new_phone_page(browser)
    try:
        tab.set_content(
            """<html lang="en"><head><title>t</title>
            <meta name="viewport" content="width=device-width, initial-scale=1"></head><body><main>
            <div style="overflow-x:auto"><p style="width:900px">wide</p></div>
            <p><a href="/x">alone</a></p>
            <p>A sentence with <a href="/y">a link</a> in it.</p>
            <button style="position:relative;left:360px">far</button>
            <img src="data:image/gif;base64,R0lGODlhAQABAAAAACw=">
            </main></body></html>"""
        )
        problems = "\n".join(page_problems(tab))
    finally:
        context.close()
    assert re.search(r"div \"wide\" hides \d+ px sideways", problems)
    assert 'a "alone" is a' in problems
    assert '"a link"' not in problems
    assert 'button "far" lies outside the screen' in problems
    assert "the document is" in problems
    assert "axe image-alt (critical)" in problems


@pytest.mark.browser
def test_the_punctuation_check_finds_ascii_marks_in_chinese(browser):
    context, tab = new_phone_page(browser)
    try:
        tab.set_content(
            """<html lang="zh-CN"><head><title>t</title></head><body><main>
            <h1>选举结果: 第一届理事会</h1><p>会长 (1)</p><p>选举结果：理事（应选 3 名）、监事；
            41 ≥ 2/3 × 61 = 40.67 → 通过</p></main></body></html>"""
        )
        problems = "\n".join(punctuation_problems(tab))
    finally:
        context.close()
    assert "'选举结果: 第一届理事会" in problems
    assert "会长 (1)" in problems
    assert problems.count("ASCII punctuation") == 2
