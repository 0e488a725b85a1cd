"""Public pages: the training calendar, an event with its sessions and speakers, the expert
pool, and the certificate check."""

import re

from django.db.models import F, Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_safe

from common.files import serve_file
from common.params import query_page, query_text

from ..access import training_for_user
from ..forms import CalendarFilterForm, ExpertFilterForm, VerifyForm
from ..models import Attendance, Certificate, Expert, Registration, Session, Training

PAGE_SIZE = 20
# What a certificate number can look like (JX-7KQ4-M9PX); anything else is not one.
CERTIFICATE_NUMBER = re.compile(r"[A-Z0-9-]{4,20}")


def _public_speakers():
    return Prefetch("speakers", queryset=Expert.objects.public().order_by("name"))


@require_safe
def list_trainings(request):
    """Upcoming trainings (soonest first) or past ones (latest first), filtered by field and
    kind. Members-only trainings are listed to members only."""
    form = CalendarFilterForm(request.GET or None)
    past = query_text(request, "when") == "past"
    today = timezone.localdate()
    trainings = form.filter(Training.objects.visible_to(request.user)).with_dates().with_seats()
    if past:
        trainings = trainings.filter(last_day__lt=today).order_by("-first_day", "-pk")
    else:
        trainings = trainings.exclude(last_day__lt=today).order_by(
            F("first_day").asc(nulls_last=True), "pk"
        )
    trainings = trainings.select_related("organiser").prefetch_related("topics")
    page = query_page(request, trainings, PAGE_SIZE)
    return render(
        request,
        "training/training_list.html",
        {"form": form, "page": page, "past": past, "today": today},
    )


@require_safe
def show_training(request, pk):
    training = training_for_user(request, pk)
    training = (
        Training.objects.filter(pk=training.pk)
        .with_dates()
        .with_seats()
        .select_related("organiser")
        .prefetch_related("topics")
        .get()
    )
    sessions = list(training.sessions.prefetch_related(_public_speakers()))
    registration = None
    attended = {}
    if request.user.is_authenticated:
        registration = (
            training.registrations.filter(user=request.user)
            .exclude(status=Registration.Status.CANCELLED)
            .first()
        )
        attended = {
            row.session_id: row
            for row in Attendance.objects.filter(user=request.user, session__training=training)
        }
    now = timezone.now()
    starts_at = sessions[0].begins_at if sessions else None
    return render(
        request,
        "training/training_detail.html",
        {
            "training": training,
            "sessions": [(session, attended.get(session.pk)) for session in sessions],
            "registration": registration,
            "waiting_position": registration.waiting_position() if registration else None,
            "registration_state": training.registration_state(now),
            "can_cancel": registration is not None and starts_at is not None and now < starts_at,
            "hours_attended": sum(row.hours for row in attended.values()),
            "seats_left": (
                None if training.capacity is None else max(training.capacity - training.taken, 0)
            ),
        },
    )


@require_safe
def list_experts(request):
    form = ExpertFilterForm(request.GET or None)
    experts = Expert.objects.public().prefetch_related("topics")
    if form.is_valid() and form.cleaned_data["topic"]:
        experts = experts.filter(topics=form.cleaned_data["topic"])
    page = query_page(request, experts.order_by("name", "pk"), PAGE_SIZE)
    return render(request, "training/expert_list.html", {"form": form, "page": page})


@require_safe
def show_expert(request, pk):
    expert = get_object_or_404(Expert.objects.public().prefetch_related("topics"), pk=pk)
    visible = Training.objects.visible_to(request.user)
    sessions = (
        Session.objects.filter(speakers=expert, training__in=visible)
        .select_related("training")
        .order_by("-date", "-starts_at")[:20]
    )
    return render(request, "training/expert_detail.html", {"expert": expert, "sessions": sessions})


@require_safe
def expert_photo(request, pk):
    """Photos of public experts are public; the others are not shown at all."""
    expert = get_object_or_404(Expert.objects.public(), pk=pk)
    return serve_file(expert.photo, public=True, max_age=86400)


@require_safe
def verify_lookup(request):
    form = VerifyForm(request.GET or None)
    if form.is_valid():
        return redirect("training:verify", number=form.cleaned_data["number"].strip().upper())
    return render(request, "training/verify_lookup.html", {"form": form})


@require_safe
def verify_certificate(request, number):
    """Whether a certificate with this number was issued, and to whom for how many hours:
    the name and the hours, nothing else about the person. Unknown numbers are 404."""
    number = number.strip().upper()
    if not CERTIFICATE_NUMBER.fullmatch(number):
        raise Http404
    certificate = get_object_or_404(Certificate.objects.select_related("training"), number=number)
    return render(request, "training/verify.html", {"certificate": certificate})
