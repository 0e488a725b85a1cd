"""Benchmark: a burst of online votes against gunicorn, against a bare flow of the same shape.

Builds N voters on a frozen roll (all checked in) with an open secret motion, in a database
of its own, and starts gunicorn with 4 workers and production settings (DEBUG=0, whitenoise's
manifest storage after collectstatic) on a free port. Its urlconf (bench/ballot_box/urls.py,
never the product's) adds a bare flow of the same shape as the vote: a page with a form, a
confirmation page, and a last POST that does one INSERT, through the same middleware,
session, login check, CSRF and base template. Clients are threads with their own cookies,
which fill each form as a browser would (every hidden field, one option per question).

1. Throughput: R rounds, each the vote flow (poll page, confirm, cast) for N/R·0.7 fresh
   voters then the bare flow for as many, with C concurrent clients, the order alternating
   between rounds. Figure: vote flows per second ÷ bare flows per second (median and range).
2. Latency: the cast POST with 4 concurrent clients, both flows interleaved. Figure: p95 of
   the vote's cast ÷ p95 of the bare cast.
3. Queries per vote: one voter's poll page, confirm and cast in this process (Django's test
   client), against the bare flow's three requests.
4. A triple-submit storm: voters whose cast form is sent three times at once.
5. SIGKILL of one gunicorn worker in the middle of a burst; clients whose response was lost
   start again from the poll page, as a voter reloading would.

Then the poll is closed (poll_close) and checked: ballots = participations = distinct
voters, no participation of a voter who never tried, every acknowledged receipt counted.
The last line sums it up; the exit status is 1 when a ballot was lost or doubled.

It runs on PostgreSQL (DATABASE_URL, default postgres://postgres@127.0.0.1:5432/portal_bench)
and creates and drops its own test database (test_<name>):

    .venv/bin/python bench/vote_burst.py [--voters 1000] [--clients 50] [--rounds 5]
"""

import argparse
import http.client
import os
import random
import re
import secrets
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from html.parser import HTMLParser
from http.cookies import SimpleCookie
from pathlib import Path
from urllib.parse import urlencode, urlsplit, urlunsplit

from _django import BASE, start  # noqa: E402

start(
    "portal_bench",
    # One key for this process and the gunicorn it starts: the workers seal ballots with what
    # this process opened, and this process closes the poll. Likewise the secret key:
    # sessions made here are read by the workers.
    BALLOT_KEY=secrets.token_urlsafe(32),
    SECRET_KEY=secrets.token_urlsafe(50),
)

from django.conf import settings  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import (  # noqa: E402
    CaptureQueriesContext,
    override_settings,
    setup_databases,
    setup_test_environment,
    teardown_databases,
)

from bench.ballot_box import build  # noqa: E402
from bench.ballot_box.urls import BARE_TABLE  # noqa: E402
from elections.ballot_box.services import new_receipt, poll_close  # noqa: E402
from elections.models import Ballot, Participation  # noqa: E402

WORKERS = 4
LATENCY_CLIENTS = 4
RECEIPT = re.compile(r'data-receipt="([^"]+)"')


# The client --------------------------------------------------------------------------------


class Forms(HTMLParser):
    """The forms of a page: action and fields (hidden and text inputs, radio options)."""

    def __init__(self, text):
        super().__init__()
        self.forms = []
        self._form = None
        self.feed(text)

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action", ""), "fields": [], "radios": {}}
            self.forms.append(self._form)
        elif tag == "input" and self._form is not None and attrs.get("name"):
            kind = attrs.get("type", "text")
            if kind == "radio":
                self._form["radios"].setdefault(attrs["name"], []).append(attrs.get("value", ""))
            elif kind in ("hidden", "text"):
                self._form["fields"].append((attrs["name"], attrs.get("value") or ""))

    def handle_endtag(self, tag):
        if tag == "form":
            self._form = None

    def filled(self, action_end, rng):
        """The fields of the form whose action ends with `action_end`, one option chosen per
        question, as a browser submits them; None when the page has no such form."""
        for form in self.forms:
            if form["action"].endswith(action_end):
                fields = list(form["fields"])
                fields += [(name, rng.choice(values)) for name, values in form["radios"].items()]
                return form["action"], fields
        return None


class Interrupted(Exception):
    """The connection failed or the server answered 5xx: the response is lost."""


class Browser:
    """One voter's cookie jar and requests (gunicorn's sync workers close each connection)."""

    def __init__(self, port, session_key):
        self.port = port
        self.cookies = {settings.SESSION_COOKIE_NAME: session_key}
        self.held = None  # the receipt code this browser made and keeps (receipts.js)

    def request(self, method, path, fields=None):
        body = urlencode(fields) if fields is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
        start = time.perf_counter()
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=120)
        try:
            connection.request(method, path, body=body, headers=headers)
            response = connection.getresponse()
            text = response.read().decode("utf-8", "replace")
        except (OSError, http.client.HTTPException) as error:
            raise Interrupted(repr(error)) from error
        finally:
            connection.close()
        elapsed = time.perf_counter() - start
        for header in response.headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(header).items():
                self.cookies[name] = morsel.value
        if response.status >= 500:
            raise Interrupted(f"HTTP {response.status}")
        return response.status, response.getheader("Location", ""), text, elapsed


class Flow:
    """Poll page → confirm → cast for one voter; `paths` says where (vote or bare)."""

    def __init__(self, port, poll_pk, bare=False):
        self.port = port
        self.bare = bare
        self.start = f"/bench/bare/{poll_pk}/" if bare else f"/polls/{poll_pk}/"

    def ready_to_cast(self, browser, rng):
        """GET and confirm; returns the cast form (action, fields) or the refusal code."""
        status, _, page, _ = browser.request("GET", self.start)
        form = Forms(page).filled("/confirm/", rng)
        if status != 200 or form is None:
            refusal = re.search(r'data-refusal="([^"]+)"', page)
            return refusal.group(1) if refusal else f"no ballot (HTTP {status})"
        if not self.bare:
            browser.held = None  # a ballot to fill in: a code kept from before is no one's
        status, _, page, _ = browser.request("POST", *form)
        form = Forms(page).filled("/cast/", rng)
        if status != 200 or form is None:
            return f"no confirmation (HTTP {status})"
        action, fields = form
        if any(name == "receipt" for name, _ in fields):
            # As receipts.js does: make the code, keep it, then send it with the ballot.
            browser.held = browser.held or new_receipt()
            fields = [(name, browser.held if name == "receipt" else v) for name, v in fields]
        return action, fields

    def cast(self, browser, form):
        """("receipt", code, seconds) or ("refused", where it sent the voter, seconds)."""
        status, location, page, elapsed = browser.request("POST", *form)
        found = RECEIPT.search(page) if status == 200 else None
        if found:
            return "receipt", found.group(1), elapsed
        return "refused", location or f"HTTP {status}", elapsed

    def run(self, browser, rng):
        form = self.ready_to_cast(browser, rng)
        if not isinstance(form, tuple):
            return "refused", form, 0.0
        return self.cast(browser, form)


class Tally:
    """What the clients saw, shared by their threads."""

    def __init__(self):
        self.lock = threading.Lock()
        self.receipts = {}  # voter pk → acknowledged receipt of the vote flow
        self.tried = set()  # voter pks that sent a cast (any outcome)
        self.unanswered = 0  # vote-flow casts whose response was lost
        self.refusals = []

    def acknowledge(self, voter, receipt):
        with self.lock:
            if voter in self.receipts:
                self.refusals.append(f"voter {voter} got a second receipt {receipt}")
            self.receipts[voter] = receipt


def run_burst(flow, voters, browsers, clients, tally, *, on_progress=None, retry=False):
    """Every voter through `flow` with `clients` at once; returns (seconds, cast latencies)."""
    latencies = []
    done = [0]
    lock = threading.Lock()

    def one(voter):
        rng = random.Random(voter)
        attempts = 2 if retry else 1
        for attempt in range(attempts):
            try:
                if not flow.bare:
                    with tally.lock:
                        tally.tried.add(voter)
                outcome, value, elapsed = flow.run(browsers[voter], rng)
                break
            except Interrupted:
                if not flow.bare:
                    with tally.lock:
                        tally.unanswered += 1
                if attempt == attempts - 1:
                    return
        if outcome == "receipt":
            with lock:
                latencies.append(elapsed)
            if not flow.bare:
                tally.acknowledge(voter, value)
        elif value != "already_voted" or not retry:
            with tally.lock:
                tally.refusals.append(f"voter {voter}: {value}")
        with lock:
            done[0] += 1
            if on_progress:
                on_progress(done[0])

    start = time.perf_counter()
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(one, voters))
    return time.perf_counter() - start, latencies


def storm(flow, voters, browsers, clients, tally):
    """Each voter's cast form sent three times at once. Returns (receipts, refusals)."""
    forms = {}
    for voter in voters:
        tally.tried.add(voter)
        form = flow.ready_to_cast(browsers[voter], random.Random(voter))
        if isinstance(form, tuple):
            forms[voter] = form
        else:
            tally.refusals.append(f"storm voter {voter}: {form}")
    outcomes = {voter: [] for voter in forms}
    lock = threading.Lock()

    def send(voter):
        try:
            outcome = flow.cast(browsers[voter], forms[voter])[:2]
        except Interrupted as error:
            outcome = ("lost", str(error))
        with lock:
            outcomes[voter].append(outcome)

    barrier_jobs = [voter for voter in forms for _ in range(3)]
    with ThreadPoolExecutor(max_workers=clients) as pool:
        list(pool.map(send, barrier_jobs))
    receipts = refused = 0
    for voter, seen in outcomes.items():
        codes = [value for outcome, value in seen if outcome == "receipt"]
        receipts += len(codes)
        refused += sum(1 for outcome, _ in seen if outcome == "refused")
        if len(codes) > 1:
            tally.refusals.append(f"storm voter {voter} got {len(codes)} receipts")
        if codes:
            tally.acknowledge(voter, codes[0])
    return receipts, refused


# The server --------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(port, database_url, static_root):
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "bench.ballot_box.settings",
        "DEBUG": "0",
        "ALLOWED_HOSTS": "127.0.0.1",
        # Plain HTTP on the loopback: no proxy terminates TLS here.
        "SECURE_SSL_REDIRECT": "0",
        "DATABASE_URL": database_url,
        "STATIC_ROOT": str(static_root),
        "LOG_LEVEL": "WARNING",
    }
    subprocess.run(
        [sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"],
        cwd=BASE,
        env=env,
        check=True,
    )
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "association.wsgi",
            f"--bind=127.0.0.1:{port}",
            f"--workers={WORKERS}",
            "--timeout=120",
            "--log-level=warning",
        ],
        cwd=BASE,
        env=env,
    )
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", "/healthz")
            if connection.getresponse().status == 200 and len(workers(server)) == WORKERS:
                return server
        except OSError:
            pass
        time.sleep(0.2)
    server.kill()
    sys.exit("gunicorn did not answer within a minute")


def workers(server):
    """The pids of gunicorn's worker processes (the children of its master)."""
    children = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == server.pid:
                children.append(int(entry.name))
    return children


# Figures -----------------------------------------------------------------------------------


def p95(values):
    if len(values) < 2:
        return values[0] if values else float("nan")
    return statistics.quantiles(values, n=20)[-1]


def queries_per_flow(poll, voter, bare):
    """Queries of one voter's page, confirm and cast, in this process (test client)."""
    client = Client()
    client.force_login(voter)
    start = f"/bench/bare/{poll.pk}/" if bare else f"/polls/{poll.pk}/"
    counts = []
    with override_settings(ROOT_URLCONF="bench.ballot_box.urls"):
        rng = random.Random(voter.pk)
        with CaptureQueriesContext(connection) as context:
            page = client.get(start).content.decode()
        counts.append(len(context.captured_queries))
        action, fields = Forms(page).filled("/confirm/", rng)
        with CaptureQueriesContext(connection) as context:
            page = client.post(action, dict(fields)).content.decode()
        counts.append(len(context.captured_queries))
        action, fields = Forms(page).filled("/cast/", rng)
        with CaptureQueriesContext(connection) as context:
            page = client.post(action, dict(fields)).content.decode()
        counts.append(len(context.captured_queries))
    receipt = RECEIPT.search(page)
    assert receipt, "the in-process vote got no receipt"
    return counts, receipt.group(1)


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--voters", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args()
    if args.voters < 100:
        sys.exit("--voters must be at least 100")
    old_config = setup_databases(verbosity=0, interactive=False)
    server = None
    try:
        setup_test_environment(debug=False)
        actor = build.secretariat()
        users = build.voters(args.voters + 2)
        assembly = build.meeting(actor=actor)
        poll = build.open_motion(assembly, actor=actor)
        with connection.cursor() as cursor:
            cursor.execute(
                f"CREATE TABLE {BARE_TABLE} (id bigserial PRIMARY KEY, poll_id bigint, "
                "vote varchar(20), receipt varchar(14))"
            )
        query_voter, query_bare_voter, *users = users
        tally = Tally()
        vote_queries, receipt = queries_per_flow(poll, query_voter, bare=False)
        tally.tried.add(query_voter.pk)
        tally.acknowledge(query_voter.pk, receipt)
        bare_queries, _ = queries_per_flow(poll, query_bare_voter, bare=True)

        keys = build.sessions(users)
        pks = [user.pk for user in users]
        random.Random(7).shuffle(pks)
        storm_count = max(10, len(pks) // 20)
        kill_count = max(30, len(pks) // 10)
        latency_count = max(20, len(pks) // 10)
        burst_count = len(pks) - storm_count - kill_count - latency_count
        per_round = burst_count // args.rounds
        batches = [pks[i * per_round : (i + 1) * per_round] for i in range(args.rounds)]
        rest = pks[args.rounds * per_round :]
        latency_voters, rest = rest[:latency_count], rest[latency_count:]
        storm_voters, kill_voters = rest[:storm_count], rest[storm_count:]

        database_url = urlunsplit(
            urlsplit(os.environ["DATABASE_URL"])._replace(
                path="/" + connection.settings_dict["NAME"]
            )
        )
        port = free_port()
        static_root = tempfile.mkdtemp(prefix="vote-burst-static-")
        server = start_gunicorn(port, database_url, static_root)
        browsers = {pk: Browser(port, key) for pk, key in keys.items()}
        vote, bare = Flow(port, poll.pk), Flow(port, poll.pk, bare=True)
        started = time.perf_counter()

        # 1. Throughput, interleaved.
        ratios = []
        for number, batch in enumerate(batches):
            order = [(vote, "vote"), (bare, "bare")]
            if number % 2:
                order.reverse()
            seconds = {}
            for flow, name in order:
                seconds[name], _ = run_burst(flow, batch, browsers, args.clients, tally)
            ratios.append(seconds["bare"] / seconds["vote"])
            print(
                f"round {number + 1}: {len(batch)} voters, vote {len(batch) / seconds['vote']:.1f}"
                f"/s, bare {len(batch) / seconds['bare']:.1f}/s, ratio {ratios[-1]:.2f}×",
                flush=True,
            )

        # 2. Cast latency at 4 clients, interleaved in groups of four.
        vote_latencies, bare_latencies = [], []
        for i in range(0, len(latency_voters), LATENCY_CLIENTS):
            group = latency_voters[i : i + LATENCY_CLIENTS]
            vote_latencies += run_burst(vote, group, browsers, LATENCY_CLIENTS, tally)[1]
            bare_latencies += run_burst(bare, group, browsers, LATENCY_CLIENTS, tally)[1]

        # 4. Triple submits.
        storm_receipts, storm_refused = storm(vote, storm_voters, browsers, args.clients, tally)

        # 5. SIGKILL of a worker once a third of the burst is through.
        killed = []

        def kill_one(done):
            if done == len(kill_voters) // 3 and not killed:
                victim = random.choice(workers(server))
                os.kill(victim, signal.SIGKILL)
                killed.append(victim)

        run_burst(
            vote, kill_voters, browsers, args.clients, tally, on_progress=kill_one, retry=True
        )
        burst_seconds = time.perf_counter() - started

        poll_close(poll=poll, actor=actor)
        ballots = Ballot.objects.filter(poll=poll)
        counted = set(ballots.values_list("receipt", flat=True))
        participations = Participation.objects.filter(poll=poll)
        voters = set(participations.values_list("voter__user_id", flat=True))
        ballot_count, participation_count = ballots.count(), participations.count()
        lost = sum(1 for code in tally.receipts.values() if code not in counted)
        # Browsers that made their code (when the cast form asks for one) still hold it when
        # the response was lost: every voter who took part must find it on the board.
        held = {pk: browsers[pk].held for pk in voters if pk in browsers and browsers[pk].held}
        held_lost = sum(1 for code in held.values() if code not in counted)
        lost += held_lost
        lost += max(0, participation_count - ballot_count)
        doubled = max(0, ballot_count - len(voters))
        strangers = voters - tally.tried
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT count(*) FROM {BARE_TABLE}")  # noqa: S608
            bare_rows = cursor.fetchone()[0]

        throughput = statistics.median(ratios)
        latency = p95(vote_latencies) / p95(bare_latencies)
        print(
            f"voters on the roll: {args.voters + 2:,}; clients: {args.clients}; {WORKERS} workers"
        )
        print(f"burst phases took {burst_seconds:.0f} s; bare rows inserted: {bare_rows:,}")
        print(
            f"throughput, vote flow ÷ bare flow: {throughput:.2f}× "
            f"({min(ratios):.2f}–{max(ratios):.2f}) over {args.rounds} rounds (target ≥ 0.6×)"
        )
        print(
            f"cast POST p95 at {LATENCY_CLIENTS} clients: vote {p95(vote_latencies) * 1000:.0f} "
            f"ms, bare {p95(bare_latencies) * 1000:.0f} ms: {latency:.2f}× (target ≤ 2×)"
        )
        print(
            f"queries per vote (GET + confirm + cast): {sum(vote_queries)} "
            f"({' + '.join(map(str, vote_queries))}) vs bare {sum(bare_queries)} "
            f"({' + '.join(map(str, bare_queries))}) (target ≤ 15)"
        )
        print(
            f"triple-submit storm: {len(storm_voters)} voters × 3: {storm_receipts} receipts, "
            f"{storm_refused} refused as already voted"
        )
        print(
            f"SIGKILL of worker {killed[0] if killed else '-'} mid-burst: "
            f"{tally.unanswered} responses lost and retried"
        )
        print(
            f"ballots {ballot_count:,}, participations {participation_count:,}, distinct voters "
            f"{len(voters):,}; acknowledged receipts {len(tally.receipts):,}, "
            f"all counted: {lost == 0}; voters who never cast: {len(strangers)}"
        )
        if held:
            print(
                f"receipts made by the clients, as receipts.js does: {len(held):,}, "
                f"{len(held) - held_lost:,} of them on the board"
            )
        for refusal in tally.refusals[:10]:
            print(f"  unexpected: {refusal}")
        print(
            f"vote flow / bare insert throughput: {throughput:.2f}×; p95 {latency:.2f}×; "
            f"lost {lost}; doubled {doubled}"
        )
        ok = lost == 0 and doubled == 0 and not strangers
        ok = ok and ballot_count == participation_count == len(voters)
        return 0 if ok else 1
    finally:
        if server is not None:
            server.send_signal(signal.SIGTERM)
            server.wait(timeout=60)
        connection.close()
        teardown_databases(old_config, verbosity=0)


if __name__ == "__main__":
    sys.exit(main())
