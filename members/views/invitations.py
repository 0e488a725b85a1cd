"""Answering an invitation to be a unit's voting representative (members.models.invitation).

The link from the e-mail is the only way in. Signed out, the page says how to sign in or
sign up and looks nothing up; the link is kept in the session so that the login after a
sign-up and an address confirmation comes back here (AccountAdapter.get_login_redirect_url).
Signed in, GET shows the invitation with two buttons (mail scanners follow links: a GET
answers nothing) and the POST accepts or declines, only from an account that has verified
the invited address. A staff account may open and decline an invitation but not accept
it (roles.may_represent_a_unit): the page says why and offers only the decline.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from .. import services
from ..adapters import INVITATION_SESSION_KEY
from ..models import RepresentativeInvitation, invitation_token_hash
from ..roles import may_represent_a_unit

REFUSAL_STATUS = {"unknown": 404, "closed": 410, "expired": 410, "wrong_account": 403}


def _refused(request, token, error):
    """Why the link cannot be used: a clear page, never an error. Whoever answered it sees
    their answer (and, when they try to answer again, that the link works once)."""
    answered = (
        RepresentativeInvitation.objects.select_related("application", "member")
        .filter(token_hash=invitation_token_hash(token), answered_by=request.user)
        .first()
    )
    if answered is not None and request.method != "POST":
        return render(request, "members/invitation.html", {"answered": answered})
    return render(
        request,
        "members/invitation.html",
        {"errors": error.messages, "answered": answered},
        status=REFUSAL_STATUS.get(error.error_list[0].code, 400),
    )


def _invitation_page(request, invitation, *, errors=(), status=200):
    context = {"invitation": invitation, "errors": list(errors)}
    if not may_represent_a_unit(request.user):
        context["staff_refusal"] = services.STAFF_CANNOT_REPRESENT
    return render(request, "members/invitation.html", context, status=status)


@require_http_methods(["GET", "HEAD", "POST"])
def answer_invitation(request, token):
    if not request.user.is_authenticated:
        if request.method == "GET":
            request.session[INVITATION_SESSION_KEY] = request.path
        return render(request, "members/invitation.html", {"sign_in": True, "next": request.path})
    try:
        invitation = services.representative_invitation_for(token=token, user=request.user)
    except ValidationError as error:
        return _refused(request, token, error)
    if request.method == "POST":
        answer = request.POST.get("answer")
        try:
            if answer == "accept":
                services.representative_invitation_accept(
                    token=token, actor=request.user, base_url=request.build_absolute_uri("/")
                )
                services.forget_cached_roles(request.user)
                messages.success(request, _("You have accepted the invitation."))
            elif answer == "decline":
                services.representative_invitation_decline(
                    token=token, actor=request.user, base_url=request.build_absolute_uri("/")
                )
                messages.success(request, _("You have declined the invitation."))
            else:
                return _invitation_page(
                    request, invitation, errors=[_("Choose to accept or to decline.")], status=400
                )
        except ValidationError as error:
            if error.error_list[0].code == "staff":
                return _invitation_page(request, invitation, status=403)
            return _refused(request, token, error)
        return redirect(request.path)
    return _invitation_page(request, invitation)
