"""The home page, the privacy notice, the health check and the error pages."""

import datetime

from django.conf import settings
from django.db import DatabaseError, connection
from django.db.models import Min
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe
from django_tasks_db.models import DBTaskResult, get_date_max

from common.params import BadParameter
from members.models import Member
from stations.coverage import coverage_for
from stations.models import Station

from ..models import Announcement, AssociationProfile


@require_safe
def show_home(request):
    profile = AssociationProfile.for_request(request)
    city = profile.city
    stations = Station.objects.within(city).operating_on(timezone.localdate())
    return render(
        request,
        "association/home.html",
        {
            "profile": profile,
            "member_count": Member.objects.active().count(),
            "unit_member_count": Member.objects.active().filter(kind=Member.Kind.UNIT).count(),
            "station_count": stations.count(),
            "coverage": coverage_for(city) if city is not None else None,
            "announcements": Announcement.objects.published()[:5],
        },
    )


@require_safe
def show_privacy(request):
    return render(request, "association/privacy.html")


@never_cache
@require_safe
def check_health(request):
    """200 when the database answers a query, 503 when it does not."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    return HttpResponse("ok\n", content_type="text/plain")


def bad_request(request, exception=None):
    # Only our own refusals carry a message meant for the visitor; Django's (a host not
    # allowed, a forged upload) say nothing more than the page's own words.
    message = str(exception) if isinstance(exception, BadParameter) else ""
    return HttpResponseBadRequest(loader.get_template("400.html").render({"message": message}))


def oldest_due_task_since(now):
    """When the task that has waited longest to run became due (None: nothing waits).

    A task queued to run later (a poll's close) waits from its run_after, not before."""
    waiting = DBTaskResult.objects.filter(status="READY")
    queued = waiting.filter(run_after=get_date_max()).aggregate(since=Min("enqueued_at"))
    deferred = waiting.filter(run_after__lte=now).aggregate(since=Min("run_after"))
    times = [time for time in (queued["since"], deferred["since"]) if time is not None]
    return min(times) if times else None


@never_cache
@require_safe
def check_tasks_health(request):
    """200 while the worker keeps up: 503 when a task has waited to run longer than
    TASKS_HEALTH_MAX_AGE seconds (no worker running, or too few), or the database is down."""
    now = timezone.now()
    try:
        since = oldest_due_task_since(now)
    except DatabaseError:
        return HttpResponse("database unavailable\n", status=503, content_type="text/plain")
    waited = (now - since) if since else datetime.timedelta(0)
    if waited > datetime.timedelta(seconds=settings.TASKS_HEALTH_MAX_AGE):
        return HttpResponse(
            f"oldest task waiting {int(waited.total_seconds())} s\n",
            status=503,
            content_type="text/plain",
        )
    return HttpResponse("ok\n", content_type="text/plain")


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or a template may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
