"""A signed-in person's own continuing education: registering and cancelling, checking in,
their record of hours per registration period, hours earned elsewhere and certificates."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from association.models import AssociationProfile
from common.actions import add_service_errors, run_action
from common.certificates import certificate_download, pdf_bytes
from common.files import serve_file
from common.params import query_text

from .. import certificates
from ..access import outside_hours_for_user, session_for_user, training_for_user
from ..forms import OutsideHoursForm, PeriodForm
from ..models import (
    ZERO,
    Attendance,
    OutsideHours,
    Registration,
    RegistrationPeriod,
    credited_items,
)
from ..services import (
    attendance_check_in,
    certificate_for_period,
    certificate_for_training,
    outside_hours_submit,
    period_save,
    registration_cancel,
    registration_create,
)


def _registered(registration):
    if registration.status == Registration.Status.CONFIRMED:
        return _("You are registered. See you there!")
    return _(
        "The training is full: you are number %(position)s on the waiting list. You will get "
        "an e-mail if a seat becomes free."
    ) % {"position": registration.waiting_position()}


@login_required
@require_POST
def register(request, pk):
    training = training_for_user(request, pk)
    return run_action(
        request,
        lambda: registration_create(training=training, actor=request.user),
        success=_registered,
        redirect_to=reverse("training:training", args=[training.pk]),
    )


@login_required
@require_POST
def cancel_registration(request, pk):
    training = training_for_user(request, pk)
    registration = get_object_or_404(
        training.registrations.exclude(status=Registration.Status.CANCELLED), user=request.user
    )
    return run_action(
        request,
        lambda: registration_cancel(
            registration=registration,
            actor=request.user,
            base_url=request.build_absolute_uri("/"),
        ),
        success=_("Your registration is cancelled."),
        redirect_to=reverse("training:training", args=[training.pk]),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def check_in(request, pk):
    """People with a seat check in with the code shown in the room (or its QR code, which
    opens this page with the code filled in). GET only shows the form: a scanned link must
    not check anyone in by itself."""
    session = session_for_user(request, pk)
    attendance = Attendance.objects.filter(session=session, user=request.user).first()
    code = query_text(request, "code", max_length=20)
    error = None
    status = 200
    if request.method == "POST":
        code = request.POST.get("code", "")
        try:
            attendance_check_in(session=session, user=request.user, actor=request.user, code=code)
        except ValidationError as refusal:
            error = " ".join(refusal.messages)
            status = 400
        else:
            messages.success(
                request,
                _("You are checked in: %(hours)s hours are credited.") % {"hours": session.hours},
            )
            return redirect("training:training", pk=session.training_id)
    registration = (
        session.training.registrations.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )
    return render(
        request,
        "training/check_in.html",
        {
            "session": session,
            "training": session.training,
            "attendance": attendance,
            "registration": registration,
            "code": code[:8],
            "error": error,
        },
        status=status,
    )


def _periods_of(user):
    return list(RegistrationPeriod.objects.filter(user=user).with_hours().order_by("-starts_on"))


def _current(periods, today):
    """The period containing today, else the latest one."""
    for period in periods:
        if period.starts_on <= today <= period.ends_on:
            return period
    return periods[0] if periods else None


@login_required
@require_safe
def show_record(request):
    today = timezone.localdate()
    periods = _periods_of(request.user)
    period = _current(periods, today)
    if period is not None:
        items = credited_items(request.user, since=period.starts_on, until=period.ends_on)
    else:
        items = credited_items(request.user)
    registrations = (
        Registration.objects.filter(user=request.user)
        .exclude(status=Registration.Status.CANCELLED)
        .select_related("training")
        .order_by("-created_at")[:20]
    )
    attended = (
        Attendance.objects.filter(user=request.user)
        .values("session__training", "session__training__title")
        .order_by("session__training")
        .distinct()
    )
    outside = OutsideHours.objects.filter(user=request.user).order_by("-submitted_at")[:50]
    percent = missing = capped_hours = 0
    if period is not None:
        percent = min(int(period.hours * 100 / period.required), 100)
        missing = max(period.required - period.hours, ZERO)
        capped_hours = min(period.hours, period.required)
    return render(
        request,
        "training/my_record.html",
        {
            "period": period,
            "other_periods": [other for other in periods if other is not period],
            "items": items,
            "items_total": sum((item.hours for item in items), ZERO),
            "percent": percent,
            "missing": missing,
            "capped_hours": capped_hours,
            "days_left": period.days_left(today) if period else None,
            "period_over": period is not None and period.ends_on < today,
            "registrations": registrations,
            "attended_trainings": attended,
            "outside": outside,
            "today": today,
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit_period(request, pk=None):
    """Enter a registration period (level and first day, from the registration certificate)
    or correct one already entered."""
    period = None
    if pk is not None:
        period = get_object_or_404(RegistrationPeriod, pk=pk, user=request.user)
    form = PeriodForm(
        request.POST or None, instance=period or RegistrationPeriod(user=request.user)
    )
    if request.method == "POST" and form.is_valid():
        try:
            period_save(period=form.instance, actor=request.user)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(request, _("Your registration period is saved."))
            return redirect("training:mine")
    return render(request, "training/period_form.html", {"form": form, "period": period})


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def submit_outside_hours(request):
    form = OutsideHoursForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            outside_hours_submit(entry=form.instance, actor=request.user)
        except ValidationError as refusal:
            add_service_errors(form, refusal)
        else:
            messages.success(
                request, _("Your hours are submitted; the secretariat will review the evidence.")
            )
            return redirect("training:mine")
    return render(request, "training/outside_form.html", {"form": form})


@login_required
@require_safe
def outside_evidence(request, pk):
    entry = outside_hours_for_user(request, pk)
    return serve_file(entry.evidence)


def _drawing_options(request, certificate):
    profile = AssociationProfile.for_request(request)
    return {
        "association_name": profile.name or _("Social work association"),
        "verify_url": request.build_absolute_uri(
            reverse("training:verify", args=[certificate.number])
        ),
    }


def _download(request, certificate, render_pages):
    """The certificate as a PDF of the pages render_pages(**options) draws."""
    options = _drawing_options(request, certificate)
    return certificate_download(
        request,
        lambda: pdf_bytes(
            render_pages(**options),
            title=certificate.get_kind_display(),
            author=options["association_name"],
        ),
        filename=f"{certificate.number}.pdf",
        content_type="application/pdf",
        back_url=reverse("training:mine"),
    )


@login_required
@require_safe
def download_training_certificate(request, pk):
    training = training_for_user(request, pk)
    try:
        certificate = certificate_for_training(user=request.user, training=training)
    except ValidationError:
        raise Http404 from None
    return _download(
        request,
        certificate,
        lambda **options: certificates.render_attendance(certificate, **options),
    )


@login_required
@require_safe
def download_period_certificate(request, pk):
    period = get_object_or_404(RegistrationPeriod, pk=pk, user=request.user)
    certificate, items = certificate_for_period(period=period)
    return _download(
        request,
        certificate,
        lambda **options: certificates.render_period(certificate, items, **options),
    )
