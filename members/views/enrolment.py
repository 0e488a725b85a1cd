"""Who may set up two-factor login, and the staff's enrolment link.

Anyone may turn on two-factor login on allauth's set-up page, except a staff account that
has none yet: it enrols only after opening the single-use link the secretariat e-mails it
(services.two_factor_link_issue). A stolen password therefore reaches only an ordinary
signed-in account (the roles count only with two-factor) and cannot enrol the thief's
authenticator either.
"""

from allauth.mfa.totp import views as totp_views
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.views.decorators.http import require_http_methods

from .. import services
from ..roles import needs_two_factor_setup

# The link this session opened: it may enrol for TWO_FACTOR_LINK_SESSION_MINUTES.
SESSION_KEY = "members.two_factor_link"


def activate_totp(request):
    """allauth's TOTP set-up page, for a staff account only with the link it opened."""
    user = request.user
    if user.is_authenticated and needs_two_factor_setup(user):
        link_id = request.session.get(SESSION_KEY)
        if link_id is None or not services.two_factor_link_allows(link_id=link_id, user=user):
            return render(request, "members/two_factor_link_needed.html", status=403)
    return totp_views.activate_totp(request)


@login_required
@require_http_methods(["GET", "POST"])
def use_two_factor_link(request, token):
    """The link from the e-mail. GET only shows a button (mail scanners open links); the
    POST uses the link up and lets this session set up two-factor login."""
    errors = []
    if request.method == "POST":
        try:
            link = services.two_factor_link_use(token=token, user=request.user)
        except ValidationError as error:
            errors = error.messages
        else:
            request.session[SESSION_KEY] = link.pk
            return redirect("mfa_activate_totp")
    return render(
        request,
        "members/two_factor_link.html",
        {"errors": errors},
        status=400 if errors else 200,
    )


def forget_used_link(sender, request, user, **kwargs):
    """Once an authenticator is added, the session's link has served its purpose."""
    if request is not None and hasattr(request, "session"):
        request.session.pop(SESSION_KEY, None)
