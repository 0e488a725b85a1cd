"""Pages of board elections: the public board, elections, tallies, minutes, and the
secretariat's pages to create, nominate, open, run off and certify."""

import tempfile

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.exceptions import ValidationError
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.cache import add_never_cache_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from association.jobs import export_job_start
from common.actions import add_service_errors, run_action
from common.files import serve_file
from common.params import query_page
from elections.ballot_box.models import AuditEntry, Poll
from members.roles import is_secretariat, secretariat_required

from . import services
from .exports import XLSX, needs_export_job, results_filename, results_workbook
from .forms import ElectionForm, NominationForm
from .models import BoardSeat, Candidate, Election, Office, Term, office_rank
from .results import election_outcome
from .sheets import write_results_workbook


def _get_election(pk):
    return get_object_or_404(Election.objects.select_related("meeting", "term"), pk=pk)


def _election_for(request, pk):
    """An election the visitor may see: any but drafts, which only the secretariat sees."""
    election = _get_election(pk)
    if election.is_draft and not is_secretariat(request.user):
        if not request.user.is_authenticated:
            raise _LoginNeeded
        raise Http404
    return election


def _results_for(request, pk):
    """Results are public once certified; the secretariat previews them after a round closes."""
    election = _get_election(pk)
    if election.results_visible_to(request.user):
        return election
    if not request.user.is_authenticated:
        raise _LoginNeeded
    raise Http404


class _LoginNeeded(Exception):
    pass


def _login_or(view):
    """Turn _LoginNeeded into the login redirect, so access helpers stay one-liners."""

    def wrapped(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except _LoginNeeded:
            return redirect_to_login(request.get_full_path())

    wrapped.__name__ = view.__name__
    wrapped.__doc__ = view.__doc__
    return wrapped


# Public pages ------------------------------------------------------------------------------------


def _grouped(seats):
    """[(office label, [seat, ...])] in board order: 会长, 副会长, 秘书长, 理事."""
    groups = {}
    for seat in seats:
        groups.setdefault(seat.office, []).append(seat)
    return [(Office(office).label, groups[office]) for office in sorted(groups, key=office_rank)]


@require_safe
def show_board(request):
    """The board of the current term with photos, and the boards of past terms."""
    seats = Prefetch(
        "seats",
        queryset=BoardSeat.objects.select_related("candidate__member").order_by(
            "order", "candidate__number", "pk"
        ),
    )
    terms = list(Term.objects.filter(seats__isnull=False).distinct().prefetch_related(seats))
    current = Term.objects.current()
    current_term = next((t for t in terms if current and t.pk == current.pk), None)
    past = [t for t in terms if t is not current_term]
    elections = (
        Election.objects.filter(state=Election.State.CERTIFIED)
        .select_related("meeting", "term")
        .order_by("-meeting__starts_at", "-pk")
    )
    return render(
        request,
        "elections/board/board.html",
        {
            "term": current_term,
            "groups": _grouped(current_term.seats.all()) if current_term else [],
            "past_terms": [(term, _grouped(term.seats.all())) for term in past],
            "certified_elections": elections[:20],
        },
    )


@require_safe
def show_candidate_photo(request, pk, size):
    """A candidate's photo (or thumbnail): public once the ballot is public."""
    candidate = get_object_or_404(Candidate.objects.select_related("position__election"), pk=pk)
    public = not candidate.position.election.is_draft
    if not public and not is_secretariat(request.user):
        raise Http404
    if size not in ("photo", "thumb"):
        raise Http404
    return serve_file(candidate.thumbnail if size == "thumb" else candidate.photo, public=public)


def _positions_with_candidates(election):
    return election.positions.order_by("order", "pk").prefetch_related(
        Prefetch("candidates", queryset=Candidate.objects.select_related("member"))
    )


@_login_or
@require_safe
def show_election(request, pk):
    """The election: positions, candidates with statements and photos, and where to vote."""
    election = _election_for(request, pk)
    current_round = election.rounds.select_related("poll").order_by("-number").first()
    return render(
        request,
        "elections/board/election_detail.html",
        {
            "election": election,
            "positions": _positions_with_candidates(election),
            "current_round": current_round,
        },
    )


@_login_or
@require_safe
def show_election_results(request, pk):
    """The tally per round, position and candidate, with the arithmetic."""
    election = _results_for(request, pk)
    outcome = election_outcome(election)
    return render(
        request,
        "elections/board/results.html",
        {
            "election": election,
            "outcome": outcome,
            "can_manage": is_secretariat(request.user),
            "needs_export_job": needs_export_job(outcome),
        },
    )


@_login_or
@require_safe
def show_election_minutes(request, pk):
    """The printable minutes of the count (计票结果), with each ballot set's digest."""
    election = _results_for(request, pk)
    return render(
        request,
        "elections/board/minutes.html",
        {"election": election, "outcome": election_outcome(election)},
    )


@_login_or
@require_safe
def export_results(request, pk):
    """The results workbook, written inside the request unless it is too long (exports)."""
    election = _results_for(request, pk)
    outcome = election_outcome(election)
    if needs_export_job(outcome):
        messages.info(
            request, _("This workbook is large: prepare it in the background with the button.")
        )
        return redirect("elections:election-results", pk=election.pk)
    # A temporary file keeps memory flat however long the workbook is.
    output = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when sent
    # The workbook is for the association's records and the registration authority: Chinese.
    with translation.override("zh-hans"):
        write_results_workbook(
            output,
            election=election,
            outcome=outcome,
            generated_by=request.user if request.user.is_authenticated else None,
        )
    output.seek(0)
    return FileResponse(
        output,
        as_attachment=True,
        filename=results_filename(election=election.pk),
        content_type=XLSX,
    )


@login_required
@require_POST
def start_results_export(request, pk):
    """Have the worker write the results workbook; go to the job's page."""
    election = _results_for(request, pk)
    job = export_job_start(export=results_workbook, actor=request.user, election=election.pk)
    return redirect("association:export-job", pk=job.pk)


# The secretariat's pages ------------------------------------------------------------------------


@secretariat_required
@require_safe
def manage_elections(request):
    elections = (
        Election.objects.select_related("meeting", "term")
        .annotate(candidate_count=Count("positions__candidates"))
        .order_by("-meeting__starts_at", "-pk")
    )
    page = query_page(request, elections, 25)
    return render(request, "elections/board/election_list.html", {"page": page})


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def create_election(request):
    form = ElectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            election = services.election_create(
                meeting=data["meeting"],
                term=data.get("term"),
                new_term=data.get("new_term"),
                title=data["title"],
                mode=data["mode"],
                seats=data["seats"],
                actor=request.user,
                min_surplus=data["min_surplus"],
                max_consecutive_terms=data["max_consecutive_terms"],
                age_limit=data["age_limit"],
                president_secretary_distinct=data["president_secretary_distinct"],
                secretary_general_full_time=data["secretary_general_full_time"],
            )
        except ValidationError as error:
            for message in error.messages:
                form.add_error(None, message)
        else:
            messages.success(request, _("The election is created. Nominate the candidates."))
            return redirect("elections:manage-election", pk=election.pk)
    return render(request, "elections/board/election_form.html", {"form": form})


@secretariat_required
@require_safe
def manage_election(request, pk):
    election = _get_election(pk)
    positions = _positions_with_candidates(election)
    outcome = election_outcome(election) if not election.is_draft else None
    current_round = election.rounds.select_related("poll").order_by("-number").first()
    turnout = None
    if current_round is not None:
        turnout = current_round.poll.participations.count()
    return render(
        request,
        "elections/board/election_manage.html",
        {
            "election": election,
            "positions": positions,
            "refusals": services.election_open_refusals(election) if election.is_draft else [],
            "outcome": outcome,
            "current_round": current_round,
            "turnout": turnout,
            "entries": AuditEntry.objects.filter(
                Q(election=election) | Q(poll__board_round__election=election)
            )
            .select_related("actor", "poll")
            .order_by("-at", "-pk")[:30],
        },
    )


@secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def nominate_candidate(request, pk):
    election = _get_election(pk)
    if not election.is_draft:
        messages.error(request, _("Candidates can be nominated only before voting opens."))
        return redirect("elections:manage-election", pk=election.pk)
    form = NominationForm(request.POST or None, request.FILES or None, election=election)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            candidate = services.candidate_nominate(
                position=data["position"],
                member=data["member"],
                person_name=data["person_name"],
                statement=data["statement"],
                photo=data["photo"],
                birth_date=data["birth_date"],
                full_time=data["full_time"],
                actor=request.user,
            )
        except ValidationError as error:
            add_service_errors(form, error)
        else:
            messages.success(
                request,
                _("%(candidate)s is nominated for %(position)s.")
                % {"candidate": candidate, "position": candidate.position},
            )
            return redirect("elections:election-nominate", pk=election.pk)
    return render(
        request,
        "elections/board/nominate.html",
        {"election": election, "form": form, "positions": _positions_with_candidates(election)},
    )


def _manage_page(election):
    return reverse("elections:manage-election", args=[election.pk])


def _act_on_election(request, pk, service, *, success):
    """Run an election service (election, actor, base_url for e-mails) from a POST and go
    back to the election's page."""
    election = _get_election(pk)
    base_url = request.build_absolute_uri("/")
    return run_action(
        request,
        lambda: service(election=election, actor=request.user, base_url=base_url),
        success=success,
        redirect_to=_manage_page(election),
    )


@secretariat_required
@require_POST
def withdraw_candidate(request, pk, candidate_pk):
    election = _get_election(pk)
    candidate = get_object_or_404(
        Candidate.objects.select_related("position__election", "member"),
        pk=candidate_pk,
        position__election=election,
    )
    return run_action(
        request,
        lambda: services.candidate_withdraw(candidate=candidate, actor=request.user),
        success=_("%(candidate)s is no longer a candidate.") % {"candidate": candidate},
        redirect_to=_manage_page(election),
    )


def _scrutineers_chosen(request):
    """(k, n) when the opening form chose scrutineer keys, None for the server's key;
    ValidationError for numbers that are not whole."""
    if request.POST.get("key_holder") != "scrutineers":
        return None
    try:
        return int(request.POST.get("quorum", "")), int(request.POST.get("count", ""))
    except ValueError:
        raise ValidationError(
            _("Enter how many scrutineers there are and how many of them open the ballots.")
        ) from None


def _open_round(request, election, service, *, success):
    """Run election_open or runoff_start. With scrutineer keys, the answer is the page of
    their codes, shown this once and never stored (not even in the session); otherwise
    back to the election's page."""
    try:
        scrutineers = _scrutineers_chosen(request) if election.is_draft else None
        kwargs = {"scrutineers": scrutineers} if scrutineers else {}
        board_round = service(
            election=election,
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
            **kwargs,
        )
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect(_manage_page(election))
    if not board_round.scrutineer_codes:
        messages.success(request, success)
        return redirect(_manage_page(election))
    response = render(
        request,
        "elections/ballot_box/scrutineer_codes.html",
        {
            "poll": board_round.poll,
            "codes": board_round.scrutineer_codes,
            "back": _manage_page(election),
        },
    )
    add_never_cache_headers(response)
    response["Cache-Control"] += ", no-store"
    return response


@secretariat_required
@require_POST
def open_election(request, pk):
    return _open_round(
        request, _get_election(pk), services.election_open, success=_("Voting is open.")
    )


@secretariat_required
@require_POST
def close_round(request, pk):
    election = _get_election(pk)
    board_round = (
        election.rounds.select_related("poll", "election")
        .filter(poll__state=Poll.State.OPEN)
        .order_by("-number")
        .first()
    )
    if board_round is None:
        messages.error(request, _("No round of this election is open."))
        return redirect("elections:manage-election", pk=election.pk)
    codes = request.POST.getlist("code")
    return run_action(
        request,
        lambda: services.round_close(
            board_round=board_round, actor=request.user, scrutineer_codes=codes
        ),
        success=_("Voting is closed and the ballots are counted."),
        redirect_to=_manage_page(election),
    )


@secretariat_required
@require_POST
def start_runoff(request, pk):
    return _open_round(
        request,
        _get_election(pk),
        services.runoff_start,
        success=_("The run-off is open for voting."),
    )


@secretariat_required
@require_POST
def certify_election(request, pk):
    return _act_on_election(
        request,
        pk,
        services.election_certify,
        success=_("The results are certified and the board is seated."),
    )
