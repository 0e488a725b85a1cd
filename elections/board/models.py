"""Board elections: terms (届), elections at a meeting, positions, candidates, rounds, seats.

The general assembly elects the council members; the council elects the president, the
vice-presidents and the secretary-general. Each round of an election is one Poll of the ballot
box (ballot_box.models): the first round asks about every position, a run-off only about the
tied candidates of the positions that need it. Ballots stay in the ballot box, anonymous; the
tally (board.tally) reads them from there. Certified results become BoardSeat rows
for the term, each backed by an association.CouncilMembership, which is what the rolls of
council meetings are frozen from.
"""

import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MinValueValidator
from django.db import models
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from association.models import Meeting
from common.storage import get_private_storage
from common.text import SingleLineCharField
from elections.ballot_box.models import Poll
from members.roles import is_secretariat

from . import eligibility
from .tally import PositionSpec

TERM_MAX_YEARS = 5
# The database's own backstop for "at most five years": 5 × 365 days + 2 leap days. The exact
# calendar rule (same day five years later) is Term.clean()'s.
TERM_MAX_DAYS = 5 * 365 + 2


def add_years(day, years):
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February in a common year
        return day.replace(year=day.year + years, day=28)


class Office(models.TextChoices):
    """The offices of the board; the values are association.CouncilMembership.Office's."""

    COUNCIL_MEMBER = eligibility.COUNCIL_MEMBER, _("council member")
    PRESIDENT = eligibility.PRESIDENT, _("president")
    VICE_PRESIDENT = eligibility.VICE_PRESIDENT, _("vice-president")
    SECRETARY_GENERAL = eligibility.SECRETARY_GENERAL, _("secretary-general")


# The order of offices on ballots, results and the board page: 会长, 副会长, 秘书长, 理事.
OFFICE_ORDER = [
    Office.PRESIDENT,
    Office.VICE_PRESIDENT,
    Office.SECRETARY_GENERAL,
    Office.COUNCIL_MEMBER,
]


def office_rank(office):
    return OFFICE_ORDER.index(office) if office in OFFICE_ORDER else len(OFFICE_ORDER)


class TermQuerySet(models.QuerySet):
    def current(self, on=None):
        """The term in office on `on` (today by default), or None."""
        on = on or timezone.localdate()
        return self.filter(starts_on__lte=on, ends_on__gte=on).order_by("-number").first()


class Term(models.Model):
    """A term of the board (届): its number and its first and last day, at most five years."""

    number = models.PositiveSmallIntegerField(
        _("term number"),
        unique=True,
        validators=[MinValueValidator(1)],
        error_messages={"unique": _("A term with this number already exists.")},
    )
    starts_on = models.DateField(_("first day"))
    ends_on = models.DateField(_("last day"))

    objects = TermQuerySet.as_manager()

    class Meta:
        verbose_name = _("term of the board")
        verbose_name_plural = _("terms of the board")
        ordering = ["-number"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__gt=models.F("starts_on")),
                name="term_ends_after_it_starts",
                violation_error_message=_("A term must end after it starts."),
            ),
            models.CheckConstraint(
                condition=models.Q(
                    ends_on__lte=models.F("starts_on") + datetime.timedelta(days=TERM_MAX_DAYS)
                ),
                name="term_at_most_five_years",
                violation_error_message=_("A term lasts at most five years."),
            ),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="term_number_positive"),
        ]

    def __str__(self):
        return gettext("Term %(number)s") % {"number": self.number}

    def clean(self):
        if self.starts_on and self.ends_on:
            if self.ends_on <= self.starts_on:
                raise ValidationError({"ends_on": _("A term must end after it starts.")})
            limit = add_years(self.starts_on, TERM_MAX_YEARS)
            if self.ends_on > limit:
                raise ValidationError(
                    {
                        "ends_on": _(
                            "A term lasts at most five years: the last day can be %(limit)s at "
                            "the latest."
                        )
                        % {"limit": limit.isoformat()}
                    }
                )


class Election(models.Model):
    """An election at a meeting: positions, candidates, rounds, and once certified, the board."""

    class Mode(models.TextChoices):
        APPROVE = "approve", _("yes, no or abstain for each candidate")
        MARK = "mark", _("mark at most as many candidates as there are seats")

    class State(models.TextChoices):
        DRAFT = "draft", _("nominating candidates")
        VOTING = "voting", _("voting and counting")
        CERTIFIED = "certified", _("results certified")

    meeting = models.ForeignKey(
        "association.Meeting",
        verbose_name=_("meeting"),
        on_delete=models.PROTECT,
        related_name="elections",
    )
    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="elections"
    )
    title = SingleLineCharField(pgettext_lazy("election", "title"), max_length=200)
    mode = models.CharField(_("ballot"), max_length=10, choices=Mode.choices, default=Mode.APPROVE)
    # Eligibility settings: rules that vary between associations are settings of each election.
    max_consecutive_terms = models.PositiveSmallIntegerField(
        _("officers: at most this many consecutive terms"),
        null=True,
        blank=True,
        default=2,
        help_text=_("Empty: no limit."),
    )
    age_limit = models.PositiveSmallIntegerField(
        _("officers: age limit on the election day"),
        null=True,
        blank=True,
        default=70,
        help_text=_("Officers may be at most this old on the election day. Empty: no limit."),
    )
    president_secretary_distinct = models.BooleanField(
        _("president and secretary-general: different people, not from the same unit"),
        default=True,
    )
    secretary_general_full_time = models.BooleanField(
        _("the secretary-general works full-time"), default=True
    )
    min_surplus = models.PositiveSmallIntegerField(
        _("contested: at least this many more candidates than seats"),
        default=1,
        help_text=_(
            "Checked for every position before voting opens. 0 allows as many candidates as seats."
        ),
    )
    state = models.CharField(
        _("state"), max_length=10, choices=State.choices, default=State.DRAFT, editable=False
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    certified_at = models.DateTimeField(_("certified at"), null=True, blank=True, editable=False)
    certified_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("certified by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("election")
        verbose_name_plural = _("elections")
        ordering = ["-meeting__starts_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def election_date(self):
        return self.meeting.held_on

    @property
    def is_draft(self):
        return self.state == self.State.DRAFT

    @property
    def is_certified(self):
        return self.state == self.State.CERTIFIED

    def results_visible_to(self, user):
        """Results are public once certified; before that the secretariat previews them,
        once a round has closed (its page, minutes and workbook alike)."""
        if self.is_certified:
            return True
        return (
            is_secretariat(user)
            and self.rounds.filter(
                poll__state__in=[Poll.State.CLOSED, Poll.State.PUBLISHED]
            ).exists()
        )

    def rules(self):
        return eligibility.Rules(
            max_consecutive_terms=self.max_consecutive_terms,
            age_limit=self.age_limit,
            president_secretary_distinct=self.president_secretary_distinct,
            secretary_general_full_time=self.secretary_general_full_time,
            min_surplus=self.min_surplus,
        )

    def clean(self):
        if self.meeting_id and self.meeting.body == Meeting.Body.STANDING_COUNCIL:
            raise ValidationError(
                {"meeting": _("Board elections are held by the general assembly or the council.")}
            )


class Position(models.Model):
    """A position on the ballot of an election: an office and its number of seats."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="positions"
    )
    office = models.CharField(_("office"), max_length=20, choices=Office.choices, blank=True)
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)

    class Meta:
        verbose_name = _("position")
        verbose_name_plural = _("positions")
        ordering = ["election", "order", "pk"]
        constraints = [
            models.CheckConstraint(condition=models.Q(seats__gt=0), name="position_seats_positive"),
            models.UniqueConstraint(
                fields=["election", "office"],
                name="position_office_once_per_election",
                violation_error_message=_("The election already has this position."),
            ),
        ]

    def __str__(self):
        return self.get_office_display()

    def save(self, *args, **kwargs):
        self.order = office_rank(self.office)
        super().save(*args, **kwargs)

    @property
    def label(self):
        return capfirst(self.get_office_display())

    def clean(self):
        if not self.election_id or self.seats is None:
            return
        body = self.election.meeting.body
        if self.office == Office.COUNCIL_MEMBER and body != Meeting.Body.GENERAL_ASSEMBLY:
            raise ValidationError(
                {"office": _("Council members are elected by the general assembly.")}
            )
        if self.office != Office.COUNCIL_MEMBER and body != Meeting.Body.COUNCIL:
            raise ValidationError(
                {
                    "office": _(
                        "The president, vice-presidents and secretary-general are elected by "
                        "the council."
                    )
                }
            )
        if self.office in (Office.PRESIDENT, Office.SECRETARY_GENERAL) and self.seats != 1:
            raise ValidationError({"seats": _("This office has exactly one seat.")})


def candidate_photo_path(instance, filename):
    return f"elections/candidates/{timezone.now():%Y%m}/{filename}"


class Candidate(models.Model):
    """A nominee for a position: a member, or a person representing a unit member."""

    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="candidates"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="candidacies",
    )
    person_name = SingleLineCharField(
        _("name of the person"),
        max_length=60,
        help_text=_("For a unit member: the person who will sit on the board for the unit."),
    )
    statement = models.TextField(_("statement"), blank=True, max_length=2000)
    photo = models.FileField(
        _("photo"), upload_to=candidate_photo_path, storage=get_private_storage, blank=True
    )
    thumbnail = models.FileField(
        _("thumbnail"),
        upload_to=candidate_photo_path,
        storage=get_private_storage,
        blank=True,
        editable=False,
    )
    birth_date = models.DateField(
        _("date of birth"),
        null=True,
        blank=True,
        help_text=_("Needed for officers when the election has an age limit; never published."),
    )
    full_time = models.BooleanField(
        _("declares to work full-time for the association"), default=False
    )
    number = models.PositiveSmallIntegerField(_("ballot order"), default=0, editable=False)
    nominated_at = models.DateTimeField(_("nominated at"), default=timezone.now, editable=False)
    nominated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("nominated by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("candidate")
        verbose_name_plural = _("candidates")
        ordering = ["position", "number", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["position", "member"],
                name="candidate_member_once_per_position",
                violation_error_message=_("This member already stands for this position."),
            ),
        ]

    def __str__(self):
        if self.member.is_unit:
            return f"{self.person_name}（{self.member.name}）"
        return self.person_name

    @property
    def unit_name(self):
        return self.member.name if self.member.is_unit else ""

    @property
    def person_key(self):
        """Who the person is, for the rules: the individual member, or the unit's named person."""
        if self.member.is_unit:
            return f"m{self.member_id}:{self.person_name.strip()}"
        return f"m{self.member_id}"

    @property
    def unit_key(self):
        return f"m{self.member_id}" if self.member.is_unit else None


class Round(models.Model):
    """One poll of an election: round 1 asks about every position, later rounds are run-offs."""

    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="rounds"
    )
    number = models.PositiveSmallIntegerField(_("round"))
    poll = models.OneToOneField(
        "elections.Poll",
        verbose_name=_("poll"),
        on_delete=models.PROTECT,
        related_name="board_round",
    )

    class Meta:
        verbose_name = _("round")
        verbose_name_plural = _("rounds")
        ordering = ["election", "number"]
        constraints = [
            models.UniqueConstraint(fields=["election", "number"], name="round_number_unique"),
            models.CheckConstraint(condition=models.Q(number__gte=1), name="round_number_positive"),
        ]

    def __str__(self):
        return f"{self.election} · {self.label}"

    @property
    def is_runoff(self):
        return self.number > 1

    @property
    def label(self):
        if self.is_runoff:
            return gettext("run-off (round %(number)s)") % {"number": self.number}
        return gettext("round 1")

    def ballot_positions(self):
        """The RoundPositions with their positions and candidates, in ballot order."""
        return list(
            self.positions.select_related("position")
            .prefetch_related("candidates__member")
            .order_by("position__order", "position__pk")
        )

    def specs(self, ballot_positions=None):
        """PositionSpecs for the tally: keys are the position and candidate ids as text."""
        specs = []
        for entry in ballot_positions or self.ballot_positions():
            candidates = sorted(entry.candidates.all(), key=lambda c: (c.number, c.pk))
            specs.append(
                PositionSpec(
                    key=str(entry.position_id),
                    seats=entry.seats,
                    candidates=tuple(str(c.pk) for c in candidates),
                    name=entry.position.label,
                    names={str(c.pk): str(c) for c in candidates},
                )
            )
        return specs


class RoundPosition(models.Model):
    """A position on one round's ballot: the seats still to fill and who stands for them."""

    round = models.ForeignKey(
        Round, verbose_name=_("round"), on_delete=models.PROTECT, related_name="positions"
    )
    position = models.ForeignKey(
        Position, verbose_name=_("position"), on_delete=models.PROTECT, related_name="+"
    )
    seats = models.PositiveSmallIntegerField(_("seats"), validators=[MinValueValidator(1)])
    candidates = models.ManyToManyField(
        Candidate, verbose_name=_("candidates"), related_name="round_positions"
    )

    class Meta:
        verbose_name = _("position in a round")
        verbose_name_plural = _("positions in a round")
        ordering = ["round", "position__order"]
        constraints = [
            models.UniqueConstraint(fields=["round", "position"], name="round_position_unique"),
            models.CheckConstraint(
                condition=models.Q(seats__gt=0), name="round_position_seats_positive"
            ),
        ]

    def __str__(self):
        return f"{self.round} · {self.position}"


class BoardSeat(models.Model):
    """A seat on the board for a term, created from certified results: the public board."""

    term = models.ForeignKey(
        Term, verbose_name=_("term"), on_delete=models.PROTECT, related_name="seats"
    )
    office = models.CharField(_("office"), max_length=20, choices=Office.choices, blank=True)
    order = models.PositiveSmallIntegerField(_("order"), default=0, editable=False)
    election = models.ForeignKey(
        Election, verbose_name=_("election"), on_delete=models.PROTECT, related_name="seats"
    )
    candidate = models.OneToOneField(
        Candidate,
        verbose_name=_("elected candidate"),
        on_delete=models.PROTECT,
        related_name="seat",
    )
    membership = models.OneToOneField(
        "association.CouncilMembership",
        verbose_name=_("council membership"),
        on_delete=models.PROTECT,
        related_name="board_seat",
    )

    class Meta:
        verbose_name = _("board seat")
        verbose_name_plural = _("board seats")
        ordering = ["term", "order", "pk"]

    def __str__(self):
        return f"{self.term} · {self.get_office_display()} · {self.candidate}"

    def save(self, *args, **kwargs):
        self.order = office_rank(self.office)
        super().save(*args, **kwargs)
