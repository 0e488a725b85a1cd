"""The ballot box: polls, who took part, the anonymous ballots, and the audit log.

Secrecy by design: "who voted" is a
Participation (poll, voter) and "how" is, while the poll is open, a SealedBallot (poll and a
sealed box that only the poll's private key opens: see sealing.py) and, once it is closed, a
Ballot (poll, choices, receipt). Neither has a column that leads to a person: no voter,
account, participation or roll entry, no timestamp of its own, and a random UUID key instead
of a serial number. ballot_box.services.ballot_cast writes the participation and the sealed
ballot in one statement, so they share a transaction id: a reader of the database then finds
who cast which box, but no box can be read without the key. poll_close opens the boxes in
memory and writes the Ballots in random order with fresh keys, in one transaction, so that
nothing of a sealed row (its key, transaction id or position) survives in a Ballot.
"""

import hashlib
import json
import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from .kinds import kind_for


class PollQuerySet(models.QuerySet):
    def public(self):
        return self.filter(state=Poll.State.PUBLISHED)


class Poll(models.Model):
    """One vote at a meeting (on a motion, or in an election): the ballot box."""

    class Kind(models.TextChoices):
        MOTION = "motion", _("motion")
        ELECTION = "election", _("election")

    class Method(models.TextChoices):
        ONLINE = "online", _("online ballots")
        ANALOG = "analog", _("paper ballots counted in the room")

    class State(models.TextChoices):
        DRAFT = "draft", _("not open yet")
        OPEN = "open", _("open")
        CLOSED = "closed", pgettext_lazy("poll state", "closed")
        PUBLISHED = "published", _("results published")

    meeting = models.ForeignKey(
        "association.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="polls",
    )
    subject = models.CharField(_("subject"), max_length=200)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices, default=Kind.MOTION)
    secret = models.BooleanField(
        _("secret ballot"),
        default=True,
        help_text=_("Untick for a named vote, where the result lists who voted how."),
    )
    method = models.CharField(
        _("voting method"), max_length=10, choices=Method.choices, default=Method.ONLINE
    )
    requires_presence = models.BooleanField(
        _("only those present may vote"),
        default=True,
        help_text=_("Voters must have checked in to the meeting before they can vote."),
    )
    opens_at = models.DateTimeField(
        _("ballots accepted from"),
        null=True,
        blank=True,
        help_text=_("Optional: even when open, no ballot is accepted before this time."),
    )
    closes_at = models.DateTimeField(
        _("ballots accepted until"),
        null=True,
        blank=True,
        help_text=_("Optional: no ballot is accepted after this time; close_polls then closes it."),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    opened_at = models.DateTimeField(_("opened at"), null=True, blank=True, editable=False)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True, editable=False)
    published_at = models.DateTimeField(_("published at"), null=True, blank=True, editable=False)
    # Snapshots taken when the poll closes: the bases of the result must not move afterwards.
    roll_count = models.PositiveIntegerField(_("entitled"), null=True, editable=False)
    present_count = models.PositiveIntegerField(_("present"), null=True, editable=False)
    # Online polls: counted from the ballots at closing. Analog polls: entered after closing.
    counted_totals = models.JSONField(_("counted totals"), null=True, blank=True, editable=False)
    digest = models.CharField(
        _("SHA-256 of the ballot set"), max_length=64, blank=True, editable=False
    )
    # Online polls: the number of ballots in the set the digest seals (the bulletin board
    # pages through them without counting them again).
    ballot_count = models.PositiveIntegerField(_("ballots"), null=True, editable=False)
    # The poll's ballot key (see ballot_box.sealing): the public half while it is open, the
    # private half only wrapped with BALLOT_KEY (erased at the close) or, when scrutineers
    # hold it, nowhere: split into their codes, k of n.
    public_key = models.BinaryField(_("public ballot key"), null=True, editable=False)
    wrapped_key = models.BinaryField(_("wrapped private ballot key"), null=True, editable=False)
    sealed_size = models.PositiveIntegerField(
        _("size of a sealed ballot"), null=True, editable=False
    )
    scrutineer_quorum = models.PositiveSmallIntegerField(
        _("scrutineer codes needed"), null=True, blank=True, editable=False
    )
    scrutineer_count = models.PositiveSmallIntegerField(
        _("scrutineer codes made"), null=True, blank=True, editable=False
    )

    objects = PollQuerySet.as_manager()

    class Meta:
        verbose_name = _("poll")
        verbose_name_plural = _("polls")
        ordering = ["-meeting__starts_at", "meeting", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(opens_at__isnull=True)
                | models.Q(closes_at__isnull=True)
                | models.Q(closes_at__gt=models.F("opens_at")),
                name="poll_window_order",
            )
        ]

    def __str__(self):
        return self.subject

    @property
    def is_online(self):
        return self.method == self.Method.ONLINE

    @property
    def is_finished(self):
        return self.state in (self.State.CLOSED, self.State.PUBLISHED)

    def refusal_by_time(self, now=None):
        """("early" or "late", message) when no ballot is accepted right now, else None."""
        now = now or timezone.now()
        if self.state == self.State.DRAFT:
            return "early", gettext("Voting on this poll has not opened yet.")
        if self.state != self.State.OPEN or (self.closes_at and now >= self.closes_at):
            return "late", gettext("Voting on this poll has closed.")
        if self.opens_at and now < self.opens_at:
            local = timezone.localtime(self.opens_at)
            return "early", gettext("Voting on this poll opens at %(time)s.") % {
                "time": local.strftime("%Y-%m-%d %H:%M")
            }
        return None

    def past_closing_time(self, now=None):
        """An open poll whose closing time has come: it takes no more ballots (the cast
        statement itself checks the time) and waits for its close. The worker or close_polls
        closes it at once; one whose key the scrutineers hold waits for k of them to enter
        their codes, since nothing else can open its ballots."""
        now = now or timezone.now()
        return (
            self.state == self.State.OPEN and self.closes_at is not None and now >= self.closes_at
        )

    def state_label(self, now=None):
        """The state as voters and the secretariat read it: past its closing time an open
        poll reads as closed to voting, waiting for the scrutineers where they hold its key."""
        if self.past_closing_time(now):
            if self.held_by_scrutineers:
                return gettext("voting closed, waiting for the scrutineers' codes to count")
            return gettext("voting closed")
        return self.get_state_display()

    @property
    def state_class(self):
        """The CSS modifier of the state badge: state-closed once ballots are no longer taken."""
        return "closed" if self.past_closing_time() else self.state

    def kind_handler(self):
        return kind_for(self)

    @property
    def held_by_scrutineers(self):
        return self.scrutineer_quorum is not None

    def totals(self):
        """The totals, once counted: from the ballots when an online poll closes, or as
        entered for paper ballots. None while the poll is open: nobody sees a running count."""
        return self.counted_totals


class Participation(models.Model):
    """That a voter took part in a poll ("who voted"), never how: see Ballot."""

    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="participations"
    )
    voter = models.ForeignKey(
        "members.Member",
        verbose_name=_("voter"),
        on_delete=models.PROTECT,
        related_name="participations",
    )
    # Only for named (non-secret) polls, whose result lists who voted how by design.
    named_choices = models.JSONField(_("choices of a named vote"), null=True, blank=True)

    class Meta:
        verbose_name = _("participation")
        verbose_name_plural = _("participations")
        ordering = ["poll", "voter__name"]
        constraints = [
            models.UniqueConstraint(fields=["poll", "voter"], name="participation_once_per_poll")
        ]

    def __str__(self):
        return f"{self.voter} · {self.poll}"


class SealedBallot(models.Model):
    """A ballot while its poll is open: the poll and a sealed box that only the poll's
    private key opens (choices and receipt inside), nothing else. Deleted at the close."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="sealed_ballots"
    )
    box = models.BinaryField(_("sealed box"))

    class Meta:
        verbose_name = _("sealed ballot")
        verbose_name_plural = _("sealed ballots")

    def __str__(self):
        return str(self.id)


class Ballot(models.Model):
    """One anonymous ballot ("how") of a closed poll: poll, choices and receipt code, written
    at the close with a fresh random key, nothing that names a voter."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    poll = models.ForeignKey(
        Poll, verbose_name=_("poll"), on_delete=models.PROTECT, related_name="ballots"
    )
    choices = models.JSONField(_("choices"))
    # Not unique: a receipt is sealed until the close, so nothing could refuse a repeated one
    # at the cast, and a repeated code (by chance, or copied on purpose) must not stop the
    # close from counting the poll. The bulletin board lists every ballot, repeats and all.
    receipt = models.CharField(_("receipt code"), max_length=14)

    class Meta:
        verbose_name = _("ballot")
        verbose_name_plural = _("ballots")
        # Listing by receipt code reveals nothing: the codes are random.
        ordering = ["receipt"]
        indexes = [models.Index(fields=["poll", "receipt"], name="ballot_poll_receipt")]

    def __str__(self):
        return self.receipt

    def canonical_line(self):
        return canonical_line(self.receipt, self.choices)


def canonical_line(receipt, choices):
    """One line of the published ballot set: receipt, a space, compact sorted JSON, newline."""
    data = json.dumps(choices, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return f"{receipt} {data}\n"


def canonical_ballot_set(poll):
    """The whole ballot set of a poll as UTF-8 text, sorted by receipt code: the file the
    bulletin board offers for download."""
    rows = poll.ballots.order_by("receipt").values_list("receipt", "choices")
    return "".join(canonical_line(receipt, choices) for receipt, choices in rows)


def canonical_ballot_chunks(poll, *, lines=2000):
    """The same text as canonical_ballot_set, as UTF-8 chunks of `lines` ballots, read from
    the database as they go (a server-side cursor on PostgreSQL)."""
    rows = poll.ballots.order_by("receipt").values_list("receipt", "choices").iterator(lines)
    chunk = []
    for receipt, choices in rows:
        chunk.append(canonical_line(receipt, choices))
        if len(chunk) == lines:
            yield "".join(chunk).encode("utf-8")
            chunk = []
    if chunk:
        yield "".join(chunk).encode("utf-8")


def ballot_set_digest(poll):
    """The SHA-256 of the ballot set as it stands (poll.digest is the one sealed at closing)."""
    digest = hashlib.sha256()
    for chunk in canonical_ballot_chunks(poll):
        digest.update(chunk)
    return digest.hexdigest()


class AuditEntry(models.Model):
    """A state change of a meeting, poll, document or training record: who, when, what.
    Never a ballot."""

    class Action(models.TextChoices):
        ROLL_FROZEN = "roll_frozen", _("roll frozen")
        CHECK_IN_OPENED = "check_in_opened", _("check-in opened")
        CHECK_IN_CLOSED = "check_in_closed", _("check-in closed")
        CHECKED_IN = "checked_in", _("checked in")
        CHECK_IN_UNDONE = "check_in_undone", _("check-in undone")
        POLL_OPENED = "poll_opened", _("poll opened")
        POLL_CLOSED = "poll_closed", _("poll closed")
        TOTALS_ENTERED = "totals_entered", _("counted totals entered")
        RESULTS_PUBLISHED = "results_published", _("results published")
        VERSION_IN_FORCE = "version_in_force", _("document version put in force")
        # Board elections (board.services).
        ELECTION_CREATED = "election_created", _("election created")
        CANDIDATE_NOMINATED = "candidate_nominated", _("candidate nominated")
        CANDIDATE_WITHDRAWN = "candidate_withdrawn", _("candidate withdrawn")
        ELECTION_OPENED = "election_opened", _("election opened for voting")
        RUNOFF_STARTED = "runoff_started", _("run-off started")
        RESULTS_CERTIFIED = "results_certified", _("election results certified")
        # Continuing education (training.services); a session's check-in uses the above.
        ATTENDANCE_CORRECTED = "attendance_corrected", _("training attendance corrected")
        OUTSIDE_HOURS_APPROVED = "outside_hours_approved", _("hours from elsewhere approved")
        OUTSIDE_HOURS_REFUSED = "outside_hours_refused", _("hours from elsewhere refused")

    at = models.DateTimeField(_("when"), default=timezone.now, editable=False)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("who"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text=_("Empty when the portal acted on its own, e.g. at a poll's closing time."),
    )
    action = models.CharField(_("what"), max_length=30, choices=Action.choices)
    meeting = models.ForeignKey(
        "association.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    poll = models.ForeignKey(
        Poll,
        verbose_name=_("poll"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    election = models.ForeignKey(
        "elections.Election",
        verbose_name=_("election"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="audit_entries",
    )
    detail = models.CharField(_("detail"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("audit entry")
        verbose_name_plural = _("audit log")
        ordering = ["-at", "-pk"]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.get_action_display()}"
