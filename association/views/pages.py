"""The home page, the privacy notice, the health check and the error pages."""

from django.db import DatabaseError, connection
from django.http import HttpResponse, HttpResponseBadRequest
from django.shortcuts import render
from django.template import loader
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

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


def permission_denied(request, exception=None):
    return render(request, "403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "404.html", status=404)


def server_error(request):
    # No context processors: the database or a template may be what failed.
    return HttpResponse(loader.get_template("500.html").render(), status=500)
