"""Access helpers shared by the membership views: each returns 404 to outsiders."""

import mimetypes
from functools import wraps

from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404

from ..models import Application, Member
from ..roles import is_secretariat, needs_two_factor_setup, redirect_to_two_factor_setup


def staff_two_factor(view):
    """Pages that show the secretariat other people's data need its two-factor login too.

    Applicants and members reach the same pages for their own records without it.
    """

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.user.is_authenticated and needs_two_factor_setup(request.user):
            return redirect_to_two_factor_setup(request)
        return view(request, *args, **kwargs)

    return wrapped


def get_application_for_user(request, pk):
    """The application, for its applicant or the secretariat; 404 for anyone else."""
    queryset = Application.objects.select_related(
        "applicant", "county", "representative", "decided_by", "member"
    )
    application = get_object_or_404(queryset, pk=pk)
    if application.applicant_id == request.user.pk or is_secretariat(request.user):
        return application
    raise Http404


def get_member_for_user(request, pk):
    """The member, for its voting account or the secretariat; 404 for anyone else."""
    member = get_object_or_404(Member.objects.select_related("county", "user"), pk=pk)
    if member.user_id == request.user.pk or is_secretariat(request.user):
        return member
    raise Http404


def private_file_response(field, *, download_name=None, public=False):
    """Stream a private file with a content type from its stored name (never the uploader's)."""
    if not field:
        raise Http404
    try:
        handle = field.storage.open(field.name, "rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(field.name)[0] or "application/octet-stream"
    response = FileResponse(
        handle,
        content_type=content_type,
        as_attachment=content_type == "application/pdf" or download_name is not None,
        filename=download_name or field.name.rsplit("/", 1)[-1],
    )
    response["Cache-Control"] = "public, max-age=3600" if public else "private, no-store"
    # A file is never a page: no scripts, no plugins, even if someone smuggled markup in.
    response["Content-Security-Policy"] = "default-src 'none'; img-src 'self'; sandbox"
    return response
