"""The portal's pages plus a bare flow of the vote's shape, for bench/vote_burst.py only.

The bare flow goes through the same middleware, session, login check, CSRF and base
template as the vote: a page with a form, a confirmation page, and a last POST that does
one INSERT into a table the benchmark made. The vote flow's cost above it is the ballot
box's own.
"""

import secrets

from django.contrib.auth.decorators import login_required
from django.db import connection
from django.http import HttpResponse
from django.middleware.csrf import get_token
from django.template import engines
from django.urls import path
from django.views.decorators.http import require_GET, require_POST

from association.urls import urlpatterns as portal_urlpatterns

BARE_TABLE = "bench_bare_ballot"
ALPHABET = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"

_PAGE = engines["django"].from_string(
    """{% extends "base.html" %}{% block title %}bare{% endblock %}{% block content %}
<form method="post" action="{{ action }}">{% csrf_token %}
{% for name, value in hidden %}
<input type="hidden" name="{{ name }}" value="{{ value }}">{% endfor %}
{% for value in options %}
<label><input type="radio" name="vote" value="{{ value }}"> {{ value }}</label>{% endfor %}
<button type="submit">OK</button></form>
{% if receipt %}<p id="receipt" data-receipt="{{ receipt }}">{{ receipt }}</p>{% endif %}
{% endblock %}"""
)


def _render(request, **context):
    get_token(request)
    return HttpResponse(_PAGE.render(context, request))


@login_required
@require_GET
def bare_page(request, pk):
    return _render(request, action=f"/bench/bare/{pk}/confirm/", options=("yes", "no", "abstain"))


@login_required
@require_POST
def bare_confirm(request, pk):
    vote = request.POST.get("vote", "")
    return _render(request, action=f"/bench/bare/{pk}/cast/", hidden=[("vote", vote)])


@login_required
@require_POST
def bare_cast(request, pk):
    raw = "".join(secrets.choice(ALPHABET) for _ in range(12))
    receipt = f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {BARE_TABLE} (poll_id, vote, receipt) VALUES (%s, %s, %s)",  # noqa: S608
            [pk, request.POST.get("vote", ""), receipt],
        )
    return _render(request, receipt=receipt)


urlpatterns = [
    path("bench/bare/<int:pk>/", bare_page),
    path("bench/bare/<int:pk>/confirm/", bare_confirm),
    path("bench/bare/<int:pk>/cast/", bare_cast),
    *portal_urlpatterns,
]

handler403 = "association.views.pages.permission_denied"
handler404 = "association.views.pages.page_not_found"
handler500 = "association.views.pages.server_error"
