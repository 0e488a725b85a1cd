"""Voting pages (choose → confirm → cast → receipt), the bulletin board and the results."""

import json

from django.contrib import messages
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.http import Http404, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.html import format_html_join, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import pgettext
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.params import query_page
from members.roles import (
    is_on_roll,
    is_participant,
    is_secretariat,
    member_required,
    participant_required,
)

from . import services
from .kinds import with_ballot_subjects, with_subjects
from .models import Poll, canonical_ballot_chunks
from .services import RECEIPT_FORMAT, AlreadyVoted, ballot_cast, voter_check

BULLETIN_PAGE_SIZE = 100


def _get_poll(pk, *, joined=with_subjects):
    """The poll with its meeting and, by default, its subject as the pages show it
    (with_subjects); pages about marked ballots need less (with_ballot_subjects)."""
    return get_object_or_404(joined(Poll.objects.select_related("meeting")), pk=pk)


def _vote_page(request, poll, *, refusal, voter_pass="", form=None, status=200):
    """The ballot page; `refusal` is the request's one voter check (see voter_check) and
    `voter_pass` its signed note for the confirmation."""
    kind = poll.kind_handler()
    if form is None and refusal is None:
        form = kind.form(poll)
    context = {
        "poll": poll,
        "kind": kind,
        "voter_pass": voter_pass,
        "form": form if refusal is None else None,
        "refusal": refusal[1] if refusal else None,
        "refusal_code": refusal[0] if refusal else None,
        **kind.subject_context(poll),
    }
    return render(request, "elections/ballot_box/poll_vote.html", context, status=status)


@require_safe
def list_polls(request):
    """Open polls the visitor may vote in (not those past their closing time, which take no
    more ballots), and every poll with published results."""
    open_polls = []
    if is_participant(request.user):
        open_polls = (
            Poll.objects.filter(state=Poll.State.OPEN, meeting__roll__user=request.user)
            .exclude(closes_at__lte=timezone.now())
            .select_related("meeting")
            .order_by("pk")
        )
    published = Poll.objects.public().select_related("meeting").order_by("-published_at", "-pk")
    page = query_page(request, published, 20)
    return render(
        request, "elections/ballot_box/poll_list.html", {"open_polls": open_polls, "page": page}
    )


@participant_required
@require_safe
def show_poll(request, pk):
    """The ballot, on a phone: large options, then a confirmation step. No JavaScript needed."""
    poll = _get_poll(pk)
    refusal, voter_id = voter_check(poll=poll, user=request.user)
    token = ""
    if refusal is None:
        token = services.voter_pass(poll=poll, user=request.user, voter_id=voter_id)
    return _vote_page(request, poll, refusal=refusal, voter_pass=token)


@participant_required
@require_POST
def confirm_ballot(request, pk):
    """Show the marked ballot back to the voter; nothing is stored yet.

    The voting page's check and the poll as that page read it come along in its signed pass
    (services.voter_pass, poll_in_pass); the check is made again, and the poll read, only
    when the pass is missing or stale. The ballot is validated here; all of it travels to
    the cast in the pass this page signs, so that the cast repeats none of it.
    """
    # With the voting page's fresh pass, the poll as that page read it (no poll row read).
    poll, checked = services.poll_in_pass(request.POST.get("pass"), poll_id=pk, user=request.user)
    if poll is None:
        poll = _get_poll(pk, joined=with_ballot_subjects)
        checked = services.read_voter_pass(request.POST.get("pass"), poll=poll, user=request.user)
    if checked and checked["fresh"] and poll.refusal_by_time() is None:
        voter_id, checked_at = checked["m"], checked["t"]
    else:
        refusal, voter_id = voter_check(poll=poll, user=request.user)
        if refusal:
            messages.error(request, refusal[1])
            return redirect("elections:poll", pk=poll.pk)
        checked_at = None
    token = services.voter_pass(
        poll=poll, user=request.user, voter_id=voter_id, checked_at=checked_at
    )
    kind = poll.kind_handler()
    form = kind.form(poll, request.POST)
    if not form.is_valid():
        return _vote_page(request, poll, refusal=None, voter_pass=token, form=form)
    try:
        choices = kind.clean_choices(poll, kind.choices_from_form(poll, form))
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("elections:poll", pk=poll.pk)
    return render(
        request,
        "elections/ballot_box/poll_confirm.html",
        {
            "poll": poll,
            "described": kind.describe(poll, choices),
            "choices_json": json.dumps(choices, sort_keys=True),
            "ticket": services.voter_pass(
                poll=poll,
                user=request.user,
                voter_id=voter_id,
                choices=choices,
                checked_at=checked_at,
            ),
        },
    )


@participant_required
@require_POST
def cast_ballot(request, pk):
    """Put the confirmed ballot in the box and show the receipt code.

    Unlike every other POST this one renders its page instead of redirecting: the receipt code
    must appear once, to the voter, and never be stored on the server (not in the session, not
    in a URL that would reach access logs and browser history) next to who they are. Reloading
    re-submits the form and gets "already voted", which changes nothing. Where script runs,
    the browser made the code and stored it before sending it, so a response lost after the
    commit loses no receipt: the "already voted" page shows the one the browser holds.
    """
    ticket = request.POST.get("ticket")
    # With the confirmation's fresh ticket, the poll as that page read it (no poll row read).
    poll, _checked = services.poll_in_pass(ticket, poll_id=pk, user=request.user)
    if poll is None:
        poll = _get_poll(pk, joined=with_ballot_subjects)
    choices = None
    if not ticket:
        # Without the confirmation's ticket (a client of its own): checked in full here.
        try:
            choices = json.loads(request.POST.get("choices", ""))
        except ValueError:
            messages.error(request, _("The ballot could not be read. Please mark it again."))
            return redirect("elections:poll", pk=poll.pk)
    try:
        # Where script runs, the browser made the receipt code and keeps it (receipts.js).
        held = request.POST.get("receipt", "").strip()
        receipt = ballot_cast(
            poll=poll, actor=request.user, choices=choices, ticket=ticket, receipt=held or None
        )
    except AlreadyVoted as refusal:
        messages.info(request, " ".join(refusal.messages))
        return redirect("elections:poll", pk=poll.pk)
    except ValidationError as refusal:
        messages.error(request, " ".join(refusal.messages))
        return redirect("elections:poll", pk=poll.pk)
    response = render(
        request, "elections/ballot_box/poll_receipt.html", {"poll": poll, "receipt": receipt}
    )
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response


def _bulletin_access(request, poll):
    """Online polls have a bulletin board: public once published; after closing, voters on
    the roll and the secretariat may check their receipts before publication. Returns a
    response to send instead, or None."""
    if not poll.is_online:
        raise Http404
    if poll.state == Poll.State.PUBLISHED:
        return None
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    user = request.user
    if poll.state == Poll.State.CLOSED and (is_secretariat(user) or is_on_roll(user, poll.meeting)):
        return None
    raise Http404


def _choices_cell(described):
    """A ballot's choices for its cell on the board: the answer alone for one question, else
    "question: answer" lines. Made here, not in the template: a page has 100 of them."""
    if len(described) == 1:
        return described[0][1]
    lines = (
        pgettext("a question and its answer", "%(question)s: %(answer)s")
        % {"question": question, "answer": answer}
        for question, answer in described
    )
    return format_html_join(mark_safe("<br>"), "{}", ((line,) for line in lines))  # noqa: S308


@require_http_methods(["GET", "HEAD", "POST"])
def show_bulletin(request, pk):
    """Every receipt code with its choices, 100 a page, and the SHA-256 digest of the whole
    set as sealed at the close (stored: the file board.txt reproduces it).

    A receipt is looked up by POST, never in a query string: a receipt in a URL would reach
    access logs next to the client's address and stay in the browser's history.
    """
    poll = _get_poll(pk, joined=with_ballot_subjects)
    denied = _bulletin_access(request, poll)
    if denied:
        return denied
    describe = poll.kind_handler().describer(poll)
    wanted, found = "", []
    if request.method == "POST":
        wanted = request.POST.get("receipt", "").strip().upper()[:20]
        # Only a well-formed code is looked up (a NUL or other junk never reaches SQL);
        # every ballot with it, as a code made in a browser may be repeated.
        if RECEIPT_FORMAT.fullmatch(wanted):
            found = list(poll.ballots.filter(receipt=wanted))
            for ballot in found:
                ballot.described = describe(ballot.choices)
    ballots = poll.ballots.order_by("receipt")
    # The number sealed with the digest at the close (None for polls closed before it was
    # stored: counted then).
    page = query_page(request, ballots, BULLETIN_PAGE_SIZE, count=poll.ballot_count)
    for ballot in page.object_list:
        ballot.choices_cell = _choices_cell(describe(ballot.choices))
    response = render(
        request,
        "elections/ballot_box/bulletin.html",
        {"poll": poll, "page": page, "wanted": wanted, "found": found},
    )
    if request.method == "POST":
        add_never_cache_headers(response)
        response["Cache-Control"] += ", no-store"
    return response


@require_safe
def download_bulletin(request, pk):
    """The canonical ballot set whose SHA-256 the bulletin board shows (`sha256sum` agrees),
    streamed from the database in chunks: it never sits whole in memory."""
    poll = _get_poll(pk, joined=with_ballot_subjects)
    denied = _bulletin_access(request, poll)
    if denied:
        return denied
    response = StreamingHttpResponse(
        canonical_ballot_chunks(poll), content_type="text/plain; charset=utf-8"
    )
    response["Content-Disposition"] = f'inline; filename="poll-{poll.pk}-ballots.txt"'
    return response


@require_safe
def show_results(request, pk):
    """Public once published; the secretariat previews them after closing."""
    poll = _get_poll(pk)
    if poll.state != Poll.State.PUBLISHED:
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        if not (poll.state == Poll.State.CLOSED and is_secretariat(request.user)):
            raise Http404
    kind = poll.kind_handler()
    return render(
        request,
        "elections/ballot_box/poll_results.html",
        {"poll": poll, "kind": kind, "totals": poll.totals(), **kind.results_context(poll)},
    )


@member_required
@require_safe
def list_my_votes(request):
    """The polls this member took part in, and the receipt codes this device keeps."""
    return render(request, "elections/ballot_box/my_votes.html")
