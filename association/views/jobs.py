"""The page of an export job: its progress, then the download; only for who asked."""

from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import get_object_or_404, render
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_safe

from common.files import serve_file

from ..jobs import ExportJob


def _get_job_for_user(request, pk, *, defer=()):
    """The job `pk` of the signed-in person; 404 for anyone else's."""
    return get_object_or_404(ExportJob.objects.defer(*defer), pk=pk, requested_by=request.user)


def _progress(job):
    return {
        "state": job.state,
        "state_label": job.get_state_display(),
        "rows_written": job.rows_written,
        "rows_total": job.rows_total,
        "percent": job.percent,
        "finished": job.is_finished,
    }


@never_cache
@login_required
@require_safe
def show_export_job(request, pk):
    job = _get_job_for_user(request, pk)
    return render(
        request,
        "association/export_job.html",
        {"job": job, "available": job.is_available(), "progress": _progress(job)},
    )


@never_cache
@login_required
@require_safe
def show_export_job_progress(request, pk):
    """The job's progress as JSON (polled by static/association/export_job.js)."""
    # Without the parameters, read every two seconds: a long roster's hold its members' ids.
    return JsonResponse(_progress(_get_job_for_user(request, pk, defer=["params"])))


@login_required
@require_safe
def download_export_job(request, pk):
    """The file, while it is kept, to its requester if they may still have it."""
    job = _get_job_for_user(request, pk)
    if not job.is_available() or not job.may_download(request.user):
        raise Http404
    return serve_file(job.file, download_name=job.filename)
