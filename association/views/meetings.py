"""Meetings: the roll, attendance (check-in by code, QR code or the secretariat) and quorum."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, Q
from django.http import JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from common.actions import run_action
from common.checkin import check_in_link, qr_svg_response
from common.params import query_page, query_text
from members.roles import participant_required, secretariat_required

from ..models import Meeting, RollEntry
from ..services import (
    meeting_check_in_set_open,
    meeting_roll_freeze,
    roll_entry_check_in,
    roll_entry_check_in_undo,
)


def _get_meeting(pk):
    return get_object_or_404(Meeting, pk=pk)


def quorum_data(meeting):
    quorum = meeting.quorum_now()
    return {
        "entitled": quorum.base,
        "present": quorum.count,
        "required": quorum.required,
        "reached": quorum.passed,
        "arithmetic": quorum.arithmetic(_("quorum reached"), _("no quorum yet")),
        "status": _("Quorum reached") if quorum.passed else _("No quorum yet"),
        "checked_in": _("Checked in %(present)s / entitled %(entitled)s")
        % {"present": quorum.count, "entitled": quorum.base},
    }


@participant_required
@require_safe
def list_meetings(request):
    meetings = Meeting.objects.annotate(
        entitled=Count("roll"), present=Count("roll", filter=Q(roll__present_at__isnull=False))
    ).order_by("-starts_at", "-pk")
    page = query_page(request, meetings, 20)
    return render(request, "association/meeting_list.html", {"page": page})


@participant_required
@require_safe
def show_meeting(request, pk):
    meeting = _get_meeting(pk)
    motions = meeting.motions.select_related("poll", "document_version__document").order_by(
        "number"
    )
    entry = meeting.roll.filter(user=request.user).select_related("member").first()
    return render(
        request,
        "association/meeting_detail.html",
        {
            "meeting": meeting,
            "quorum": quorum_data(meeting),
            "motions": motions,
            "entry": entry,
        },
    )


@never_cache
@participant_required
@require_safe
def show_quorum(request, pk):
    """Live quorum, polled every few seconds by static/elections/live.js."""
    return JsonResponse(quorum_data(_get_meeting(pk)))


@participant_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request, pk):
    """Voters check themselves in with the code shown in the meeting (or its QR code, which
    opens this page with the code filled in). GET only shows the form: a scanned link must not
    check anyone in by itself."""
    meeting = _get_meeting(pk)
    entry = meeting.roll.filter(user=request.user).select_related("member").first()
    error = None
    status = 200
    code = query_text(request, "code", max_length=20)
    if request.method == "POST":
        code = request.POST.get("code", "")
        if entry is None:
            error = _("You are not on the roll of this meeting, so you cannot check in.")
            status = 403
        else:
            try:
                roll_entry_check_in(entry=entry, actor=request.user, code=code)
            except ValidationError as refusal:
                error = " ".join(refusal.messages)
                status = 400
            else:
                messages.success(request, _("You are checked in. Welcome!"))
                return redirect("association:meeting", pk=meeting.pk)
    return render(
        request,
        "association/meeting_check_in.html",
        {"meeting": meeting, "entry": entry, "code": code[:8], "error": error},
        status=status,
    )


@secretariat_required
@require_safe
def show_attendance(request, pk):
    meeting = _get_meeting(pk)
    roll = meeting.roll.select_related("member", "checked_in_by").order_by(
        "member__number", "member__name", "pk"
    )
    query = query_text(request, "q", max_length=60)
    if query:
        roll = roll.filter(Q(member__name__icontains=query) | Q(member__number__icontains=query))
    page = query_page(request, roll, 50)
    return render(
        request,
        "association/meeting_attendance.html",
        {"meeting": meeting, "page": page, "query": query, "quorum": quorum_data(meeting)},
    )


def _back_to_attendance(request, meeting):
    """The attendance page, or the page of it (search, page number) the form came from."""
    page = reverse("association:meeting-attendance", args=[meeting.pk])
    back = request.POST.get("next", "")
    return back if back.startswith(page) else page


@secretariat_required
@require_POST
def freeze_roll(request, pk):
    meeting = _get_meeting(pk)
    return run_action(
        request,
        lambda: meeting_roll_freeze(meeting=meeting, actor=request.user),
        success=_("The roll is frozen and check-in is open."),
        redirect_to=_back_to_attendance(request, meeting),
    )


@secretariat_required
@require_POST
def set_check_in(request, pk):
    meeting = _get_meeting(pk)
    is_open = request.POST.get("open") == "1"
    return run_action(
        request,
        lambda: meeting_check_in_set_open(meeting=meeting, actor=request.user, is_open=is_open),
        success=_("Check-in is open.") if is_open else _("Check-in is closed."),
        redirect_to=_back_to_attendance(request, meeting),
    )


def _act_on_roll_entry(request, pk, entry_pk, service, success):
    """Run `service` on one entry of the meeting's roll; `success` names the member."""
    meeting = _get_meeting(pk)
    entry = get_object_or_404(
        RollEntry.objects.select_related("member"), meeting=meeting, pk=entry_pk
    )
    return run_action(
        request,
        lambda: service(entry=entry, actor=request.user),
        success=success % {"name": entry.member.name},
        redirect_to=_back_to_attendance(request, meeting),
    )


@secretariat_required
@require_POST
def check_in_roll_entry(request, pk, entry_pk):
    return _act_on_roll_entry(
        request, pk, entry_pk, roll_entry_check_in, _("%(name)s is checked in.")
    )


@secretariat_required
@require_POST
def undo_roll_entry_check_in(request, pk, entry_pk):
    return _act_on_roll_entry(
        request, pk, entry_pk, roll_entry_check_in_undo, _("The check-in of %(name)s is undone.")
    )


@secretariat_required
@require_safe
def show_check_in_qr(request, pk):
    """The check-in link with its code as an SVG QR code, to show on the screen in the room."""
    meeting = _get_meeting(pk)
    page = request.build_absolute_uri(reverse("association:meeting-check-in", args=[meeting.pk]))
    return qr_svg_response(check_in_link(page, meeting.check_in_code))
