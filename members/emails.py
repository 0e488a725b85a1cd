"""E-mails to applicants and members.

Every text is a translated string here; the templates under templates/emails/ only lay the
paragraphs out (subject, plain text and HTML), so the members catalogue holds all the words.
Each mailing (common.mail.notices) composes its messages from ids, in the worker and in
the association's language; the services queue them with association.outbox.send_on_commit.
"""

from django.conf import settings
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from association.models import AssociationProfile
from common.mail import absolute_url, email_message, notices

from .models import Application, Member, RepresentativeInvitation, TwoFactorEnrolment, User


def notice(*, to, subject, paragraphs, base_url="", link_path="", link_text=""):
    """One notice as plain text and HTML (None without a recipient); `link_path` becomes an
    absolute link on the site at `base_url`."""
    recipients = list(dict.fromkeys(address for address in to if address))
    if not recipients:
        return None
    profile = AssociationProfile.current()
    context = {
        "subject": subject,
        "paragraphs": paragraphs,
        "link_url": absolute_url(base_url, link_path) if link_path else "",
        "link_text": link_text,
        "association_name": profile.name or _("Social work association"),
        "signature": _("The secretariat of %(name)s")
        % {"name": profile.name or _("the association")},
    }
    return email_message("members_notice", context, to=recipients)


def _application_link(application):
    return reverse("members:application", args=[application.pk])


def _application(pk):
    return Application.objects.select_related("applicant", "member__user").get(pk=pk)


@notices
def application_submitted(*, application, base_url=""):
    """To the applicant, and to the secretariat's address when the profile has one."""
    application = _application(application)
    messages = [
        notice(
            base_url=base_url,
            to=[application.applicant.email],
            subject=_("We have received your membership application"),
            paragraphs=[
                _("Dear %(name)s,") % {"name": application.applicant.display_name},
                _(
                    "Thank you for applying to join as %(kind)s: %(applicant)s. The "
                    "secretariat will review your application and documents and write to you "
                    "with its decision."
                )
                % {"kind": application.get_kind_display(), "applicant": application.name},
            ],
            link_path=_application_link(application),
            link_text=_("Follow your application"),
        )
    ]
    profile = AssociationProfile.current()
    if profile.email:
        messages.append(
            notice(
                base_url=base_url,
                to=[profile.email],
                subject=_("New membership application: %(name)s") % {"name": application.name},
                paragraphs=[
                    _("A new application (%(kind)s) is waiting in the queue: %(name)s.")
                    % {"kind": application.get_kind_display(), "name": application.name}
                ],
                link_path=reverse("members:application-queue"),
                link_text=_("Open the application queue"),
            )
        )
    return messages


@notices
def application_returned(*, application, base_url=""):
    application = _application(application)
    return notice(
        base_url=base_url,
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


@notices
def application_rejected(*, application, base_url=""):
    application = _application(application)
    return notice(
        base_url=base_url,
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


@notices
def application_approved(*, application, base_url=""):
    application = _application(application)
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
    return notice(
        base_url=base_url,
        to=[application.applicant.email, voter.email if voter else ""],
        subject=_("Welcome: your membership application is approved"),
        paragraphs=paragraphs,
        link_path=reverse("members:me"),
        link_text=_("Open your membership page"),
    )


@notices
def representative_changed(*, member, previous=None, base_url=""):
    member = Member.objects.select_related("user").get(pk=member)
    previous = User.objects.filter(pk=previous).first() if previous else None
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
    return notice(
        base_url=base_url,
        to=[member.user.email, previous.email if previous else ""],
        subject=_("New voting representative for %(member)s") % {"member": member.name},
        paragraphs=paragraphs,
        link_path=reverse("members:me"),
        link_text=_("Open the membership page"),
    )


@notices
def representative_invited(*, invitation, base_url, path):
    """To the invited address: the single-use link to accept or decline. Written alike
    whether the address has an account or not (nobody looked it up)."""
    invitation = RepresentativeInvitation.objects.select_related(
        "application", "member", "invited_by"
    ).get(pk=invitation)
    if invitation.state != RepresentativeInvitation.State.PENDING:
        return None  # replaced or void before the worker got to it
    profile = AssociationProfile.current()
    values = {
        "inviter": invitation.invited_by.display_name,
        "unit": invitation.unit_name,
        "association": profile.name or _("the association"),
        "email": invitation.email,
    }
    if invitation.application_id:
        named = _(
            "%(inviter)s has named you, in the membership application of %(unit)s to "
            "%(association)s, as the unit's voting representative (会员代表): the person who "
            "votes for the unit at the association's meetings and elections."
        )
    else:
        named = _(
            "%(inviter)s invites you to become the voting representative (会员代表) of "
            "%(unit)s, a unit member of %(association)s: the person who votes for the unit "
            "at the association's meetings and elections."
        )
    return notice(
        to=[invitation.email],
        subject=_("Invitation: voting representative of %(unit)s") % values,
        paragraphs=[
            _("Hello,"),
            named % values,
            _(
                "Open the link below and sign in with the account of this address "
                "(%(email)s) to accept or decline. If you have no account on the portal yet, "
                "sign up with this address, confirm it from the e-mail you will receive, and "
                "open the link again."
            )
            % values,
            _(
                "The link works once, until %(date)s. If you did not expect this invitation, "
                "ignore this e-mail: nothing changes unless you accept."
            )
            % {"date": date_format(localtime(invitation.expires_at), "DATE_FORMAT")},
        ],
        base_url=base_url,
        link_path=path,
        link_text=_("Answer the invitation"),
    )


@notices
def representative_invitation_answered(*, invitation, base_url="", told=()):
    """To whoever sent the invitation (and, for an application, the applicant if that is
    someone else): the invitee has accepted or declined. Not to the person who answered,
    nor to `told` (account ids the handover's own e-mail reaches already). A decline names
    only the address: the account behind it stays unnamed, as it was when inviting."""
    invitation = RepresentativeInvitation.objects.select_related(
        "application__applicant", "member", "invited_by", "answered_by"
    ).get(pk=invitation)
    accepted = invitation.state == RepresentativeInvitation.State.ACCEPTED
    if not accepted and invitation.state != RepresentativeInvitation.State.DECLINED:
        return None
    people = [invitation.invited_by]
    if invitation.application_id:
        people.append(invitation.application.applicant)
        link_path = _application_link(invitation.application)
        link_text = _("Open the application")
    else:
        link_path = reverse("members:member-representative", args=[invitation.member_id])
        link_text = _("Open the representative page")
    skipped = {invitation.answered_by_id, *told}
    recipients = list({person.pk: person for person in people if person.pk not in skipped}.values())
    values = {
        "unit": invitation.unit_name,
        "email": invitation.email,
        "invitee": invitation.answered_by.display_name if invitation.answered_by else "",
    }
    if accepted:
        subject = _("Invitation accepted: voting representative of %(unit)s") % values
        answer = _(
            "%(invitee)s (%(email)s) has accepted your invitation to be the voting "
            "representative (会员代表) of %(unit)s."
        )
        if invitation.application_id:
            outcome = _(
                "The application names them as the unit's voting representative: once the "
                "unit is admitted, they vote for it."
            )
        else:
            outcome = _(
                "They vote for the unit from now on, in place of its former representative."
            )
    else:
        subject = _("Invitation declined: voting representative of %(unit)s") % values
        answer = _(
            "The invitation you sent to %(email)s to be the voting representative (会员代表) "
            "of %(unit)s has been declined."
        )
        if invitation.application_id:
            outcome = _(
                "The application names no other representative. Invite someone else, or "
                "represent the unit yourself, from the application page."
            )
        else:
            outcome = _(
                "Nothing has changed: the unit keeps its voting representative. You may "
                "invite someone else from the representative page."
            )
    return [
        notice(
            base_url=base_url,
            to=[person.email],
            subject=subject,
            paragraphs=[
                _("Dear %(name)s,") % {"name": person.display_name},
                answer % values,
                outcome,
            ],
            link_path=link_path,
            link_text=link_text,
        )
        for person in recipients
    ]


@notices
def two_factor_link(*, link, base_url, path):
    """To a staff account: the single-use link that lets it set up two-factor login."""
    link = TwoFactorEnrolment.objects.select_related("user").get(pk=link)
    hours = settings.TWO_FACTOR_LINK_HOURS
    return notice(
        to=[link.user.email],
        subject=_("Set up two-factor login for your staff account"),
        paragraphs=[
            _("Dear %(name)s,") % {"name": link.user.display_name},
            _(
                "Your account has a staff role. It counts only once two-factor login is set "
                "up, and a staff account sets it up only from a link like this one. Sign in "
                "with your password, open the link and follow the steps: you will need an "
                "authenticator app on your phone."
            ),
            ngettext(
                "The link works once and for %(hours)s hour. If you did not expect it, tell "
                "the secretariat.",
                "The link works once and for %(hours)s hours. If you did not expect it, tell "
                "the secretariat.",
                hours,
            )
            % {"hours": hours},
        ],
        base_url=base_url,
        link_path=path,
        link_text=_("Set up two-factor login"),
    )
