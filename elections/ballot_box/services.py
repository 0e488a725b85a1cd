"""The ballot box's writes: opening, casting, closing, counting and publishing a poll.

Every state change is recorded in the audit log (who, when, what). Casting is not: the
Participation row is the record that a voter took part, and nothing records how.
"""

import base64
import datetime
import functools
import re
import secrets
import time

from django.core import signing
from django.core.exceptions import ValidationError
from django.db import IntegrityError, connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from association.models import Meeting, RollEntry
from association.outbox import send_on_commit
from association.services import meeting_roll_freeze
from elections.audit import audit_record
from members.models import Member

from . import counting, emails, sealing
from .models import AuditEntry, Participation, Poll, SealedBallot

RECEIPT_ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"  # 32 symbols, no 0/O or 1/I
# Three groups of four, as new_receipt() makes them and static/elections/receipts.js too.
RECEIPT_FORMAT = re.compile("-".join([f"[{RECEIPT_ALPHABET}]{{4}}"] * 3))
POLL_LOCK_NAMESPACE = 0x62616C6C  # "ball": the first key of the polls' advisory locks


class CastRefused(ValidationError):
    """A ballot that may not be cast, with a message for the voter."""


class AlreadyVoted(CastRefused):
    pass


class PollNotOpen(ValidationError):
    """A close of a poll that is not open (not yet, or closed already, maybe a moment ago by
    someone else). The scheduled closes leave such a poll alone; a person is told why."""


def _not_open(poll):
    if poll.is_finished:
        return PollNotOpen(_("This poll has already been closed."), code="closed_already")
    return PollNotOpen(_("Only an open poll can be closed."), code="not_open")


def new_receipt():
    """A random receipt code such as 7KQ4-M2XD-9PLA (60 bits; it names no one)."""
    raw = "".join(secrets.choice(RECEIPT_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


def receipt_clean(code):
    """A receipt code made by the voter's browser, checked; CastRefused if malformed.

    Where script runs, the browser makes the code (static/elections/receipts.js) and keeps it
    before sending the ballot, so a voter whose response is lost still holds it.
    """
    if not isinstance(code, str) or not RECEIPT_FORMAT.fullmatch(code):
        raise CastRefused(
            _(
                "The receipt code your browser made could not be used. Nothing was stored; "
                "please cast your vote again."
            ),
            code="receipt_invalid",
        )
    return code


def already_voted_message():
    return _("You have already voted in this poll. Your ballot is in the box; nothing was changed.")


def voter_check(*, poll, user, now=None, check_time=True):
    """(refusal, member id): why `user` may not cast a ballot in `poll` now, as (code,
    message), or None and the id of the member they vote for.

    Run once per request (the voting page, the confirmation, a cast without a ticket) and
    never under a lock: the cast transaction itself re-reads only the poll's state and
    leaves "once per voter" to the participation's unique constraint (check_time=False: the
    caller checks the state and time on a fresher row).
    """
    if poll.method != Poll.Method.ONLINE:
        return ("analog", _("This poll is voted on paper in the meeting room, not online.")), None
    refusal = poll.refusal_by_time(now) if check_time else None
    if refusal:
        return refusal, None
    entry = _seat_of(poll, user)
    if entry is None:
        return (
            "off_roll",
            _(
                "You are not on the roll of entitled voters of this meeting, so you cannot "
                "vote here."
            ),
        ), None
    member, present_at, voted = entry
    if voted:
        return ("already_voted", already_voted_message()), None
    if not member.is_in_good_standing():
        return (
            "lapsed",
            _(
                "%(member)s is not a member in good standing today (dues or activity in the "
                "past year, active membership), so it cannot vote. Please contact the "
                "secretariat."
            )
            % {"member": member.name},
        ), None
    if poll.requires_presence and present_at is None:
        return (
            "absent",
            _(
                "Only voters present at the meeting may vote in this poll. Check in to the "
                "meeting first."
            ),
        ), None
    return None, member.pk


def _seat_of(poll, user):
    """(member, checked in at, voted already) of the account's seat on the poll's roll, or
    None when it has none (one seat per account: RollEntry's constraint)."""
    columns, sql = _seat_statement()
    with connection.cursor() as cursor:
        cursor.execute(sql, [poll.pk, poll.meeting_id, user.pk])
        row = cursor.fetchone()
    if row is None:
        return None
    *values, present_at, voted = row
    return Member(**dict(zip(columns, values, strict=True))), present_at, voted


@functools.cache
def _seat_statement():
    """The member's columns _seat_of reads and its statement, written once per process.

    One statement written out, as _cast_if_open is: every voting page runs it (hundreds at
    once when a meeting votes), and the ORM took longer building it than PostgreSQL took
    running it. The member holds the columns is_in_good_standing reads
    (Member.standing_fields) and its name, for the refusal."""
    columns = ["id", "name", *Member.standing_fields]
    roll, members = RollEntry._meta, Member._meta
    selected = ", ".join(f"m.{members.get_field(name).column}" for name in columns)
    sql = f"""
        SELECT {selected}, r.present_at,
               EXISTS (SELECT 1 FROM {Participation._meta.db_table} p
                       WHERE p.poll_id = %s AND p.voter_id = r.member_id)
        FROM {roll.db_table} r JOIN {members.db_table} m ON m.id = r.member_id
        WHERE r.meeting_id = %s AND r.user_id = %s
    """  # noqa: S608  (names from the models; every value is a parameter)
    return columns, sql


def _raise(code, message):
    exception = AlreadyVoted if code == "already_voted" else CastRefused
    raise exception(message, code=code)


PASS_SALT = "elections.ballot_box.pass"
PASS_MAX_AGE = 15 * 60  # seconds a voter check stands for the pages that follow it


def voter_pass(*, poll, user, voter_id, choices=None, checked_at=None):
    """A signed note of a voter check that passed: poll, account, the member they vote for,
    when it was made, what the pages after it need of the poll (poll_in_pass) and, from the
    confirmation page on, the cleaned choices. The next page carries it in its form, so that
    the confirmation and the cast need not check again nor read the poll."""
    data = {"p": poll.pk, "u": user.pk, "m": voter_id, "t": checked_at or int(time.time())}
    if poll.public_key is not None:  # an open online poll
        data["b"] = {
            "meeting": poll.meeting_id,
            "title": poll.meeting.title,
            "subject": poll.subject,
            "kind": poll.kind,
            "secret": poll.secret,
            "presence": poll.requires_presence,
            "opens": poll.opens_at and poll.opens_at.isoformat(),
            "closes": poll.closes_at and poll.closes_at.isoformat(),
            "scrutineers": poll.scrutineer_quorum,
            "size": poll.sealed_size,
            "key": base64.b64encode(bytes(poll.public_key)).decode(),
        }
    if choices is not None:
        data["c"] = choices
    return signing.dumps(data, salt=PASS_SALT, compress=True)


def poll_in_pass(token, *, poll_id, user):
    """(poll, pass contents) from a fresh pass made by voter_pass, or (None, None).

    The poll as the page before read it: an unsaved snapshot, never written, of what the
    confirmation and the cast read (the subject and meeting they show, the rules of the
    check, the key and padding a ballot is sealed with). The pass is signed, so nobody
    alters it, and none of it changes while the poll is open (motion_save and the election
    services refuse once voting opens; the key lives from the opening to the close). What
    can change is the state: whether the poll still takes ballots is asked of the database
    by the cast statement itself (_cast_if_open), so a ballot confirmed a moment before a
    close is refused there. With a pass the confirmation and the cast read no poll row."""
    data = _read_pass(token, poll_id=poll_id, user=user)
    if data is None or not data["fresh"] or not isinstance(data.get("b"), dict):
        return None, None
    seen = data["b"]
    poll = Poll(
        pk=poll_id,
        meeting=Meeting(pk=seen["meeting"], title=seen["title"]),
        subject=seen["subject"],
        kind=seen["kind"],
        secret=seen["secret"],
        method=Poll.Method.ONLINE,
        requires_presence=seen["presence"],
        state=Poll.State.OPEN,
        opens_at=seen["opens"] and datetime.datetime.fromisoformat(seen["opens"]),
        closes_at=seen["closes"] and datetime.datetime.fromisoformat(seen["closes"]),
        scrutineer_quorum=seen["scrutineers"],
        sealed_size=seen["size"],
        public_key=base64.b64decode(seen["key"]),
    )
    return poll, data


def read_voter_pass(token, *, poll, user):
    """The pass's contents as a dict, or None when missing, forged, for another poll or
    account. "fresh" says whether its check still stands (PASS_MAX_AGE)."""
    return _read_pass(token, poll_id=poll.pk, user=user)


def _read_pass(token, *, poll_id, user):
    if not token:
        return None
    try:
        data = signing.loads(token, salt=PASS_SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or data.get("p") != poll_id or data.get("u") != user.pk:
        return None
    data["fresh"] = 0 <= time.time() - data.get("t", 0) <= PASS_MAX_AGE
    return data


def _poll_lock_key(poll_id):
    return (POLL_LOCK_NAMESPACE, poll_id % 2**31)


# The poll's shared lock, which every cast takes first (in _cast_if_open). Casts hold it in
# common (they never wait for each other); poll_close takes it alone (_lock_poll_exclusive)
# and so waits for the casts in progress, while casts that arrive meanwhile wait behind it
# and then find the poll closed. An advisory lock and not SELECT … FOR SHARE, because
# PostgreSQL queues advisory locks fairly: new sharers wait behind a waiting close instead of
# starving it.
_LOCK_POLL_SHARED = "SELECT pg_advisory_xact_lock_shared(%s, %s)"


def _lock_poll_exclusive(poll_id):
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", _poll_lock_key(poll_id))


def _violates(error, constraint, table):
    name = getattr(getattr(error.__cause__, "diag", None), "constraint_name", None)
    if name is not None:
        return name == constraint
    return table in str(error)  # SQLite names the columns, not the constraint


def _is_duplicate_vote(error):
    return _violates(error, "participation_once_per_poll", "participation")


def ballot_cast(*, poll, actor, choices=None, ticket=None, now=None, receipt=None):
    """Cast one ballot for the member the voter `actor` sits for; return its receipt code.

    The receipt is the one the voter's browser made (`receipt`, checked by receipt_clean), or
    else a new random one.

    With a `ticket` (a voter_pass with choices, from the confirmation page) its check and its
    cleaned choices stand while fresh; otherwise the voter is checked here, once, and the
    choices cleaned, all before any lock. Then one transaction takes the poll's shared lock
    (see _LOCK_POLL_SHARED), writes the Participation (who) only if the poll is still open
    at that moment, and the Ballot (how, with a random receipt). "Once per voter" is the
    participation's unique constraint: a second attempt raises AlreadyVoted and changes
    nothing; any failure leaves neither row.
    """
    receipt = receipt_clean(receipt) if receipt else new_receipt()
    voter_id = None
    if ticket is not None:
        data = read_voter_pass(ticket, poll=poll, user=actor)
        if data is None or "c" not in data:
            _raise("unreadable", _("The ballot could not be read. Please mark it again."))
        choices = data["c"]
        if data["fresh"]:
            voter_id = data["m"]
    if voter_id is None:
        refusal, voter_id = voter_check(poll=poll, user=actor, now=now, check_time=False)
        if refusal:
            _raise(*refusal)
        if ticket is None:
            choices = poll.kind_handler().clean_choices(poll, choices)
    if poll.public_key is None:  # an object from before the poll opened
        poll = Poll.objects.get(pk=poll.pk)
        if poll.public_key is None:
            _raise(*(poll.refusal_by_time(now) or ("late", _("Voting has closed."))))
    participation = Participation(
        poll_id=poll.pk, voter_id=voter_id, named_choices=None if poll.secret else choices
    )
    participation.full_clean(exclude=["poll", "voter"], validate_unique=False)
    sealed = SealedBallot(
        poll_id=poll.pk,
        box=sealing.seal(poll.public_key, choices, receipt, size=poll.sealed_size or 0),
    )
    now = now or timezone.now()
    try:
        if connection.vendor == "postgresql" and not connection.in_atomic_block:
            # The lock and the inserts go in one message: PostgreSQL runs it as one
            # transaction of its own (see _cast_if_open), no BEGIN and COMMIT round trips.
            cast = _cast_if_open(participation, sealed, now=now)
        else:
            # Inside a caller's transaction, a savepoint: a refused second ballot leaves the
            # caller's transaction usable.
            with transaction.atomic():
                cast = _cast_if_open(participation, sealed, now=now)
        if not cast:
            current = Poll.objects.only("state", "opens_at", "closes_at").filter(pk=poll.pk)
            refusal = current[0].refusal_by_time(now) if current else None
            _raise(*(refusal or ("late", _("Voting has closed."))))
    except IntegrityError as error:
        if _is_duplicate_vote(error):
            _raise("already_voted", already_voted_message())
        raise
    return receipt


def _cast_if_open(participation, sealed, *, now):
    """Take the poll's shared lock (_LOCK_POLL_SHARED), then insert the participation and
    the sealed ballot in one statement that checks the poll is open now. False, and nothing
    written, when the poll no longer takes ballots.

    On PostgreSQL the lock and the insert travel in one simple-query message (Django's
    psycopg cursors bind parameters on the client, so one execute may hold two
    statements): outside a transaction PostgreSQL runs such a message as one transaction,
    which holds the lock to its end, and in READ COMMITTED each statement takes its own
    snapshot, so the insert, begun once the lock is held, sees a close committed while the
    cast waited for it. Elsewhere (SQLite) the caller's transaction.atomic holds it all."""
    named = participation.named_choices
    if named is not None:
        named = Participation._meta.get_field("named_choices").get_db_prep_save(named, connection)
    box = SealedBallot._meta.get_field("box").get_db_prep_save(sealed.box, connection)
    at = connection.ops.adapt_datetimefield_value(now)
    open_now = [participation.poll_id, Poll.State.OPEN, at, at]
    # Table names come from the models; every value is a parameter.
    voted = f"""
        INSERT INTO {Participation._meta.db_table} (poll_id, voter_id, named_choices)
        SELECT id, %s, %s FROM {Poll._meta.db_table}
        WHERE id = %s AND state = %s
          AND (opens_at IS NULL OR opens_at <= %s) AND (closes_at IS NULL OR closes_at > %s)
    """  # noqa: S608
    ballot = f"INSERT INTO {SealedBallot._meta.db_table} (id, poll_id, box)"  # noqa: S608
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # One round trip: the lock, then one statement that writes both rows or neither.
            cursor.execute(
                f"{_LOCK_POLL_SHARED}; WITH voted AS ({voted} RETURNING poll_id) {ballot} "  # noqa: S608
                "SELECT %s, poll_id, %s FROM voted",
                [
                    *_poll_lock_key(participation.poll_id),
                    participation.voter_id,
                    named,
                    *open_now,
                    sealed.id,
                    box,
                ],
            )
            cursor.nextset()  # the insert's result, after the lock's
            return cursor.rowcount == 1
        cursor.execute(voted, [participation.voter_id, named, *open_now])
        if cursor.rowcount != 1:
            return False
        cursor.execute(f"{ballot} VALUES (%s, %s, %s)", [sealed.id.hex, participation.poll_id, box])
        return True


def _lock(poll):
    return Poll.objects.select_for_update().select_related("meeting").get(pk=poll.pk)


def poll_open(*, poll, actor, base_url="", notify=True, scrutineers=None):
    """Open a poll for ballots. Freezes the meeting's roll if that has not happened yet.

    An online poll gets its key pair (see sealing): the private key wrapped with BALLOT_KEY,
    or, with scrutineers=(k, n), split into n scrutineer codes of which k open the ballots at
    the close. The codes are on the returned poll's `scrutineer_codes`, this once: they are
    stored nowhere. Online polls e-mail every voter on the roll after the commit
    (notify=False: demo data).
    """
    with transaction.atomic():
        poll = _lock(poll)
        if poll.state != Poll.State.DRAFT:
            raise ValidationError(_("Only a poll that has not opened yet can be opened."))
        if not poll.meeting.roll_frozen:
            meeting_roll_freeze(meeting=poll.meeting, actor=actor)
        if not poll.meeting.roll.exists():
            raise ValidationError(
                _("The roll of this meeting is empty: nobody could vote."), code="empty_roll"
            )
        codes = _make_keys(poll, scrutineers) if poll.is_online else []
        poll.state = Poll.State.OPEN
        poll.opened_at = timezone.now()
        poll.save(
            update_fields=[
                "state",
                "opened_at",
                "public_key",
                "wrapped_key",
                "sealed_size",
                "scrutineer_quorum",
                "scrutineer_count",
            ]
        )
        audit_record(actor=actor, action=AuditEntry.Action.POLL_OPENED, poll=poll)
        _close_on_time(poll)
        if poll.is_online and notify:
            send_on_commit(
                emails.poll_opened, topic=emails.topic(poll), poll=poll.pk, base_url=base_url
            )
    poll.scrutineer_codes = codes
    return poll


def _make_keys(poll, scrutineers):
    private_key = sealing.new_key_pair()
    poll.public_key = bytes(private_key.public_key)
    poll.sealed_size = sealing.padded_size(poll.kind_handler().longest_choices(poll))
    if scrutineers is None:
        poll.wrapped_key = sealing.wrap(private_key)
        return []
    quorum, count = scrutineers
    if not 2 <= quorum <= count <= 20:
        raise ValidationError(
            _("Scrutineer codes: at least 2 of them must be needed, and at most 20 made."),
            code="scrutineers",
        )
    poll.scrutineer_quorum, poll.scrutineer_count = quorum, count
    shares = sealing.split(bytes(private_key), quorum=quorum, count=count)
    return [sealing.share_code(poll.pk, x, share) for x, share in shares]


def _private_key(poll, scrutineer_codes):
    """The poll's private key, in memory: unwrapped with BALLOT_KEY or rebuilt from k
    scrutineer codes. ValidationError (and nothing changed) when it cannot be had."""
    if not poll.held_by_scrutineers:
        if poll.wrapped_key is None:
            raise ValidationError(_("This poll has no ballot key."), code="no_key")
        return sealing.unwrap(poll.wrapped_key)
    typed = [code for code in (scrutineer_codes or []) if code and code.strip()]
    if len(typed) < poll.scrutineer_quorum:
        raise ValidationError(
            _(
                "Closing this poll needs the codes of %(quorum)s scrutineers; "
                "%(given)s were entered."
            )
            % {"quorum": poll.scrutineer_quorum, "given": len(typed)},
            code="scrutineer_codes_needed",
        )
    shares = {}
    for number, code in enumerate(typed, start=1):
        try:
            x, share = sealing.read_share_code(poll.pk, code)
        except ValidationError as error:
            raise ValidationError(
                _("Code %(number)s: %(problem)s")
                % {"number": number, "problem": " ".join(error.messages)},
                code="bad_code",
            ) from None
        shares[x] = share
    if len(shares) < poll.scrutineer_quorum:
        raise ValidationError(
            _("The same scrutineer's code was entered twice."), code="scrutineer_codes_needed"
        )
    private_key = sealing.private_key(sealing.combine(list(shares.items())))
    if not sealing.matches(private_key, poll.public_key):
        raise ValidationError(
            _("These codes do not open this poll's ballots: one of them is not right."),
            code="bad_code",
        )
    return private_key


def poll_close(*, poll, actor, scrutineer_codes=None):
    """Close a poll: snapshot the roll and attendance, open and seal the ballot set.

    In one transaction, after every cast in progress has finished (see _LOCK_POLL_SHARED):
    the poll's private key is unwrapped, or rebuilt from `scrutineer_codes`, in memory; the
    sealed ballots are opened and written as Ballots in random order with fresh keys, the
    sealed rows deleted (counting.open_sealed_ballots); the SHA-256 digest of the canonical
    ballot set and the counts are stored, and the wrapped key is erased. A wrong or missing
    code changes nothing. PollNotOpen when the poll is not open, or no longer (a close that
    waited for another one to commit).
    """
    current = Poll.objects.get(pk=poll.pk)
    if current.state != Poll.State.OPEN:
        raise _not_open(current)
    # The key first, before any lock: a wrong or missing code holds up no cast.
    private_key = _private_key(current, scrutineer_codes) if current.is_online else None
    with transaction.atomic():
        _lock_poll_exclusive(poll.pk)
        poll = _lock(poll)
        if poll.state != Poll.State.OPEN:
            raise _not_open(poll)  # closed meanwhile, by a worker, cron or a person
        ballots = 0
        if poll.is_online:
            ballots, poll.digest = counting.open_sealed_ballots(poll, private_key)
            poll.ballot_count = ballots
            private_key = None
            poll.counted_totals = poll.kind_handler().count_ballots(poll)
        else:
            poll.digest = counting.empty_digest()
        poll.wrapped_key = None
        roll = poll.meeting.roll
        poll.roll_count = roll.count()
        poll.present_count = roll.filter(present_at__isnull=False).count()
        poll.state = Poll.State.CLOSED
        poll.closed_at = timezone.now()
        poll.save(
            update_fields=[
                "roll_count",
                "present_count",
                "digest",
                "ballot_count",
                "counted_totals",
                "wrapped_key",
                "state",
                "closed_at",
            ]
        )
        audit_record(
            actor=actor,
            action=AuditEntry.Action.POLL_CLOSED,
            poll=poll,
            detail=_("%(ballots)s ballots, %(present)s present of %(entitled)s entitled")
            % {
                "ballots": ballots,
                "present": poll.present_count,
                "entitled": poll.roll_count,
            },
        )
    return poll


def poll_totals_enter(*, poll, actor, totals):
    """Record the totals of paper ballots counted in the room (analog polls, once closed)."""
    with transaction.atomic():
        poll = _lock(poll)
        if poll.method != Poll.Method.ANALOG:
            raise ValidationError(_("Online polls are counted from their ballots."))
        if poll.state != Poll.State.CLOSED:
            raise ValidationError(
                _(
                    "Counted totals can be entered only after the poll has closed and before the "
                    "results are published."
                )
            )
        kind = poll.kind_handler()
        form = kind.totals_form(poll, data=totals)
        if not form.is_valid():
            raise ValidationError(
                [message for messages in form.errors.values() for message in messages]
            )
        poll.counted_totals = form.cleaned_data
        poll.save(update_fields=["counted_totals"])
        audit_record(
            actor=actor,
            action=AuditEntry.Action.TOTALS_ENTERED,
            poll=poll,
            detail=kind.describe_totals(form.cleaned_data),
        )
    return poll


def poll_publish(*, poll, actor, base_url="", notify=True):
    """Publish the results (and the bulletin board) of a closed poll to everyone, and e-mail
    the roll after the commit (notify=False: demo data)."""
    with transaction.atomic():
        poll = _lock(poll)
        if poll.state != Poll.State.CLOSED:
            raise ValidationError(_("Only a closed poll can have its results published."))
        if poll.method == Poll.Method.ANALOG and poll.counted_totals is None:
            raise ValidationError(_("Enter the counted totals before publishing the results."))
        poll.state = Poll.State.PUBLISHED
        poll.published_at = timezone.now()
        poll.save(update_fields=["state", "published_at"])
        kind = poll.kind_handler()
        kind.on_publish(poll, actor=actor)
        audit_record(
            actor=actor,
            action=AuditEntry.Action.RESULTS_PUBLISHED,
            poll=poll,
            detail=kind.describe_totals(poll.totals()),
        )
        if notify:
            send_on_commit(
                emails.poll_published, topic=emails.topic(poll), poll=poll.pk, base_url=base_url
            )
    return poll


def polls_close_due(*, now=None):
    """Close every open poll whose closing time has passed (run by `manage.py close_polls`).

    Polls whose key the scrutineers hold take no more ballots after their closing time but
    wait for k of them to enter their codes: they are left open here. A poll that the worker
    (poll_close_on_time) or another cron run closes meanwhile is left alone: it is not in the
    list of those this run closed.
    """
    now = now or timezone.now()
    closed = []
    due = Poll.objects.filter(state=Poll.State.OPEN, closes_at__lte=now, scrutineer_quorum=None)
    for poll in due:
        try:
            closed.append(poll_close(poll=poll, actor=None))
        except PollNotOpen:
            continue
    return closed


def _close_on_time(poll):
    """Once the opening commits, queue the poll's close for its closing time (no cron)."""
    if poll.closes_at is not None:
        closes_at = poll.closes_at
        transaction.on_commit(
            lambda: poll_close_on_time.using(run_after=closes_at).enqueue(poll.pk)
        )


@task()
def poll_close_on_time(poll_id):
    """Close the poll if it is still open and its closing time has come (run by the worker
    at that time). Idempotent: a poll closed by hand, or by another worker first, is left
    alone; a closing time moved later queues the close again for then."""
    poll = Poll.objects.filter(pk=poll_id, state=Poll.State.OPEN).first()
    if poll is None or poll.closes_at is None:
        return "not open"
    if poll.held_by_scrutineers:
        return "left to the scrutineers"  # they close it with their codes
    if poll.closes_at > timezone.now():
        poll_close_on_time.using(run_after=poll.closes_at).enqueue(poll.pk)
        return "later"
    try:
        poll_close(poll=poll, actor=None)
    except PollNotOpen:
        return "closed already"
    return "closed"
