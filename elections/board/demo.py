"""Demo: the founding election of the first board (第一届理事会), certified, so /board/ is full.

At the founding assembly (association.demo_meetings) the member representatives elect 15
council members from 18 candidates; at the first council meeting that afternoon the council
elects the president, three vice-presidents and the secretary-general. Every ballot goes
through the ballot box (ballot_cast), so tallies, bulletin boards and digests are real. Called
by elections.demo after the founding assembly exists. Safe to run again: an election that
exists is left as it is.
"""

import datetime
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image, ImageDraw

from association.demo_meetings import FOUNDED, MEETING_TITLE
from association.models import Meeting, RollEntry
from association.services import meeting_roll_freeze
from elections.ballot_box.models import AuditEntry, Poll
from elections.ballot_box.services import CastRefused, ballot_cast
from members.models import Member, User

from . import services
from .models import BoardSeat, Candidate, Election, Office, Term, add_years

COUNCIL_TITLE = "第一届理事会理事选举"
OFFICERS_TITLE = "第一届理事会会长、副会长、秘书长选举"
COUNCIL_MEETING_TITLE = "许昌市社会工作行业协会第一届理事会第一次会议"
COUNCIL_SEATS = 15
COUNCIL_CANDIDATES = 18

STATEMENTS = [
    "扎根基层社工站建设，愿为全市社会工作行业发展尽心尽力。",
    "长期从事社会工作教育与研究，希望推动产学研协同发展。",
    "致力于社会工作人才培养和专业督导体系建设。",
    "多年参与社区治理与社会救助服务，愿做会员的服务者。",
    "关注老年人、儿童和残疾人服务，推动专业服务标准化。",
    "积极推动行业自律和服务评估，提升社会工作机构公信力。",
]
PALETTE = [(161, 40, 28), (26, 79, 160), (30, 107, 52), (138, 83, 0), (90, 60, 130)]

# Officer candidates from the new council: two for president, four for three vice-presidents.
OFFICER_SLOTS = [
    (Office.PRESIDENT, datetime.date(1968, 4, 12)),
    (Office.PRESIDENT, datetime.date(1965, 9, 3)),
    (Office.VICE_PRESIDENT, datetime.date(1975, 2, 20)),
    (Office.VICE_PRESIDENT, datetime.date(1962, 11, 8)),
    (Office.VICE_PRESIDENT, datetime.date(1979, 6, 30)),
    (Office.VICE_PRESIDENT, datetime.date(1982, 1, 15)),
]
SECRETARY_BIRTH_DATES = [datetime.date(1984, 8, 21), datetime.date(1980, 3, 9)]


def _at(hour, minute=0, day=FOUNDED):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _portrait(index):
    """A plain placeholder portrait: a head and shoulders on a coloured ground, no likeness."""
    colour = PALETTE[index % len(PALETTE)]
    image = Image.new("RGB", (480, 480), colour)
    draw = ImageDraw.Draw(image)
    light = tuple(min(255, c + 150) for c in colour)
    draw.ellipse((170, 90, 310, 250), fill=light)
    draw.ellipse((90, 280, 390, 560), fill=light)
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return SimpleUploadedFile(f"candidate-{index}.jpg", out.getvalue(), content_type="image/jpeg")


def _person_of(member, on):
    """The unit's representative on the day `on` (the person who stood), or the member."""
    if not member.is_unit:
        return member.name
    moment = _at(12, day=on)
    representative = (
        member.representatives.filter(since__lte=moment)
        .exclude(until__lt=moment)
        .select_related("user")
        .order_by("-since")
        .first()
    )
    if representative is not None and representative.user.full_name:
        return representative.user.full_name
    return member.contact_name or member.name


def _date_everything(election, opened, closed):
    """Move the demo's timestamps back to the founding day, where the story happens."""
    polls = Poll.objects.filter(board_round__election=election)
    polls.update(opened_at=opened, closed_at=closed, published_at=closed)
    Election.objects.filter(pk=election.pk).update(
        created_at=opened - datetime.timedelta(days=10),
        certified_at=closed + datetime.timedelta(minutes=5),
    )
    Candidate.objects.filter(position__election=election).update(
        nominated_at=opened - datetime.timedelta(days=7)
    )
    moments = {
        AuditEntry.Action.ELECTION_CREATED: opened - datetime.timedelta(days=10),
        AuditEntry.Action.CANDIDATE_NOMINATED: opened - datetime.timedelta(days=7),
        AuditEntry.Action.ELECTION_OPENED: opened,
        AuditEntry.Action.POLL_OPENED: opened,
        AuditEntry.Action.POLL_CLOSED: closed,
        AuditEntry.Action.RESULTS_PUBLISHED: closed,
        AuditEntry.Action.RESULTS_CERTIFIED: closed + datetime.timedelta(minutes=5),
    }
    for action, moment in moments.items():
        AuditEntry.objects.filter(election=election, action=action).update(at=moment)
        AuditEntry.objects.filter(poll__in=polls, action=action).update(at=moment)


def _vote_all(board_round, plan):
    """Every present voter casts the ballot `plan(index, specs)` returns; lapsed ones cannot."""
    present = list(
        RollEntry.objects.filter(meeting=board_round.poll.meeting, present_at__isnull=False)
        .select_related("user")
        .order_by("pk")
    )
    specs = board_round.specs()
    cast = 0
    for index, entry in enumerate(present):
        try:
            ballot_cast(poll=board_round.poll, actor=entry.user, choices=plan(index, specs))
            cast += 1
        except CastRefused:
            continue  # not in good standing any more: today's standing is checked at casting
    return cast


def _council_plan(index, specs):
    """Approve the first 15 candidates mostly; a few ballots prefer one of the last three."""
    (spec,) = specs
    marks = {}
    favoured = COUNCIL_SEATS + (index // 5) % 3 if index % 5 == 0 else None
    dropped = index % COUNCIL_SEATS if favoured is not None else None
    for number, candidate in enumerate(spec.candidates):
        if number < COUNCIL_SEATS:
            if number == dropped:
                marks[candidate] = "abstain"
            elif (index + number) % 11 == 0:
                marks[candidate] = "no"
            elif (index * 3 + number) % 13 == 0:
                marks[candidate] = "abstain"
            else:
                marks[candidate] = "yes"
        elif number == favoured:
            marks[candidate] = "yes"
        elif index % 4 == 1:
            marks[candidate] = "no"
    if index == 7:
        return {"positions": {}}  # one voter hands in a blank ballot: it counts as cast
    return {"positions": {spec.key: marks}}


def _officers_plan(index, specs):
    """President: the first candidate; vice-presidents: the first three; secretary-general:
    the first; with some votes for the others and a few abstentions."""
    choices = {}
    for spec in specs:
        marks = {}
        for number, candidate in enumerate(spec.candidates):
            if number < spec.seats:
                marks[candidate] = "abstain" if (index + number) % 6 == 5 else "yes"
            elif index % 4 == 0:
                marks[candidate] = "yes" if spec.seats == 1 else "abstain"
                if spec.seats == 1:
                    marks[spec.candidates[0]] = "no"
            else:
                marks[candidate] = "no"
        choices[spec.key] = marks
    return {"positions": choices}


def _term():
    term, _created = Term.objects.get_or_create(
        number=1,
        defaults={
            "starts_on": FOUNDED,
            "ends_on": add_years(FOUNDED, 5) - datetime.timedelta(days=1),
        },
    )
    return term


def _run(election, plan, secretary, opened, closed):
    board_round = services.election_open(election=election, actor=secretary, notify=False)
    ballots = _vote_all(board_round, plan)
    services.round_close(board_round=board_round, actor=secretary)
    services.election_certify(
        election=election, actor=secretary, notify=False, on=timezone.localdate(closed)
    )
    _date_everything(election, opened, closed)
    election.refresh_from_db()
    return ballots


def _new_election(meeting, title, *, term, secretary, seats, min_surplus):
    """The demo's election of that title at the meeting, created unless it exists: (election,
    whether it is new)."""
    election = Election.objects.filter(meeting=meeting, title=title).first()
    if election is not None:
        return election, False
    election = services.election_create(
        meeting=meeting,
        term=term,
        title=title,
        mode=Election.Mode.APPROVE,
        seats=seats,
        actor=secretary,
        min_surplus=min_surplus,
    )
    return election, True


def _council_election(assembly, term, secretary):
    seats = {Office.COUNCIL_MEMBER: COUNCIL_SEATS}
    surplus = COUNCIL_CANDIDATES - COUNCIL_SEATS
    election, new = _new_election(
        assembly, COUNCIL_TITLE, term=term, secretary=secretary, seats=seats, min_surplus=surplus
    )
    if not new:
        return election, 0
    position = election.positions.get()
    on_roll = assembly.roll.values("member_id")
    units = list(Member.objects.units().filter(pk__in=on_roll).order_by("number", "pk"))
    individuals = list(Member.objects.individuals().filter(pk__in=on_roll).order_by("number"))
    for index, member in enumerate((units + individuals)[:COUNCIL_CANDIDATES]):
        services.candidate_nominate(
            position=position,
            member=member,
            person_name=_person_of(member, FOUNDED),
            statement=STATEMENTS[index % len(STATEMENTS)],
            photo=_portrait(index),
            actor=secretary,
        )
    ballots = _run(election, _council_plan, secretary, _at(11, 30), _at(12, 0))
    return election, ballots


def _council_meeting(secretary):
    meeting, _created = Meeting.objects.get_or_create(
        title=COUNCIL_MEETING_TITLE,
        defaults={
            "body": Meeting.Body.COUNCIL,
            "starts_at": _at(14),
            "place": "许昌市魏都区示范路1号 协会会议中心",
            "mode": Meeting.Mode.IN_PERSON,
        },
    )
    if not meeting.roll_frozen:
        # The roll comes from the council just certified (CouncilMembership rows).
        meeting_roll_freeze(meeting=meeting, actor=secretary)
        meeting.roll_frozen_at = _at(13, 30)
        meeting.check_in_open = False
        meeting.save(update_fields=["roll_frozen_at", "check_in_open"])
        entries = list(meeting.roll.order_by("pk"))
        for index, entry in enumerate(entries):
            entry.present_at = _at(13, 40 + index % 15)
            entry.checked_in_by = secretary
        meeting.roll.bulk_update(entries, ["present_at", "checked_in_by"])
        AuditEntry.objects.filter(meeting=meeting, action=AuditEntry.Action.ROLL_FROZEN).update(
            at=meeting.roll_frozen_at
        )
    return meeting


def _officers_election(meeting, term, secretary):
    seats = {Office.PRESIDENT: 1, Office.VICE_PRESIDENT: 3, Office.SECRETARY_GENERAL: 1}
    election, new = _new_election(
        meeting, OFFICERS_TITLE, term=term, secretary=secretary, seats=seats, min_surplus=1
    )
    if not new:
        return election, 0
    positions = {p.office: p for p in election.positions.all()}
    council = meeting.roll.values("member_id")
    units = list(Member.objects.units().filter(pk__in=council).order_by("number", "pk"))
    for index, (member, (office, born)) in enumerate(zip(units, OFFICER_SLOTS, strict=False)):
        services.candidate_nominate(
            position=positions[office],
            member=member,
            person_name=_person_of(member, FOUNDED),
            statement=STATEMENTS[index % len(STATEMENTS)],
            photo=_portrait(index + 3),
            birth_date=born,
            actor=secretary,
        )
    # The secretary-general works full-time for the association: two individual members.
    secretaries = (
        Member.objects.individuals()
        .filter(status=Member.Status.ACTIVE, member_since__lte=FOUNDED)
        .order_by("number")[:2]
    )
    for number, (member, born) in enumerate(zip(secretaries, SECRETARY_BIRTH_DATES, strict=False)):
        services.candidate_nominate(
            position=positions[Office.SECRETARY_GENERAL],
            member=member,
            statement="愿专职从事协会秘书处工作，做好会员服务和日常管理。",
            photo=_portrait(number + 9),
            birth_date=born,
            full_time=True,
            actor=secretary,
        )
    ballots = _run(election, _officers_plan, secretary, _at(14, 30), _at(15, 0))
    return election, ballots


def seed(*, log):
    secretary = User.objects.filter(email="mishu@example.org").first()
    assembly = Meeting.objects.filter(title=MEETING_TITLE).first()
    if assembly is None or not assembly.roll_frozen:
        log("elections: no founding assembly, so no founding election")
        return
    term = _term()
    council, council_ballots = _council_election(assembly, term, secretary)
    if council.state != Election.State.CERTIFIED:
        log("elections: the founding council election is not certified; no officers elected")
        return
    meeting = _council_meeting(secretary)
    officers, officer_ballots = _officers_election(meeting, term, secretary)
    seats = BoardSeat.objects.filter(term=term).count()
    log(
        f"elections: board of term {term.number} with {seats} seats "
        f"({council_ballots} + {officer_ballots} new ballots)"
    )
