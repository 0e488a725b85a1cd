"""E-mails of continuing education: a seat given from the waiting list, a decision on
hours earned elsewhere, and the reminder before a registration period ends.

Each mailing (common.mail.notices) composes its messages from ids in the portal's notice
layout, in the worker and in the association's language; the services queue them with
association.outbox.send_on_commit.
"""

from django.urls import reverse
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from common.mail import notices
from members.emails import notice

from .models import OutsideHours, Registration, RegistrationPeriod


def _date(value):
    return formats.date_format(value, "DATE_FORMAT")


@notices
def seat_given(*, registrations, base_url=""):
    """To each person moved up from the waiting list."""
    registrations = Registration.objects.filter(pk__in=registrations).select_related(
        "user", "training"
    )
    return [_seat_given(registration, base_url=base_url) for registration in registrations]


def _seat_given(registration, *, base_url=""):
    training = registration.training
    paragraphs = [
        _("Dear %(name)s,") % {"name": registration.user.display_name},
        _(
            "A seat has become free at %(training)s and it is yours: you have moved up from "
            "the waiting list."
        )
        % {"training": training.title},
    ]
    starts_at = training.starts_at()
    if starts_at:
        paragraphs.append(
            _("It starts on %(time)s.")
            % {"time": formats.date_format(timezone.localtime(starts_at), "DATETIME_FORMAT")}
        )
    paragraphs.append(
        _(
            "If you cannot come, please cancel on the training's page, so that the next "
            "person on the waiting list gets the seat."
        )
    )
    return notice(
        base_url=base_url,
        to=[registration.user.email],
        subject=_("You have a seat: %(training)s") % {"training": training.title},
        paragraphs=paragraphs,
        link_path=reverse("training:training", args=[training.pk]),
        link_text=_("The training's page"),
    )


@notices
def outside_hours_decided(*, entry, base_url=""):
    entry = OutsideHours.objects.select_related("user").get(pk=entry)
    if entry.status == entry.Status.APPROVED:
        outcome = _(
            "The secretariat has accepted %(hours)s hours for %(title)s: they count in your "
            "registration period."
        ) % {"hours": entry.hours, "title": entry.title}
    else:
        outcome = _(
            "The secretariat could not accept the %(hours)s hours for %(title)s. Reason: %(reason)s"
        ) % {"hours": entry.hours, "title": entry.title, "reason": entry.reason}
    return notice(
        base_url=base_url,
        to=[entry.user.email],
        subject=_("Your hours from elsewhere: %(title)s") % {"title": entry.title},
        paragraphs=[_("Dear %(name)s,") % {"name": entry.user.display_name}, outcome],
        link_path=reverse("training:mine"),
        link_text=_("Your continuing-education record"),
    )


@notices
def hours_reminder(*, period, months, base_url=""):
    period = RegistrationPeriod.objects.with_hours().select_related("user").get(pk=period)
    missing = period.required - period.hours
    return notice(
        base_url=base_url,
        to=[period.user.email],
        subject=_("%(months)s months left to complete your continuing-education hours")
        % {"months": months},
        paragraphs=[
            _("Dear %(name)s,") % {"name": period.user.display_name},
            _(
                "Your registration period ends on %(end)s. You have %(hours)s of the "
                "%(required)s hours of continuing education it requires: %(missing)s hours "
                "are still missing."
            )
            % {
                "end": _date(period.ends_on),
                "hours": period.hours,
                "required": period.required,
                "missing": missing,
            },
            _(
                "The association's trainings are listed on the portal; hours earned elsewhere "
                "count too once you submit them with their evidence and the secretariat "
                "accepts them."
            ),
        ],
        link_path=reverse("training:mine"),
        link_text=_("Your continuing-education record"),
    )
