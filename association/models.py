from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AssociationProfile(models.Model):
    """The association itself: one row, edited by the secretariat in the admin."""

    name = models.CharField(_("name"), max_length=100)
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


class AnnouncementQuerySet(models.QuerySet):
    def published(self):
        return self.filter(is_published=True, published_at__lte=timezone.now())


class Announcement(models.Model):
    """A short notice on the home page."""

    title = models.CharField(_("title"), max_length=200)
    body = models.TextField(_("text"))
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    is_published = models.BooleanField(_("published"), default=True)

    objects = AnnouncementQuerySet.as_manager()

    class Meta:
        verbose_name = _("announcement")
        verbose_name_plural = _("announcements")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title
