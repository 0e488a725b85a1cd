"""E-mails to applicants and members.

Every text is a translated string here; the templates under templates/emails/ only lay the
paragraphs out (subject, plain text and HTML), so the members catalogue holds all the words.
"""

import logging

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.translation import gettext as _

from association.models import AssociationProfile

logger = logging.getLogger(__name__)


def send_notice(*, request, to, subject, paragraphs, link_path="", link_text=""):
    """Send one notice as plain text and HTML; `link_path` becomes an absolute link."""
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return
    profile = AssociationProfile.current()
    context = {
        "subject": subject,
        "paragraphs": paragraphs,
        "link_url": request.build_absolute_uri(link_path) if link_path else "",
        "link_text": link_text,
        "association_name": profile.name or _("Social work association"),
        "signature": _("The secretariat of %(name)s")
        % {"name": profile.name or _("the association")},
    }
    message = EmailMultiAlternatives(
        subject=render_to_string("emails/members_notice_subject.txt", context).strip(),
        body=render_to_string("emails/members_notice.txt", context),
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=recipients,
    )
    message.attach_alternative(render_to_string("emails/members_notice.html", context), "text/html")
    message.send()


def _application_link(application):
    return reverse("members:application", args=[application.pk])


def application_submitted(request, application):
    send_notice(
        request=request,
        to=[application.applicant.email],
        subject=_("We have received your membership application"),
        paragraphs=[
            _("Dear %(name)s,") % {"name": application.applicant.display_name},
            _(
                "Thank you for applying to join as %(kind)s: %(applicant)s. The secretariat "
                "will review your application and documents and write to you with its decision."
            )
            % {"kind": application.get_kind_display(), "applicant": application.name},
        ],
        link_path=_application_link(application),
        link_text=_("Follow your application"),
    )
    profile = AssociationProfile.current()
    if profile.email:
        send_notice(
            request=request,
            to=[profile.email],
            subject=_("New membership application: %(name)s") % {"name": application.name},
            paragraphs=[
                _("A new application (%(kind)s) is waiting in the queue: %(name)s.")
                % {"kind": application.get_kind_display(), "name": application.name}
            ],
            link_path=reverse("members:application-queue"),
            link_text=_("Open the application queue"),
        )


def application_returned(request, application):
    send_notice(
        request=request,
        to=[application.applicant.email],
        subject=_("Your membership application needs changes"),
        paragraphs=[
            _("Dear %(name)s,") % {"name": application.applicant.display_name},
            _(
                "The secretariat has sent your application back for changes. Please correct it "
                "and submit it again."
            ),
            _("The secretariat wrote: %(reason)s") % {"reason": application.decision_reason},
        ],
        link_path=_application_link(application),
        link_text=_("Change your application"),
    )


def application_rejected(request, application):
    send_notice(
        request=request,
        to=[application.applicant.email],
        subject=_("Your membership application was not accepted"),
        paragraphs=[
            _("Dear %(name)s,") % {"name": application.applicant.display_name},
            _("We are sorry: the association has not accepted your application."),
            _("The reason given: %(reason)s") % {"reason": application.decision_reason},
        ],
        link_path=_application_link(application),
        link_text=_("See your application"),
    )


def application_approved(request, application):
    member = application.member
    voter = member.user
    paragraphs = [
        _("Dear %(name)s,") % {"name": application.applicant.display_name},
        _(
            "Welcome! %(member)s has been admitted as %(kind)s with member number %(number)s. "
            "The member certificate can be downloaded from the membership page."
        )
        % {"member": member.name, "kind": member.get_kind_display(), "number": member.number},
    ]
    if voter is not None and voter.pk != application.applicant_id:
        paragraphs.append(
            _("%(representative)s is the unit's voting representative.")
            % {"representative": voter.display_name}
        )
    send_notice(
        request=request,
        to=[application.applicant.email, voter.email if voter else ""],
        subject=_("Welcome: your membership application is approved"),
        paragraphs=paragraphs,
        link_path=reverse("members:me"),
        link_text=_("Open your membership page"),
    )


def representative_changed(request, member, previous):
    paragraphs = [
        _(
            "%(representative)s is now the voting representative of %(member)s (member number "
            "%(number)s) and votes for it in the association."
        )
        % {
            "representative": member.user.display_name,
            "member": member.name,
            "number": member.number,
        }
    ]
    send_notice(
        request=request,
        to=[member.user.email, previous.email if previous else ""],
        subject=_("New voting representative for %(member)s") % {"member": member.name},
        paragraphs=paragraphs,
        link_path=reverse("members:me"),
        link_text=_("Open the membership page"),
    )
