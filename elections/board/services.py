"""The writes of board elections: create, nominate, open, run-off, certify.

Every state change runs in one transaction, checks the rules with full_clean() and the
eligibility module, and leaves an entry in the ballot box's audit log. Voting itself goes
through the ballot box (ballot_box.services.ballot_cast), which keeps ballots secret.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from association.models import CouncilMembership
from common.uploads import clean_image, thumbnail
from common.wording import clauses, enumeration, label_value
from elections.audit import audit_record
from elections.ballot_box.models import AuditEntry, Poll
from elections.ballot_box.services import poll_close, poll_open, poll_publish
from members.models import Member

from . import eligibility
from .models import (
    BoardSeat,
    Candidate,
    Election,
    Office,
    Position,
    Round,
    RoundPosition,
)
from .results import election_outcome


def _lock(election):
    return (
        Election.objects.select_for_update().select_related("meeting", "term").get(pk=election.pk)
    )


def election_create(*, meeting, title, mode, seats, actor, term=None, new_term=None, **settings):
    """Create an election with one position per office in `seats` ({office: seats > 0}).

    The term is an existing Term, or `new_term`, an unsaved Term created here.
    """
    with transaction.atomic():
        if term is None:
            if new_term is None:
                raise ValidationError(_("Choose the term the election is for."))
            new_term.full_clean()
            new_term.save()
            term = new_term
        election = Election(meeting=meeting, term=term, title=title, mode=mode, **settings)
        election.full_clean()
        election.save()
        positions = [(office, count) for office, count in seats.items() if count]
        if not positions:
            raise ValidationError(_("Give at least one position a number of seats."))
        for office, count in positions:
            position = Position(election=election, office=office, seats=count)
            position.full_clean()
            position.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ELECTION_CREATED,
            election=election,
            detail=enumeration(f"{Office(o).label} × {n}" for o, n in positions),
        )
    return election


def _nominee(candidate, *, term_number):
    """The eligibility facts of a candidate (saved or not), from the boards of past terms."""
    held = BoardSeat.objects.filter(
        office=candidate.position.office,
        candidate__member_id=candidate.member_id,
        term__number__lt=term_number,
    ).values_list("term__number", "candidate__person_name")
    if candidate.member.is_unit:
        # A unit's seat is held by a person: the term limit follows the person, not the unit.
        held = [number for number, name in held if name.strip() == candidate.person_name.strip()]
    else:
        held = [number for number, _name in held]
    return eligibility.Nominee(
        person=candidate.person_key,
        name=candidate.person_name,
        office=candidate.position.office,
        unit=candidate.unit_key,
        birth_date=candidate.birth_date,
        full_time=candidate.full_time,
        consecutive_terms=eligibility.consecutive_terms(held, term_number),
    )


def candidate_refusals(candidate, *, others=None):
    """Every eligibility rule the candidate breaks in its election, as messages."""
    election = candidate.position.election
    if others is None:
        others = (
            Candidate.objects.filter(position__election=election)
            .exclude(pk=candidate.pk)
            .select_related("member", "position")
        )
    term_number = election.term.number
    return eligibility.nominee_refusals(
        _nominee(candidate, term_number=term_number),
        rules=election.rules(),
        election_date=election.election_date,
        others=[_nominee(other, term_number=term_number) for other in others],
    )


def candidate_check(*, candidate):
    """Raise ValidationError unless `candidate` (saved or not) may stand as it is.

    The election must still be nominating; the member active; a unit names its person; one
    person stands for one position per election; and every eligibility rule holds. Used by the
    nomination page (through candidate_nominate) and by the admin's candidate form.
    """
    election = candidate.position.election
    member = candidate.member
    if not election.is_draft:
        raise ValidationError(
            _("Candidates can be nominated only before voting opens."), code="not_draft"
        )
    if member.status != Member.Status.ACTIVE:
        raise ValidationError(
            {"member": _("Only active members can stand for election.")}, code="inactive"
        )
    if not member.is_unit:
        candidate.person_name = member.name
    candidate.person_name = (candidate.person_name or "").strip()
    if not candidate.person_name:
        raise ValidationError(
            {"person_name": _("Name the person who will sit on the board for the unit.")}
        )
    others = Candidate.objects.filter(position__election=election).exclude(pk=candidate.pk)
    if others.filter(position_id=candidate.position_id, member=member).exists():
        raise ValidationError(
            {"member": _("This member already stands for this position.")}, code="unique"
        )
    if others.filter(member=member, person_name=candidate.person_name).exists():
        raise ValidationError(
            {"member": _("This person already stands for another position in this election.")}
        )
    refusals = candidate_refusals(candidate)
    if refusals:
        raise ValidationError(refusals, code="ineligible")


def candidate_photo_set(*, candidate, photo):
    """Validate and re-encode an uploaded photo, with its thumbnail, onto `candidate`."""
    try:
        cleaned = clean_image(photo, max_side=1200)
    except ValidationError as error:
        raise ValidationError({"photo": error.messages}) from None
    candidate.photo = cleaned
    candidate.thumbnail = thumbnail(cleaned, side=320)


def candidate_save(*, candidate, actor):
    """Save and log a candidate that candidate_check() has passed: a new one gets the next
    ballot number of its position; a saved one is an edit made in the back office."""
    with transaction.atomic():
        new = candidate.pk is None
        if new:
            last = Candidate.objects.filter(position=candidate.position).aggregate(
                last=Max("number")
            )
            candidate.number = (last["last"] or 0) + 1
            candidate.nominated_by = actor
        candidate.full_clean()
        candidate.save()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CANDIDATE_NOMINATED,
            election=candidate.position.election,
            detail=f"{candidate.position.label} · {candidate}"
            if new
            else _("edited in the back office: %(candidate)s") % {"candidate": candidate},
        )


def candidate_nominate(
    *,
    position,
    member,
    person_name="",
    statement="",
    photo=None,
    birth_date=None,
    full_time=False,
    actor,
):
    """Put a member (or a unit's person) on the ballot for a position, while nominating."""
    with transaction.atomic():
        election = _lock(position.election)
        position = Position.objects.get(pk=position.pk)
        position.election = election
        candidate = Candidate(
            position=position,
            member=member,
            person_name=person_name,
            statement=statement,
            birth_date=birth_date,
            full_time=full_time,
        )
        candidate_check(candidate=candidate)
        if photo:
            candidate_photo_set(candidate=candidate, photo=photo)
        candidate_save(candidate=candidate, actor=actor)
    return candidate


def candidate_withdraw(*, candidate, actor):
    """Take a candidate off the ballot, while nominating."""
    with transaction.atomic():
        election = _lock(candidate.position.election)
        if not election.is_draft:
            raise ValidationError(
                _("The ballot is fixed once voting opens: candidates cannot be withdrawn."),
                code="not_draft",
            )
        label = f"{candidate.position.label} · {candidate}"
        photo, thumb = candidate.photo, candidate.thumbnail
        candidate.delete()
        audit_record(
            actor=actor,
            action=AuditEntry.Action.CANDIDATE_WITHDRAWN,
            election=election,
            detail=label,
        )
        transaction.on_commit(lambda: (photo.delete(save=False), thumb.delete(save=False)))


def election_open_refusals(election):
    """Why voting may not open: the contested rule, then each candidate's eligibility."""
    positions = list(election.positions.prefetch_related("candidates__member"))
    counts = [
        eligibility.PositionCount(
            name=position.label,
            seats=position.seats,
            candidates=len(position.candidates.all()),
        )
        for position in positions
    ]
    messages = eligibility.contested_refusals(counts, rules=election.rules())
    candidates = [c for position in positions for c in position.candidates.all()]
    for position in positions:
        for candidate in position.candidates.all():
            candidate.position = position
    for candidate in candidates:
        others = [c for c in candidates if c.pk != candidate.pk]
        for message in candidate_refusals(candidate, others=others):
            if message not in messages:
                messages.append(message)
    return messages


def _new_round(*, election, number, entries, actor, base_url, notify=True, scrutineers=None):
    """A round with a fresh poll of the ballot box, opened at once (with scrutineers=(k, n),
    its key split into scrutineer codes, on the returned round's `scrutineer_codes`)."""
    subject = election.title
    if number > 1:
        subject = _("%(title)s: run-off (round %(number)s)") % {
            "title": election.title,
            "number": number,
        }
    poll = Poll(
        meeting=election.meeting,
        subject=subject[:200],
        kind=Poll.Kind.ELECTION,
        secret=True,
        method=Poll.Method.ONLINE,
        requires_presence=True,
    )
    poll.full_clean()
    poll.save()
    board_round = Round.objects.create(election=election, number=number, poll=poll)
    for position, seats, candidates in entries:
        entry = RoundPosition.objects.create(round=board_round, position=position, seats=seats)
        entry.candidates.set(candidates)
    board_round.poll = poll_open(
        poll=poll, actor=actor, base_url=base_url, notify=notify, scrutineers=scrutineers
    )
    board_round.scrutineer_codes = board_round.poll.scrutineer_codes
    return board_round


def election_open(*, election, actor, base_url="", notify=True, scrutineers=None):
    """Check the contested rule and eligibility, then open round 1 for voting.

    scrutineers=(k, n): the round's ballots are opened by k of n scrutineer codes instead of
    the server's BALLOT_KEY (see ballot_box.sealing); so are the run-offs' after it."""
    with transaction.atomic():
        election = _lock(election)
        if not election.is_draft:
            raise ValidationError(_("Voting on this election has already opened."))
        refusals = election_open_refusals(election)
        if refusals:
            raise ValidationError(refusals, code="not_ready")
        positions = election.positions.prefetch_related("candidates")
        entries = [(p, p.seats, list(p.candidates.all())) for p in positions]
        board_round = _new_round(
            election=election,
            number=1,
            entries=entries,
            actor=actor,
            base_url=base_url,
            notify=notify,
            scrutineers=scrutineers,
        )
        election.state = Election.State.VOTING
        election.save(update_fields=["state"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.ELECTION_OPENED,
            election=election,
            poll=board_round.poll,
        )
    return board_round


def round_close(*, board_round, actor, scrutineer_codes=None):
    """Close a round's poll (the ballot box opens, seals and digests its ballots; a round
    held by scrutineers needs k of their codes)."""
    with transaction.atomic():
        election = _lock(board_round.election)
        if election.is_certified:
            raise ValidationError(_("The results are certified and locked."))
        board_round.poll = poll_close(
            poll=board_round.poll, actor=actor, scrutineer_codes=scrutineer_codes
        )
    return board_round


def runoff_start(*, election, actor, base_url="", notify=True):
    """One action: a run-off poll among the candidates tied at the last seat(s), opened."""
    with transaction.atomic():
        election = _lock(election)
        if election.state != Election.State.VOTING:
            raise ValidationError(_("A run-off can be started only while the election is counted."))
        outcome = election_outcome(election)
        if outcome.in_progress:
            raise ValidationError(_("Close the current round before starting a run-off."))
        if not outcome.needs_runoff:
            raise ValidationError(_("No position has a tie at the last seat."))
        entries = [
            (p.position, p.pending_seats, p.pending) for p in outcome.positions if p.needs_runoff
        ]
        number = election.rounds.aggregate(last=Max("number"))["last"] + 1
        first = election.rounds.select_related("poll").get(number=1).poll
        board_round = _new_round(
            election=election,
            number=number,
            entries=entries,
            actor=actor,
            base_url=base_url,
            notify=notify,
            scrutineers=(
                (first.scrutineer_quorum, first.scrutineer_count)
                if first.held_by_scrutineers
                else None
            ),
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.RUNOFF_STARTED,
            election=election,
            poll=board_round.poll,
            detail=clauses(
                label_value(position.label, enumeration(tied)) for position, _seats, tied in entries
            ),
        )
    return board_round


def _officer_conflicts(election, elected):
    """The president/secretary-general rule on the results, with the term's other boards."""
    term_seats = BoardSeat.objects.filter(term=election.term).select_related(
        "candidate__member", "candidate__position"
    )
    nominees = [_nominee(seat.candidate, term_number=election.term.number) for seat in term_seats]
    nominees += [
        _nominee(candidate, term_number=election.term.number) for _position, candidate in elected
    ]
    return eligibility.officer_results_refusals(nominees, rules=election.rules())


def election_certify(*, election, actor, base_url="", notify=True, on=None):
    """Lock the results and seat the elected on the board of the election's term.

    Publishes any round whose results are not public yet, then creates one council membership
    and one board seat per elected candidate, to the term's last day. A seat starts on the
    day of certification (`on`, today by default), or on the term's first day when the
    election comes before the term: a by-election in the middle of a term seats nobody in
    the past, so a council meeting held before it does not count the new seat on its roll.
    Refused while a round is open, while a tie waits for its run-off, or when the results
    break the officer rules.
    """
    with transaction.atomic():
        election = _lock(election)
        if election.state != Election.State.VOTING:
            raise ValidationError(_("Only an election that has been voted on can be certified."))
        outcome = election_outcome(election)
        if outcome.in_progress:
            raise ValidationError(_("Close the open round before certifying the results."))
        if outcome.needs_runoff:
            raise ValidationError(
                _("A tie at the last seat must be decided by a run-off before certification.")
            )
        elected = outcome.elected()
        conflicts = _officer_conflicts(election, elected)
        if conflicts:
            raise ValidationError(conflicts, code="officer_rule")
        for board_round in election.rounds.select_related("poll"):
            if board_round.poll.state == Poll.State.CLOSED:
                poll_publish(poll=board_round.poll, actor=actor, base_url=base_url, notify=notify)
        term = election.term
        starts_on = max(term.starts_on, on or timezone.localdate())
        for position, candidate in elected:
            membership = CouncilMembership(
                member=candidate.member,
                body=CouncilMembership.Body.COUNCIL,
                office=position.office,
                starts_on=starts_on,
                ends_on=term.ends_on,
            )
            membership.full_clean()
            membership.save()
            BoardSeat.objects.create(
                term=term,
                office=position.office,
                election=election,
                candidate=candidate,
                membership=membership,
            )
        election.state = Election.State.CERTIFIED
        election.certified_at = timezone.now()
        election.certified_by = actor
        election.save(update_fields=["state", "certified_at", "certified_by"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.RESULTS_CERTIFIED,
            election=election,
            detail=clauses(
                label_value(p.position.label, enumeration(p.elected) or "—")
                for p in outcome.positions
            ),
        )
    return election
