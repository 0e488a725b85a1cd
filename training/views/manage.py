"""The secretariat's pages: trainings with their registrations and attendance, check-in,
corrections, the approval queue for hours earned elsewhere, and who is short of hours."""

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import Count, F, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from association.jobs import export_job_start
from common.actions import add_service_errors, run_action
from common.checkin import check_in_link, qr_svg_response
from common.params import query_int, query_page, query_text
from members import roles
from members.models import User

from .. import exports, sheets
from ..forms import CorrectionForm, RefuseForm
from ..models import (
    Attendance,
    OutsideHours,
    Registration,
    RegistrationPeriod,
    Session,
    Training,
)
from ..services import (
    attendance_check_in,
    attendance_correct,
    outside_hours_decide,
    session_check_in_set_open,
)

PAGE_SIZE = 50


def _get_training(pk):
    return get_object_or_404(Training, pk=pk)


def _get_session(pk):
    return get_object_or_404(Session.objects.select_related("training"), pk=pk)


@roles.secretariat_required
@require_safe
def manage_overview(request):
    today = timezone.localdate()
    trainings = (
        Training.objects.with_dates()
        .with_seats()
        .annotate(attended=Count("sessions__attendances__user", distinct=True))
        .order_by(F("first_day").desc(nulls_first=True), "-pk")
    )
    page = query_page(request, trainings, 20)
    periods = RegistrationPeriod.objects.current(today).with_hours()
    return render(
        request,
        "training/manage_overview.html",
        {
            "page": page,
            "today": today,
            "pending": OutsideHours.objects.filter(status=OutsideHours.Status.PENDING).count(),
            "short": periods.short().count(),
            "current": periods.count(),
        },
    )


@roles.secretariat_required
@require_safe
def manage_training(request, pk):
    training = _get_training(pk)
    training = Training.objects.filter(pk=training.pk).with_dates().with_seats().get()
    sessions = training.sessions.annotate(present=Count("attendances"))
    status = query_text(request, "status")
    if status not in Registration.Status.values:
        status = ""
    registrations = training.registrations.select_related("user").order_by("created_at", "pk")
    if status:
        registrations = registrations.filter(status=status)
    page = query_page(request, registrations, PAGE_SIZE)
    waiting_ids = list(
        training.registrations.filter(status=Registration.Status.WAITING)
        .order_by("created_at", "pk")
        .values_list("pk", flat=True)
    )
    positions = {pk: index for index, pk in enumerate(waiting_ids, start=1)}
    attended = dict(
        Attendance.objects.filter(session__training=training)
        .values_list("user")
        .annotate(total=Count("pk"))
        .values_list("user", "total")
    )
    rows = [
        (registration, positions.get(registration.pk), attended.get(registration.user_id, 0))
        for registration in page.object_list
    ]
    return render(
        request,
        "training/manage_training.html",
        {
            "training": training,
            "sessions": sessions,
            "page": page,
            "rows": rows,
            "status": status,
            "statuses": Registration.Status.choices,
        },
    )


@roles.secretariat_required
@require_safe
def export_registrations(request, pk):
    training = _get_training(pk)
    return sheets.registrations_response(training)


@roles.secretariat_required
@require_safe
def manage_session(request, pk):
    """Attendance of one session: the code and QR code, self check-in on or off, everyone
    registered with their check-in, and corrections."""
    session = _get_session(pk)
    query = query_text(request, "q", max_length=60)
    registrations = (
        session.training.registrations.exclude(status=Registration.Status.CANCELLED)
        .select_related("user")
        .order_by("user__full_name", "user__email", "pk")
    )
    if query:
        registrations = registrations.filter(
            Q(user__full_name__icontains=query) | Q(user__email__icontains=query)
        )
    page = query_page(request, registrations, PAGE_SIZE)
    attendance = {
        row.user_id: row
        for row in Attendance.objects.filter(
            session=session, user__in=[r.user_id for r in page.object_list]
        ).select_related("recorded_by")
    }
    # Attendance of people without a live registration (corrections) is listed too.
    others = (
        Attendance.objects.filter(session=session)
        .exclude(
            user__in=session.training.registrations.exclude(
                status=Registration.Status.CANCELLED
            ).values("user")
        )
        .select_related("user", "recorded_by")
    )
    return render(
        request,
        "training/manage_session.html",
        {
            "session": session,
            "training": session.training,
            "page": page,
            "rows": [(r, attendance.get(r.user_id)) for r in page.object_list],
            "others": others,
            "query": query,
            "present": Attendance.objects.filter(session=session).count(),
            "form": CorrectionForm(session=session),
        },
    )


def _back_to_session(request, session):
    """The session page the POST came from (its search and page kept), or the page itself."""
    page = reverse("training:manage-session", args=[session.pk])
    back = request.POST.get("next", "")
    return back if back.startswith(page) else page


@roles.secretariat_required
@require_POST
def set_check_in(request, pk):
    session = _get_session(pk)
    is_open = request.POST.get("open") == "1"
    return run_action(
        request,
        lambda: session_check_in_set_open(session=session, actor=request.user, is_open=is_open),
        success=_("Check-in is open.") if is_open else _("Check-in is closed."),
        redirect_to=_back_to_session(request, session),
    )


@roles.secretariat_required
@require_POST
def check_in_participant(request, pk, user_pk):
    session = _get_session(pk)
    user = get_object_or_404(User, pk=user_pk)
    return run_action(
        request,
        lambda: attendance_check_in(session=session, user=user, actor=request.user),
        success=_("%(name)s is checked in.") % {"name": user.display_name},
        redirect_to=_back_to_session(request, session),
    )


@roles.secretariat_required
@require_http_methods(["GET", "HEAD", "POST"])
def correct_attendance(request, pk):
    session = _get_session(pk)
    initial = {}
    user_pk = query_int(request, "user")
    if user_pk is not None:
        user = User.objects.filter(pk=user_pk).first()
        if user is not None:
            attendance = Attendance.objects.filter(session=session, user=user).first()
            initial = {"email": user.email, "hours": attendance.hours if attendance else 0}
    form = CorrectionForm(request.POST or None, session=session, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            attendance_correct(
                session=session,
                user=form.user,
                hours=form.cleaned_data["hours"],
                reason=form.cleaned_data["reason"],
                actor=request.user,
            )
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request,
                _("The attendance of %(name)s is corrected.") % {"name": form.user.display_name},
            )
            return redirect("training:manage-session", pk=session.pk)
    return render(
        request,
        "training/correct_attendance.html",
        {"session": session, "training": session.training, "form": form},
    )


@roles.secretariat_required
@require_safe
def session_qr(request, pk):
    """The check-in link with its code as an SVG QR code, for the screen in the room."""
    session = _get_session(pk)
    page = request.build_absolute_uri(reverse("training:check-in", args=[session.pk]))
    return qr_svg_response(check_in_link(page, session.check_in_code))


@roles.secretariat_required
@require_safe
def list_outside_hours(request):
    status = query_text(request, "status", default=OutsideHours.Status.PENDING)
    if status not in OutsideHours.Status.values:
        status = OutsideHours.Status.PENDING
    entries = (
        OutsideHours.objects.filter(status=status)
        .select_related("user", "decided_by")
        .order_by("submitted_at", "pk")
    )
    counts = dict(OutsideHours.objects.values_list("status").annotate(count=Count("pk")).order_by())
    page = query_page(request, entries, PAGE_SIZE)
    return render(
        request,
        "training/outside_queue.html",
        {
            "page": page,
            "status": status,
            "tabs": [
                (value, label, counts.get(value, 0)) for value, label in OutsideHours.Status.choices
            ],
        },
    )


def _outside_page(request, entry, refuse_form, status=200):
    return render(
        request,
        "training/outside_detail.html",
        {
            "entry": entry,
            "is_pdf": entry.evidence.name.lower().endswith(".pdf"),
            "refuse_form": refuse_form,
        },
        status=status,
    )


@roles.secretariat_required
@require_safe
def show_outside_hours(request, pk):
    entry = get_object_or_404(OutsideHours.objects.select_related("user", "decided_by"), pk=pk)
    return _outside_page(request, entry, RefuseForm())


@roles.secretariat_required
@require_POST
def approve_outside_hours(request, pk):
    entry = get_object_or_404(OutsideHours, pk=pk)
    return run_action(
        request,
        lambda: outside_hours_decide(
            entry=entry, actor=request.user, approve=True, base_url=request.build_absolute_uri("/")
        ),
        success=_("The hours are approved."),
        redirect_to="training:outside-queue",
    )


@roles.secretariat_required
@require_POST
def refuse_outside_hours(request, pk):
    entry = get_object_or_404(OutsideHours.objects.select_related("user"), pk=pk)
    return run_action(
        request,
        lambda data: outside_hours_decide(
            entry=entry,
            actor=request.user,
            approve=False,
            reason=data["reason"],
            base_url=request.build_absolute_uri("/"),
        ),
        form=RefuseForm(request.POST),
        success=_("The hours are refused; the person is told why."),
        redirect_to="training:outside-queue",
        on_refusal=lambda form: _outside_page(request, entry, form, status=400),
    )


def _report_periods(request):
    """The report's periods (training.exports.report_periods) for ?all=1 or not."""
    today = timezone.localdate()
    show_all = query_text(request, "all") == "1"
    return exports.report_periods(request.user, show_all=show_all, today=today), show_all, today


@roles.training_hours_required
@require_safe
def hours_report(request):
    periods, show_all, today = _report_periods(request)
    page = query_page(request, periods, PAGE_SIZE)
    return render(
        request,
        "training/hours_report.html",
        {
            "page": page,
            "rows": [(period, period.days_left(today)) for period in page.object_list],
            "show_all": show_all,
            "today": today,
            "scope": roles.scope_of(request.user),
            "with_contact": roles.is_secretariat(request.user),
            "needs_export_job": page.paginator.count > settings.EXPORT_IMMEDIATE_MAX_ROWS,
        },
    )


@roles.training_hours_required
@require_POST
def start_hours_export(request):
    """Have the worker write the report's workbook; go to the job's page."""
    job = export_job_start(
        export=exports.hours_workbook,
        actor=request.user,
        show_all=query_text(request, "all") == "1",
        today=timezone.localdate().isoformat(),
    )
    return redirect("association:export-job", pk=job.pk)


@roles.training_hours_required
@require_safe
def export_hours(request):
    periods, show_all, today = _report_periods(request)
    if periods.count() > settings.EXPORT_IMMEDIATE_MAX_ROWS:
        messages.info(
            request, _("This list is long: prepare its workbook in the background with the button.")
        )
        return redirect(reverse("training:hours-report") + ("?all=1" if show_all else ""))
    return sheets.hours_response(
        periods, today=today, show_all=show_all, with_contact=roles.is_secretariat(request.user)
    )
