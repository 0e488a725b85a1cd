"""The secretariat's control panel: open, close, count and publish polls; the audit log."""

from django.contrib import messages
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST, require_safe

from association.outbox import OutboxMessage, outbox_counts, outbox_retry
from common.actions import run_action
from common.params import query_int, query_page
from members.roles import secretariat_required

from . import emails
from .models import AuditEntry, Poll
from .services import poll_close, poll_open, poll_publish, poll_totals_enter


def _get_poll(pk):
    return get_object_or_404(Poll.objects.select_related("meeting"), pk=pk)


def turnout(poll):
    """How many are entitled, present and have voted: counts only, never who voted how."""
    counts = poll.meeting.roll.aggregate(
        entitled=Count("pk"), present=Count("pk", filter=Q(present_at__isnull=False))
    )
    counts["voted"] = poll.participations.count()
    return counts


@secretariat_required
@require_safe
def manage_polls(request):
    polls = (
        Poll.objects.select_related("meeting")
        .annotate(voted=Count("participations"))
        .order_by("-meeting__starts_at", "meeting", "pk")
    )
    page = query_page(request, polls, 25)
    return render(request, "elections/ballot_box/manage_polls.html", {"page": page})


@secretariat_required
@require_safe
def manage_poll(request, pk):
    poll = _get_poll(pk)
    kind = poll.kind_handler()
    totals_form = None
    if poll.method == Poll.Method.ANALOG and poll.state == Poll.State.CLOSED:
        totals_form = kind.totals_form(poll)
    entries = poll.audit_entries.select_related("actor").order_by("-at", "-pk")[:50]
    quorum = poll.meeting.quorum_now() if poll.state == Poll.State.DRAFT else None
    return render(
        request,
        "elections/ballot_box/manage_poll.html",
        {
            "poll": poll,
            "turnout": turnout(poll),
            "totals_form": totals_form,
            "entries": entries,
            "quorum": quorum,
            "mail": outbox_counts(emails.topic(poll)),
            **kind.subject_context(poll),
        },
    )


@never_cache
@secretariat_required
@require_safe
def show_turnout(request, pk):
    """Live turnout for the control panel (polled by static/elections/live.js)."""
    poll = _get_poll(pk)
    return JsonResponse({"state": poll.state, "state_label": poll.state_label(), **turnout(poll)})


def _panel(poll):
    return reverse("elections:manage-poll", args=[poll.pk])


def _act_on_poll(request, pk, action, *, success):
    """Run `action(poll)`, a poll service, from a POST and go back to the control panel."""
    poll = _get_poll(pk)
    return run_action(request, lambda: action(poll), success=success, redirect_to=_panel(poll))


@secretariat_required
@require_POST
def open_poll(request, pk):
    """Open a poll; at a meeting without quorum only once the secretariat confirms it (a
    vote taken then may not count, but the roll can still fill while the poll is open)."""
    poll = _get_poll(pk)
    if not poll.meeting.quorum_now().passed and request.POST.get("without_quorum") != "1":
        messages.error(
            request,
            _(
                "The meeting has no quorum yet. To open the poll all the same, tick the box "
                "that confirms it."
            ),
        )
        return redirect(_panel(poll))
    base_url = request.build_absolute_uri("/")
    return _act_on_poll(
        request,
        pk,
        lambda poll: poll_open(poll=poll, actor=request.user, base_url=base_url),
        success=lambda poll: (
            _("The poll is open. The e-mails to the voters on the roll are on their way.")
            if poll.is_online
            else _("The poll is open. Voting is on paper in the room.")
        ),
    )


@secretariat_required
@require_POST
def close_poll(request, pk):
    return _act_on_poll(
        request,
        pk,
        lambda poll: poll_close(
            poll=poll, actor=request.user, scrutineer_codes=request.POST.getlist("code")
        ),
        success=_("The poll is closed. The bulletin board is sealed with its digest."),
    )


@secretariat_required
@require_POST
def publish_poll(request, pk):
    base_url = request.build_absolute_uri("/")
    return _act_on_poll(
        request,
        pk,
        lambda poll: poll_publish(poll=poll, actor=request.user, base_url=base_url),
        success=_("The results are published."),
    )


@secretariat_required
@require_POST
def enter_totals(request, pk):
    return _act_on_poll(
        request,
        pk,
        lambda poll: poll_totals_enter(poll=poll, actor=request.user, totals=request.POST),
        success=_("The counted totals are saved."),
    )


@secretariat_required
@require_POST
def retry_poll_mail(request, pk):
    """Queue the poll's failed e-mails again."""
    poll = _get_poll(pk)
    return run_action(
        request,
        lambda: outbox_retry(
            messages=OutboxMessage.objects.filter(topic=emails.topic(poll)), actor=request.user
        ),
        success=lambda count: (
            ngettext(
                "%(count)s e-mail is queued again.", "%(count)s e-mails are queued again.", count
            )
            % {"count": count}
        ),
        redirect_to=_panel(poll),
    )


@secretariat_required
@require_safe
def show_audit_log(request):
    entries = AuditEntry.objects.select_related("actor", "poll", "meeting").order_by("-at", "-pk")
    poll_id = query_int(request, "poll")
    if poll_id is not None:
        entries = entries.filter(poll_id=poll_id)
    meeting_id = query_int(request, "meeting")
    if meeting_id is not None:
        entries = entries.filter(meeting_id=meeting_id)
    page = query_page(request, entries, 50)
    return render(request, "elections/ballot_box/audit_log.html", {"page": page})
