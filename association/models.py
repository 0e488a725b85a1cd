from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from common.checkin import new_check_in_code
from common.text import SingleLineCharField
from common.uploads import clean_pdf
from elections.ballot_box.tally import Base, Comparison, Threshold

from .jobs import ExportJob  # noqa: F401 (a model of this app, kept with its tasks)
from .outbox import OutboxMessage  # noqa: F401 (a model of this app, kept with its outbox)


class AssociationProfile(models.Model):
    """The association itself: one row, edited by the secretariat in the admin."""

    name = SingleLineCharField(_("name"), max_length=100)
    short_name = models.CharField(_("short name"), max_length=40, blank=True)
    introduction = models.TextField(_("introduction"), blank=True)
    city = models.ForeignKey(
        "stations.Division",
        verbose_name=_("city"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        help_text=_("The city whose townships the association's coverage figures count."),
    )
    founded_on = models.DateField(_("founded on"), null=True, blank=True)
    address = models.CharField(_("address"), max_length=200, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    member_number_prefix = models.CharField(
        _("member number prefix"),
        max_length=12,
        default="SW",
        help_text=_("Member numbers look like PREFIX-2026-0001."),
    )

    class Meta:
        verbose_name = _("association profile")
        verbose_name_plural = _("association profile")

    def __str__(self):
        return self.name

    @classmethod
    def current(cls):
        """The profile, or an unsaved blank one before the secretariat has filled it in."""
        return cls.objects.select_related("city").order_by("pk").first() or cls(name="")

    @classmethod
    def for_request(cls, request):
        """The profile, read once per request however many views and templates ask."""
        profile = getattr(request, "_association_profile", None)
        if profile is None:
            profile = request._association_profile = cls.current()
        return profile


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class Announcement(models.Model):
    """A short notice on the home page."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(
        pgettext_lazy("document", "published at"), default=timezone.now
    )
    is_published = models.BooleanField(_("published"), default=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title


# Documents, meetings and motions -------------------------------------------------------------


def validate_pdf_file(value):
    """Model-level check for document PDFs: the content must really be a PDF."""
    clean_pdf(value)


class DocumentQuerySet(models.QuerySet):
    def in_force(self):
        return self.filter(version_in_force__isnull=False)


class Document(models.Model):
    """A governing document (charter, rules) whose versions are adopted by motions."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("charter")
        ELECTION_RULES = "election_rules", _("election rules")
        FUND_RULES = "fund_rules", _("fund-management rules")
        OTHER = "other", _("other rules")

    title = SingleLineCharField(_("title"), max_length=200)
    kind = models.CharField(
        _("type of document"), max_length=20, choices=Kind.choices, default=Kind.OTHER
    )
    position = models.PositiveSmallIntegerField(
        pgettext_lazy("order in a list", "position"),
        default=0,
        help_text=_("Documents are listed in this order."),
    )
    # Set only by association.services.document_version_put_in_force, when a motion adopting
    # the version is published as passed: nobody can put a wording in force by hand.
    version_in_force = models.ForeignKey(
        "DocumentVersion",
        verbose_name=_("version in force"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    objects = DocumentQuerySet.as_manager()

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["position", "pk"]

    def __str__(self):
        return self.title


class DocumentVersion(models.Model):
    """One wording of a document; it comes into force only when a motion adopts it."""

    document = models.ForeignKey(
        Document, verbose_name=_("document"), on_delete=models.PROTECT, related_name="versions"
    )
    number = models.PositiveIntegerField(_("version"), editable=False)
    label = models.CharField(
        _("label"), max_length=100, blank=True, help_text=_("For example 草案 or 修订稿.")
    )
    text = models.TextField(_("text"))
    pdf = models.FileField(
        _("PDF"),
        upload_to="documents/%Y/",
        blank=True,
        validators=[validate_pdf_file],
        help_text=_("Optional: the signed or printed version as a PDF document."),
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now, editable=False)
    adopted_on = models.DateField(_("adopted on"), null=True, blank=True, editable=False)
    adopted_by = models.ForeignKey(
        "Motion",
        verbose_name=_("adopted by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="+",
    )

    class Meta:
        verbose_name = _("document version")
        verbose_name_plural = _("document versions")
        ordering = ["document", "number"]
        constraints = [
            models.UniqueConstraint(fields=["document", "number"], name="document_version_unique")
        ]

    def __str__(self):
        if self.label:
            return f"{self.document} v{self.number}（{self.label}）"
        return f"{self.document} v{self.number}"

    def save(self, *args, **kwargs):
        if self.number is None:
            last = DocumentVersion.objects.filter(document_id=self.document_id).aggregate(
                last=models.Max("number")
            )["last"]
            self.number = (last or 0) + 1
        super().save(*args, **kwargs)

    @property
    def is_in_force(self):
        return self.pk is not None and self.document.version_in_force_id == self.pk

    def is_locked(self):
        """Adopted wordings, and wordings put to a vote, must not change any more."""
        if self.pk is None:
            return False
        if self.adopted_on is not None:
            return True
        return self.motions.exclude(poll__isnull=True).exclude(poll__state="draft").exists()


class Meeting(models.Model):
    """A general assembly, council or standing-council meeting with its frozen roll."""

    class Body(models.TextChoices):
        GENERAL_ASSEMBLY = "general_assembly", _("general assembly")
        COUNCIL = "council", _("council")
        STANDING_COUNCIL = "standing_council", _("standing council")

    class Mode(models.TextChoices):
        IN_PERSON = "in_person", _("in person")
        ONLINE = "online", _("online")
        HYBRID = "hybrid", _("hybrid")

    title = SingleLineCharField(_("title"), max_length=200)
    body = models.CharField(_("body"), max_length=20, choices=Body.choices)
    starts_at = models.DateTimeField(_("starts at"))
    place = SingleLineCharField(_("place"), max_length=200, blank=True)
    mode = models.CharField(_("mode"), max_length=10, choices=Mode.choices, default=Mode.IN_PERSON)
    quorum = models.CharField(
        _("quorum"),
        max_length=20,
        choices=Threshold.choices,
        default=Threshold.AT_LEAST_TWO_THIRDS,
        help_text=_("The share of the roll that must be present for the meeting to be valid."),
    )
    check_in_code = models.CharField(
        _("check-in code"), max_length=8, default=new_check_in_code, editable=False
    )
    check_in_open = models.BooleanField(_("check-in open"), default=False, editable=False)
    roll_frozen_at = models.DateTimeField(
        _("roll frozen at"), null=True, blank=True, editable=False
    )

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return self.title

    @property
    def held_on(self):
        return timezone.localdate(self.starts_at)

    @property
    def roll_frozen(self):
        return self.roll_frozen_at is not None

    def quorum_now(self):
        """Present against entitled, as a Comparison (its .passed says whether quorum holds)."""
        counts = self.roll.aggregate(
            entitled=models.Count("pk"),
            present=models.Count("pk", filter=models.Q(present_at__isnull=False)),
        )
        return Comparison(self.quorum, counts["present"], counts["entitled"])


class RollEntry(models.Model):
    """One entitled voter of a meeting, frozen with the account that acts for them."""

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="roll"
    )
    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="roll_entries",
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("voting account"),
        on_delete=models.PROTECT,
        related_name="roll_entries",
    )
    present_at = models.DateTimeField(_("checked in at"), null=True, blank=True)
    checked_in_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("checked in by"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )

    class Meta:
        verbose_name = _("roll entry")
        verbose_name_plural = _("roll")
        ordering = ["meeting", "member__number", "member__name", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "member"], name="roll_entry_member_unique"),
            # One account, one seat: a person holding several memberships votes once.
            models.UniqueConstraint(fields=["meeting", "user"], name="roll_entry_user_unique"),
        ]

    def __str__(self):
        return f"{self.meeting}: {self.member}"


class CouncilMembershipQuerySet(models.QuerySet):
    def current(self, *, body, on=None):
        """Seats held on `on` that belong to `body` (standing-council seats are council seats)."""
        on = on or timezone.localdate()
        seats = self.filter(starts_on__lte=on).exclude(ends_on__lt=on)
        if body == CouncilMembership.Body.STANDING_COUNCIL:
            return seats.filter(body=CouncilMembership.Body.STANDING_COUNCIL)
        return seats


class CouncilMembership(models.Model):
    """A seat on the council (理事会) or standing council (常务理事会) for a term.

    Entered in the admin until board elections create these rows from certified results.
    """

    class Body(models.TextChoices):
        COUNCIL = "council", _("council")
        STANDING_COUNCIL = "standing_council", _("standing council")

    class Office(models.TextChoices):
        NONE = "", _("council member")
        PRESIDENT = "president", _("president")
        VICE_PRESIDENT = "vice_president", _("vice-president")
        SECRETARY_GENERAL = "secretary_general", _("secretary-general")

    member = models.ForeignKey(
        "members.Member",
        verbose_name=_("member"),
        on_delete=models.PROTECT,
        related_name="council_memberships",
    )
    body = models.CharField(_("body"), max_length=20, choices=Body.choices, default=Body.COUNCIL)
    office = models.CharField(
        _("office"), max_length=20, choices=Office.choices, default=Office.NONE, blank=True
    )
    starts_on = models.DateField(_("term starts on"))
    ends_on = models.DateField(_("term ends on"), null=True, blank=True)

    objects = CouncilMembershipQuerySet.as_manager()

    class Meta:
        verbose_name = _("council membership")
        verbose_name_plural = _("council memberships")
        ordering = ["-starts_on", "body", "member__name"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_on__isnull=True)
                | models.Q(ends_on__gte=models.F("starts_on")),
                name="council_membership_term_order",
            )
        ]

    def __str__(self):
        return f"{self.member} · {self.get_body_display()}"


class Motion(models.Model):
    """A motion (议案) put to a meeting's vote; its poll is the ballot box that counts it."""

    class Kind(models.TextChoices):
        CHARTER = "charter", _("charter adoption or amendment, or dissolution")
        RESOLUTION = "resolution", _("other resolution or decision")

    meeting = models.ForeignKey(
        Meeting, verbose_name=_("meeting"), on_delete=models.PROTECT, related_name="motions"
    )
    number = models.PositiveSmallIntegerField(_("number"), default=1)
    title = SingleLineCharField(_("title"), max_length=200)
    text = models.TextField(_("text"), blank=True)
    kind = models.CharField(_("type of motion"), max_length=20, choices=Kind.choices)
    threshold = models.CharField(
        _("threshold"),
        max_length=20,
        choices=Threshold.choices,
        blank=True,
        help_text=_("Leave empty for the rule of the charter for this kind of motion."),
    )
    base = models.CharField(
        _("base"),
        max_length=10,
        choices=Base.choices,
        blank=True,
        help_text=_("Leave empty for the rule of the charter for this kind of motion."),
    )
    document_version = models.ForeignKey(
        DocumentVersion,
        verbose_name=_("document version to adopt"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="motions",
    )
    poll = models.OneToOneField(
        "elections.Poll",
        verbose_name=_("poll"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        editable=False,
        related_name="motion",
    )

    class Meta:
        verbose_name = _("motion")
        verbose_name_plural = _("motions")
        ordering = ["meeting", "number", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["meeting", "number"], name="motion_number_unique")
        ]

    def __str__(self):
        return self.title

    @staticmethod
    def default_rule(*, kind, body):
        """Council decisions and charter changes need at least 2/3 of those present; other
        general-assembly resolutions more than 1/2 of those present."""
        if body != Meeting.Body.GENERAL_ASSEMBLY or kind == Motion.Kind.CHARTER:
            return Threshold.AT_LEAST_TWO_THIRDS, Base.PRESENT
        return Threshold.MORE_THAN_HALF, Base.PRESENT

    def clean(self):
        if self.meeting_id and self.kind:
            threshold, base = self.default_rule(kind=self.kind, body=self.meeting.body)
            self.threshold = self.threshold or threshold
            self.base = self.base or base
        version = self.document_version
        if (
            version is not None
            and version.document.kind == Document.Kind.CHARTER
            and self.kind != self.Kind.CHARTER
        ):
            raise ValidationError(
                {"kind": _("A motion that adopts a charter version is a charter motion.")}
            )

    def result(self):
        """The counted result once the poll is closed (None before)."""
        poll = self.poll
        if poll is None or poll.roll_count is None:
            return None
        totals = poll.totals()
        if totals is None:
            return None
        return MotionResult(
            threshold=self.threshold,
            base=self.base,
            quorum_threshold=self.meeting.quorum,
            yes=totals["yes"],
            no=totals["no"],
            abstain=totals["abstain"],
            entitled=poll.roll_count,
            present=poll.present_count,
        )


class MotionResult:
    """Counts of a motion and the two tests it must pass: quorum, then its threshold."""

    def __init__(self, *, threshold, base, quorum_threshold, yes, no, abstain, entitled, present):
        self.threshold = threshold
        self.base = base
        self.yes, self.no, self.abstain = yes, no, abstain
        self.entitled, self.present = entitled, present
        # Abstentions are ballots cast: they count in every base and never as yes.
        self.cast = yes + no + abstain
        self.base_count = {Base.PRESENT: present, Base.CAST: self.cast, Base.ENTITLED: entitled}[
            Base(base)
        ]
        self.quorum = Comparison(quorum_threshold, present, entitled)
        self.vote = Comparison(threshold, yes, self.base_count)

    @property
    def adopted(self):
        return self.quorum.passed and self.vote.passed

    @property
    def quorum_arithmetic(self):
        """E.g. "61 ≥ 2/3 × 80 = 53.33 → quorum reached"."""
        return self.quorum.arithmetic(gettext("quorum reached"), gettext("no quorum"))

    @property
    def vote_arithmetic(self):
        """E.g. "41 ≥ 2/3 × 61 = 40.67 → passed"; without quorum the motion was not
        considered, whatever the count, and the line says so instead of "passed"."""
        if not self.quorum.passed:
            unconsidered = gettext("not considered: no quorum")
            return self.vote.arithmetic(unconsidered, unconsidered)
        return self.vote.arithmetic()

    def get_threshold_display(self):
        return Threshold(self.threshold).label

    def get_base_display(self):
        return Base(self.base).label
